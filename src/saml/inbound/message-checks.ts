// Checks every SP-sent message shares (AuthnRequest, LogoutRequest, LogoutResponse): its age and its Destination.

import { UntrustedRequestError } from '../../errors.ts';
import { xsDateTime } from '../xml/dom.ts';

/** An UntrustedRequestError: the message cannot be answered to any SP. */
export function untrusted(reason: UntrustedRequestError['reason'], detail: string): UntrustedRequestError {
  return new UntrustedRequestError(reason, detail);
}

/** The URL without query or fragment: SPs may put `?forcepkivendor=…` into Destination (docs/contract.md §2). */
export function stripQuery(url: string): string {
  return url.split(/[?#]/, 1)[0]!;
}

/**
 * IssueInstant must be present, an xs:dateTime, not older than maxAge + skew and not further than skew in the
 * future. `what` names the message in the log detail.
 */
export function checkIssueInstant(
  value: string | undefined,
  now: Date,
  limits: { readonly maxAgeSeconds: number; readonly clockSkewSeconds: number },
  entityId: string,
  what: string,
): void {
  if (value === undefined) throw untrusted('stale', `${entityId}: the ${what} has no IssueInstant`);
  const issued = xsDateTime(value);
  if (issued === undefined) throw untrusted('malformed', `${entityId}: IssueInstant is not an xs:dateTime`);
  const ageMs = now.getTime() - issued.getTime();
  if (ageMs > (limits.maxAgeSeconds + limits.clockSkewSeconds) * 1000) {
    throw untrusted('stale', `${entityId}: the ${what} is ${Math.round(ageMs / 1000)} s old`);
  }
  if (-ageMs > limits.clockSkewSeconds * 1000) {
    throw untrusted('stale', `${entityId}: IssueInstant is ${Math.round(-ageMs / 1000)} s in the future`);
  }
}
