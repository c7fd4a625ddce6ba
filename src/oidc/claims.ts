// What an OpenID Connect client learns about the person, per scope (the seed's end-user information).

import { createHmac } from 'node:crypto';
import { NETS_SMS } from '../login/login-service.ts';
import { OUR_AUTHN_CONTEXT } from '../saml/authn-context.ts';
import type { Identity } from '../types.ts';

/** The scopes we serve: `openid` → pid (the phone, as the seed says); `profile` → names and phone; `phone`. */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub', 'pid', 'idp'],
  profile: ['given_name', 'family_name', 'name', 'phone_number'],
  phone: ['phone_number', 'phone_number_verified'],
};
export const SCOPES = Object.keys(SCOPE_CLAIMS);
export const CLAIM_NAMES = [...new Set(Object.values(SCOPE_CLAIMS).flat())];

/** The class the SAML side asserts (AuthnContextClassRef), so both protocols say the same. */
export const ACR = OUR_AUTHN_CONTEXT;
export const AMR: readonly string[] = [NETS_SMS];

/**
 * The account id, and the public `sub`: E-Ident's `<eID>:<pid>` form. Clients get a pairwise `sub` unless their
 * file says `"subject_type": "public"`.
 */
export function accountIdFor(phone: string): string {
  return `${NETS_SMS}:${phone}`;
}

/** The pairwise `sub` for a sector (the client's redirect host): not the phone, not linkable across sectors. */
export function pairwiseSub(secret: string, sector: string, accountId: string): string {
  return createHmac('sha256', secret)
    .update(`oidc-pairwise\u0000${sector}\u0000${accountId}`)
    .digest('base64url');
}

/** Every claim the person has; the library keeps those of the granted scopes, we those the client may have. */
export function identityClaims(
  accountId: string,
  identity: Identity,
  allowed: readonly string[] | undefined,
): Record<string, unknown> {
  const all: Record<string, unknown> = {
    sub: accountId,
    pid: identity.phone,
    idp: NETS_SMS,
    given_name: identity.givenName,
    family_name: identity.familyName,
    name: `${identity.givenName} ${identity.familyName}`,
    phone_number: identity.phone,
    phone_number_verified: true,
  };
  if (allowed === undefined) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k === 'sub' || allowed.includes(k)));
}
