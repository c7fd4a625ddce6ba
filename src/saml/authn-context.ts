// Decides whether a RequestedAuthnContext can be met by the one class we give (SAML core §3.3.2.2.1).

import { AuthnContextClass } from './urn.ts';

/** RequestedAuthnContext Comparison values; absent means exact. */
export type AuthnComparison = 'exact' | 'minimum' | 'better' | 'maximum';

/** Our class, MobileOneFactorUnregistered (docs/contract.md §4). */
export const OUR_AUTHN_CONTEXT = AuthnContextClass.mobileOneFactorUnregistered;

/** Classes we treat as weaker than a one-time code sent by SMS. */
const WEAKER = new Set<string>([
  AuthnContextClass.unspecified,
  AuthnContextClass.password,
  AuthnContextClass.passwordProtectedTransport,
  AuthnContextClass.internetProtocol,
  AuthnContextClass.internetProtocolPassword,
  AuthnContextClass.previousSession,
]);

/**
 * Kept simple on purpose:
 * - exact: our class is listed;
 * - minimum: our class, or one of the weaker classes above, is listed ("at least as strong as one of them");
 * - better: one of the weaker classes is listed;
 * - maximum: our class is listed (we cannot rank other classes above ours).
 * AuthnContextDeclRef is never satisfied: pass no class refs for it.
 */
export function authnContextSatisfied(comparison: AuthnComparison, classRefs: readonly string[]): boolean {
  const ours = classRefs.includes(OUR_AUTHN_CONTEXT);
  const weaker = classRefs.some((c) => WEAKER.has(c));
  switch (comparison) {
    case 'exact':
    case 'maximum':
      return ours;
    case 'minimum':
      return ours || weaker;
    case 'better':
      return weaker;
  }
}

/** Reads the Comparison attribute; undefined for a value the schema does not allow. */
export function parseComparison(value: string | undefined): AuthnComparison | undefined {
  const v = (value ?? 'exact').trim();
  return v === 'exact' || v === 'minimum' || v === 'better' || v === 'maximum' ? v : undefined;
}
