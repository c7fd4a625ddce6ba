// IdP-initiated SSO: a PendingRequest without an AuthnRequest, for an SP whose sidecar allows unsolicited Responses
// (SAML profiles §4.1.5); the Response then carries no InResponseTo.

import { UntrustedRequestError } from '../errors.ts';
import type { PendingRequest } from '../types.ts';
import { resolveAcs } from './acs.ts';
import type { ServiceProviderEntry } from './metadata/sp-metadata.ts';

/** What the admin's link names: the SP (`sp`, or Shibboleth's `providerId`), optionally an ACS URL (`acs`/`shire`)
 * or index (`acsIndex`), and the RelayState (`RelayState`/`target`) the SP receives back. */
export interface UnsolicitedParams {
  readonly sp: string | undefined;
  readonly acsUrl: string | undefined;
  readonly acsIndex: string | undefined;
  readonly relayState: string | undefined;
}

/**
 * The pending request an unsolicited Response answers. Refused like an untrusted AuthnRequest (error page, nothing
 * posted) when the SP is unknown or has not turned `idpInitiated` on, the ACS is not in its metadata, or the
 * RelayState is too long.
 */
export function unsolicitedRequest(
  lookup: (entityId: string) => ServiceProviderEntry | undefined,
  params: UnsolicitedParams,
  relayStateMaxBytes: number,
): PendingRequest {
  const entityId = params.sp?.trim() ?? '';
  const sp = entityId === '' ? undefined : lookup(entityId);
  if (sp === undefined) {
    throw new UntrustedRequestError(
      'unknown-sp',
      `no trusted SP with entityID ${JSON.stringify(entityId.slice(0, 200))}`,
    );
  }
  if (sp.settings.idpInitiated !== true) {
    throw new UntrustedRequestError(
      'unknown-sp',
      `${sp.entityId}: IdP-initiated SSO is not enabled for this SP`,
    );
  }
  if (params.relayState !== undefined && Buffer.byteLength(params.relayState) > relayStateMaxBytes) {
    throw new UntrustedRequestError('relay-state', `RelayState is longer than ${relayStateMaxBytes} bytes`);
  }
  let index: number | undefined;
  if (params.acsIndex !== undefined) {
    if (!/^\d{1,5}$/.test(params.acsIndex) || Number(params.acsIndex) > 65535) {
      throw new UntrustedRequestError('malformed', 'acsIndex is not an unsignedShort');
    }
    index = Number(params.acsIndex);
  }
  const acs = resolveAcs(sp, { url: params.acsUrl?.trim() || undefined, index });
  return {
    spEntityId: sp.entityId,
    acsUrl: acs.url,
    relayState: params.relayState,
    forceAuthn: false,
    isPassive: false,
    nameIdFormat: 'unspecified',
    spNameQualifier: undefined,
    subjectPhone: undefined,
    spDisplayName: sp.displayName,
  };
}
