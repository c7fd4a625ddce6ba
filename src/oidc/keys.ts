// The OpenID Provider's signing keys: the SAML signing pair and its rollover, as private JWKs (RFC 7517).

import { createHash } from 'node:crypto';
import type { KeyRing } from '../saml/keys/key-ring.ts';
import type { IdpKeys } from '../saml/keys/keys.ts';

/** A private RSA JWK as oidc-provider takes it. */
export type PrivateJwk = Record<string, string> & { readonly kid: string };

/** RFC 7638 thumbprint of an RSA key: stable for the key, the same in every process. */
function rsaThumbprint(jwk: Record<string, string>): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

function toJwk(keys: IdpKeys): PrivateJwk {
  const jwk = keys.privateKey.export({ format: 'jwk' }) as Record<string, string>;
  if (jwk.kty !== 'RSA') throw new Error('the signing key must be RSA to sign ID tokens with RS256');
  return { ...jwk, kid: rsaThumbprint(jwk), use: 'sig', alg: 'RS256' };
}

/**
 * The JWKS in oidc-provider's order: the first key signs, the others are published for verification. Mirrors the
 * SAML rollover (docs/idp-admins.md "Rotate the signing key"): with a next pair configured it is published
 * beside the current one first, and signs once IDP_SIGN_WITH=next.
 */
export function oidcJwks(ring: KeyRing): PrivateJwk[] {
  const current = toJwk(ring.current);
  const next = ring.next === undefined ? undefined : toJwk(ring.next);
  if (next === undefined || next.kid === current.kid) return [current];
  return ring.signWith === 'next' ? [next, current] : [current, next];
}
