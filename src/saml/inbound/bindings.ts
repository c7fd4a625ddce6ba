// Takes a SAML message off the HTTP-Redirect or HTTP-POST binding: strict query parsing, capped base64 and DEFLATE.
// One decoder per binding; each takes the parameter the message travels in (SAMLRequest or SAMLResponse).

import { escape as qsEscape } from 'node:querystring';
import { inflateRawSync } from 'node:zlib';
import { UntrustedRequestError } from '../../errors.ts';
import { DeflateEncoding } from '../urn.ts';

/** The parameter a message travels in: requests in SAMLRequest, responses in SAMLResponse (SAML bindings §3.4.4). */
export type MessageParameter = 'SAMLRequest' | 'SAMLResponse';

/** What the HTTP layer hands over for one request to the SSO endpoint. */
export interface SsoHttpInput {
  readonly binding: 'redirect' | 'post';
  /** The raw query string as received (after '?', not decoded) — Redirect signatures are over its octets. */
  readonly rawQuery: string;
  /** The POST form fields (already parsed), for the post binding. */
  readonly form: Readonly<Record<string, string | string[] | undefined>>;
  /** Our SSO endpoint URL without query (BASE_URL + '/saml/sso'); Destination is compared with it after
   * stripping any query from Destination (CONTRACT §2: SPs put ?forcepkivendor=… into Destination). */
  readonly endpointUrl: string;
}

/**
 * The Redirect-binding signature: algorithm, value, and the octets it may sign. The first candidate is the raw query
 * as received (SAML bindings §3.4.4.1); the second re-encodes the same decoded values the way Node's querystring does,
 * because node-saml signs that form but sends another. Both cover the same values, so accepting either is safe.
 */
export interface QuerySignature {
  readonly sigAlg: string;
  readonly signature: Buffer;
  readonly signedOctets: readonly Buffer[];
}

/** A message taken off the binding, not yet parsed or trusted. */
export interface DecodedMessage {
  readonly xml: string;
  readonly relayState: string | undefined;
  readonly querySignature: QuerySignature | undefined;
}

/** Size limits applied while decoding. */
export interface DecodeLimits {
  readonly maxBytes: number;
  readonly relayStateMaxBytes: number;
}

export interface QueryParam {
  readonly value: string;
  /** The `name=value` segment exactly as sent. */
  readonly raw: string;
}

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new UntrustedRequestError('malformed', 'the query string has an invalid percent-encoding');
  }
}

/** Splits a raw query into parameters; any parameter given twice is refused (docs/design.md §4). */
export function parseRawQuery(rawQuery: string): Map<string, QueryParam> {
  const params = new Map<string, QueryParam>();
  const query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  for (const segment of query.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const name = formDecode(eq < 0 ? segment : segment.slice(0, eq));
    const value = formDecode(eq < 0 ? '' : segment.slice(eq + 1));
    if (params.has(name)) {
      throw new UntrustedRequestError(
        'malformed',
        `query parameter "${name.slice(0, 40)}" appears more than once`,
      );
    }
    params.set(name, { value, raw: segment });
  }
  return params;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(value: string, maxBytes: number, what: string): Buffer {
  // Whitespace may wrap POSTed base64; a '+' sent unencoded in a query arrives as a space.
  const compact = value.replace(/[\t\r\n]/g, '').replace(/ /g, '+');
  if (compact.length > Math.ceil(maxBytes / 3) * 4 + 4) {
    throw new UntrustedRequestError('too-large', `${what} is larger than ${maxBytes} bytes`);
  }
  if (compact === '' || !BASE64.test(compact))
    throw new UntrustedRequestError('malformed', `${what} is not base64`);
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > maxBytes)
    throw new UntrustedRequestError('too-large', `${what} is larger than ${maxBytes} bytes`);
  return bytes;
}

function inflate(bytes: Buffer, maxBytes: number, parameter: MessageParameter): Buffer {
  try {
    return inflateRawSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new UntrustedRequestError(
        'too-large',
        `the inflated ${parameter} is larger than ${maxBytes} bytes`,
      );
    }
    throw new UntrustedRequestError('malformed', `${parameter} is not DEFLATE data`);
  }
}

function looksLikeXml(bytes: Buffer): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  return bytes[i] === 0x3c;
}

function utf8(bytes: Buffer, parameter: MessageParameter): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UntrustedRequestError('malformed', `${parameter} is not UTF-8`);
  }
}

function checkRelayState(relayState: string | undefined, limits: DecodeLimits): void {
  if (relayState !== undefined && Buffer.byteLength(relayState, 'utf8') > limits.relayStateMaxBytes) {
    throw new UntrustedRequestError(
      'relay-state',
      `RelayState is longer than ${limits.relayStateMaxBytes} bytes`,
    );
  }
}

function singleField(form: SsoHttpInput['form'], name: string): string | undefined {
  const v: unknown = form[name];
  if (Array.isArray(v))
    throw new UntrustedRequestError('malformed', `form field ${name} appears more than once`);
  // A JSON body can carry numbers, objects or booleans where a form only has text.
  if (v !== undefined && typeof v !== 'string')
    throw new UntrustedRequestError('malformed', `form field ${name} is not text`);
  return v;
}

/** HTTP-Redirect (SAML bindings §3.4): the DEFLATEd message, RelayState and the query signature in the query. */
export function decodeRedirect(
  query: ReadonlyMap<string, QueryParam>,
  parameter: MessageParameter,
  limits: DecodeLimits,
): DecodedMessage {
  const message = query.get(parameter);
  if (message === undefined) throw new UntrustedRequestError('malformed', `no ${parameter} parameter`);
  const encoding = query.get('SAMLEncoding');
  if (encoding !== undefined && encoding.value !== DeflateEncoding) {
    throw new UntrustedRequestError('malformed', 'SAMLEncoding is not DEFLATE');
  }
  const relayState = query.get('RelayState');
  const sigAlg = query.get('SigAlg');
  const signature = query.get('Signature');
  let querySignature: QuerySignature | undefined;
  if (sigAlg !== undefined || signature !== undefined) {
    if (sigAlg === undefined || signature === undefined) {
      throw new UntrustedRequestError('bad-signature', 'Signature and SigAlg must come together');
    }
    const signed: [string, QueryParam][] = [[parameter, message]];
    if (relayState !== undefined) signed.push(['RelayState', relayState]);
    signed.push(['SigAlg', sigAlg]);
    const raw = signed.map(([, p]) => p.raw).join('&');
    const reencoded = signed.map(([name, p]) => `${name}=${qsEscape(p.value)}`).join('&');
    querySignature = {
      sigAlg: sigAlg.value,
      signature: decodeBase64(signature.value, 2048, 'Signature'),
      signedOctets: [raw, ...(reencoded === raw ? [] : [reencoded])].map((o) => Buffer.from(o, 'utf8')),
    };
  }
  checkRelayState(relayState?.value, limits);
  const bytes = decodeBase64(message.value, limits.maxBytes, parameter);
  const xml = utf8(inflate(bytes, limits.maxBytes, parameter), parameter);
  return { xml, relayState: relayState?.value, querySignature };
}

/** HTTP-POST (SAML bindings §3.5): the base64 message and RelayState in the form; the query carries neither. */
export function decodePost(
  form: SsoHttpInput['form'],
  query: ReadonlyMap<string, QueryParam>,
  parameter: MessageParameter,
  limits: DecodeLimits,
): DecodedMessage {
  for (const name of [parameter, 'SigAlg', 'Signature']) {
    if (query.has(name))
      throw new UntrustedRequestError('malformed', `${name} in the query of a POST request`);
  }
  const message = singleField(form, parameter);
  if (message === undefined) throw new UntrustedRequestError('malformed', `no ${parameter} form field`);
  const relayState = singleField(form, 'RelayState');
  checkRelayState(relayState, limits);
  const bytes = decodeBase64(message, limits.maxBytes, parameter);
  // Bindings §3.5.4 sends plain XML; node-saml (passport-saml) deflates unless told not to, so accept that too.
  const xml = looksLikeXml(bytes)
    ? utf8(bytes, parameter)
    : utf8(inflate(bytes, limits.maxBytes, parameter), parameter);
  return { xml, relayState, querySignature: undefined };
}

/** Decodes `parameter` off the request's binding; throws UntrustedRequestError (malformed, too-large, relay-state…). */
export function decodeMessage(
  input: SsoHttpInput,
  parameter: MessageParameter,
  limits: DecodeLimits,
): DecodedMessage {
  const query = parseRawQuery(input.rawQuery);
  return input.binding === 'redirect'
    ? decodeRedirect(query, parameter, limits)
    : decodePost(input.form, query, parameter, limits);
}
