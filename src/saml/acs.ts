// Resolves where the Response goes: an HTTP-POST AssertionConsumerService from the SP's metadata (docs/contract.md §4).

import { UntrustedRequestError } from '../errors.ts';
import type { AcsEndpoint, ServiceProviderEntry } from './metadata/sp-metadata.ts';
import { Binding } from './urn.ts';

/** What the AuthnRequest asked for; both undefined means "the default". */
export interface AcsRequest {
  readonly url: string | undefined;
  readonly index: number | undefined;
}

function defaultAcs(post: readonly AcsEndpoint[]): AcsEndpoint {
  const flagged = post.find((a) => a.isDefault);
  if (flagged !== undefined) return flagged;
  const indexed = post.filter((a) => a.index !== undefined);
  if (indexed.length > 0) return indexed.reduce((low, a) => (a.index! < low.index! ? a : low));
  return post[0]!;
}

/**
 * The request's URL (exact match) or index must name an HTTP-POST entry; with neither, the isDefault entry, else
 * the lowest index, else the first (docs/design.md §4a). Anything else throws 'acs-not-in-metadata': an assertion
 * never goes to a URL the metadata does not list.
 */
export function resolveAcs(sp: ServiceProviderEntry, asked: AcsRequest): AcsEndpoint {
  const post = sp.acs.filter((a) => a.binding === Binding.post);
  const refuse = (detail: string) =>
    new UntrustedRequestError('acs-not-in-metadata', `${sp.entityId}: ${detail}`);
  if (post.length === 0) throw refuse('the metadata lists no HTTP-POST AssertionConsumerService');
  let byIndex: AcsEndpoint | undefined;
  if (asked.index !== undefined) {
    byIndex = post.find((a) => a.index === asked.index);
    if (byIndex === undefined)
      throw refuse(`no HTTP-POST AssertionConsumerService with index ${asked.index}`);
  }
  if (asked.url !== undefined) {
    const byUrl = post.find((a) => a.url === asked.url);
    if (byUrl === undefined)
      throw refuse('AssertionConsumerServiceURL is not an HTTP-POST ACS of the metadata');
    if (byIndex !== undefined && byIndex.url !== byUrl.url) {
      throw refuse('AssertionConsumerServiceURL and AssertionConsumerServiceIndex name different endpoints');
    }
    return byUrl;
  }
  return byIndex ?? defaultAcs(post);
}
