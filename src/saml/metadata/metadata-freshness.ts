// What a remote (federation) metadata document must be before it replaces the copy in use: fetched over https (or an
// http URL the admin named), bounded by a validUntil within the horizon, and not older than what is installed, so
// whoever answers the URL cannot replay an old signed aggregate to bring back a removed SP or an old SP key.

import { attr, elementChildren, isElement, xsDateTime } from '../xml/dom.ts';
import { Ns } from '../urn.ts';

const MDRPI = 'urn:oasis:names:tc:SAML:metadata:rpi';

/** The admin's rules for remote metadata (settings `REMOTE_METADATA_*`, `OUTBOUND_PRIVATE_HOSTS`). */
export interface RemoteMetadataPolicy {
  /** the root validUntil must be present and at most this many days ahead */
  readonly maxValidityDays: number;
  /** plain http:// URLs allowed, exactly as written in a `.remote.json` */
  readonly httpUrls: readonly string[];
  /** hosts allowed on non-public addresses */
  readonly allowedHosts: readonly string[];
}

export const DEFAULT_REMOTE_METADATA_POLICY: RemoteMetadataPolicy = Object.freeze({
  maxValidityDays: 30,
  httpUrls: Object.freeze([]),
  allowedHosts: Object.freeze([]),
});

/** How old a document is, by what it says of itself. */
export interface DocumentMarks {
  readonly id: string | undefined;
  readonly validUntil: Date | undefined;
  /** mdrpi:PublicationInfo/@creationInstant in the root's Extensions */
  readonly creationInstant: Date | undefined;
}

/** The root's ID, validUntil and publication instant. */
export function documentMarks(root: Element): DocumentMarks {
  const until = attr(root, 'validUntil');
  let creationInstant: Date | undefined;
  for (const extensions of elementChildren(root).filter((c) => isElement(c, Ns.metadata, 'Extensions'))) {
    for (const info of elementChildren(extensions).filter((c) => isElement(c, MDRPI, 'PublicationInfo'))) {
      const instant = attr(info, 'creationInstant');
      creationInstant = instant === undefined ? undefined : xsDateTime(instant);
      if (instant !== undefined && creationInstant === undefined) {
        throw new Error(`PublicationInfo creationInstant "${instant}" is not an xs:dateTime`);
      }
    }
  }
  return {
    id: attr(root, 'ID'),
    validUntil: until === undefined ? undefined : xsDateTime(until),
    creationInstant,
  };
}

/** Plain http is refused unless the admin named that exact URL. */
export function checkMetadataUrl(url: string, policy: RemoteMetadataPolicy): void {
  if (/^https:\/\//i.test(url)) return;
  if (/^http:\/\//i.test(url) && policy.httpUrls.includes(url)) return;
  throw new Error(
    'plain http:// is refused for remote metadata (REMOTE_METADATA_HTTP_URLS may name this URL)',
  );
}

/** A document without validUntil would never expire; one valid for too long is a replay kept alive too long. */
export function checkHorizon(marks: DocumentMarks, now: Date, policy: RemoteMetadataPolicy): void {
  if (marks.validUntil === undefined) throw new Error('the document has no validUntil: refused');
  const horizon = now.getTime() + policy.maxValidityDays * 86_400_000;
  if (marks.validUntil.getTime() > horizon) {
    throw new Error(
      `validUntil is more than ${policy.maxValidityDays} days ahead (REMOTE_METADATA_MAX_VALIDITY_DAYS): refused`,
    );
  }
}

/** Refuses a document older than the installed one (a rollback), by publication instant, then validUntil. */
export function checkNotOlder(candidate: DocumentMarks, installed: DocumentMarks | undefined): void {
  if (installed === undefined) return;
  const older = (a: Date | undefined, b: Date | undefined) =>
    a !== undefined && b !== undefined && a.getTime() < b.getTime();
  if (older(candidate.creationInstant, installed.creationInstant)) {
    throw new Error('the document was published before the copy in use (creationInstant): rollback refused');
  }
  if (older(candidate.validUntil, installed.validUntil)) {
    throw new Error('the document expires before the copy in use (validUntil): rollback refused');
  }
  const sameInstant =
    candidate.creationInstant !== undefined &&
    candidate.creationInstant.getTime() === installed.creationInstant?.getTime();
  if (sameInstant && candidate.id !== installed.id) {
    throw new Error('another document with the same creationInstant as the copy in use (ID): refused');
  }
}
