// Builds our signed LogoutRequests and LogoutResponses and puts them on the HTTP-Redirect or HTTP-POST binding.

import { sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { NameIdFormat } from '../../types.ts';
import type { IdpKeys } from '../keys/keys.ts';
import { nameIdFormatUrn } from './name-id.ts';
import type { ServiceProviderEntry } from '../metadata/sp-registry.ts';
import { Alg, Binding, Ns, StatusSuccess } from '../urn.ts';
import { newSamlId, samlTime } from '../values.ts';
import { signElement } from '../xml/template-signer.ts';
import { el, renderXml, type XmlElement } from '../xml/xml-writer.ts';

/** Status codes of Single Logout (SAML core §3.2.2.2, §3.7.3.2). */
export const LogoutStatus = {
  success: StatusSuccess,
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  /** Second level: the logout could not be propagated to every session participant. */
  partialLogout: 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout',
  /** Second level: no session of that principal, as named, is known. */
  unknownPrincipal: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
} as const;

/** The two bindings of /saml/slo. */
export type SloBinding = 'redirect' | 'post';

/** An SP's SingleLogoutService for one binding (SAML metadata §2.2.2, §2.4.2). */
export interface SloEndpoint {
  readonly binding: SloBinding;
  /** Location: where requests go. */
  readonly url: string;
  /** ResponseLocation, else Location: where responses go. */
  readonly responseUrl: string;
}

/** A message ready for the browser: a URL to redirect to, or a form to auto-post. */
export type OutboundMessage =
  | { readonly binding: 'redirect'; readonly url: string }
  | { readonly binding: 'post'; readonly url: string; readonly fields: Readonly<Record<string, string>> };

/** The NameID a LogoutRequest names: exactly what the assertion to that SP carried. */
export interface LogoutNameId {
  readonly value: string;
  readonly format: NameIdFormat;
  readonly spNameQualifier: string;
}

/** A LogoutResponse status: top level, optional second level and message. */
export interface LogoutStatusValue {
  readonly code: string;
  readonly subCode?: string;
  readonly message?: string;
}

const BINDING_URN: Record<SloBinding, string> = { redirect: Binding.redirect, post: Binding.post };

/**
 * The SP's SingleLogoutService to use: the `preferred` binding when the SP lists it (a response on the binding the
 * request came on), else HTTP-Redirect, else HTTP-POST. Undefined when it lists neither: we cannot reach it.
 */
export function sloEndpoint(sp: ServiceProviderEntry, preferred?: SloBinding): SloEndpoint | undefined {
  const order: SloBinding[] = preferred === 'post' ? ['post', 'redirect'] : ['redirect', 'post'];
  for (const binding of order) {
    const entry = sp.sloEndpoints.find((e) => e.binding === BINDING_URN[binding]);
    if (entry !== undefined) return { binding, url: entry.url, responseUrl: entry.responseUrl ?? entry.url };
  }
  return undefined;
}

/** What every logout message needs from the IdP. */
export interface LogoutBuilderOptions {
  readonly keys: IdpKeys;
  /** During a key rollover: the pair that signs for this SP (as its assertions are signed); default `keys`. */
  readonly keysFor?: (spEntityId: string) => IdpKeys;
  readonly idpEntityId: string;
  /** A LogoutRequest's NotOnOrAfter, seconds after issue. */
  readonly requestTtlSeconds: number;
}

/** Signs logout messages with the IdP key: RSA-SHA256 over the query (Redirect) or enveloped by the template
 * signer, as Responses are (POST). */
export class LogoutMessageBuilder {
  readonly #opts: LogoutBuilderOptions;

  constructor(opts: LogoutBuilderOptions) {
    this.#opts = opts;
  }

  /** A LogoutRequest to a session participant (SAML core §3.7.1) naming its NameID and SessionIndex. */
  request(
    to: {
      spEntityId: string;
      endpoint: SloEndpoint;
      requestId: string;
      nameId: LogoutNameId;
      sessionIndex: string;
    },
    now: Date,
  ): OutboundMessage {
    const { idpEntityId, requestTtlSeconds } = this.#opts;
    const qualified = to.nameId.format !== 'unspecified';
    const message = el(
      'samlp:LogoutRequest',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: to.requestId,
        Version: '2.0',
        IssueInstant: samlTime(now),
        Destination: to.endpoint.url,
        NotOnOrAfter: samlTime(new Date(now.getTime() + requestTtlSeconds * 1000)),
      },
      [
        el('saml:Issuer', {}, [idpEntityId]),
        el(
          'saml:NameID',
          {
            Format: nameIdFormatUrn(to.nameId.format),
            NameQualifier: qualified ? idpEntityId : undefined,
            SPNameQualifier: qualified ? to.nameId.spNameQualifier : undefined,
          },
          [to.nameId.value],
        ),
        el('samlp:SessionIndex', {}, [to.sessionIndex]),
      ],
    );
    return this.#encode(to.spEntityId, 'SAMLRequest', message, to.endpoint.binding, to.endpoint.url);
  }

  /** A LogoutResponse (SAML core §3.7.2) to `endpoint.responseUrl`, with the initiator's RelayState echoed. */
  response(
    to: {
      spEntityId: string;
      endpoint: SloEndpoint;
      inResponseTo: string;
      status: LogoutStatusValue;
      relayState: string | undefined;
    },
    now: Date,
  ): OutboundMessage {
    const { status } = to;
    const message = el(
      'samlp:LogoutResponse',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: newSamlId(),
        InResponseTo: to.inResponseTo,
        Version: '2.0',
        IssueInstant: samlTime(now),
        Destination: to.endpoint.responseUrl,
      },
      [
        el('saml:Issuer', {}, [this.#opts.idpEntityId]),
        el('samlp:Status', {}, [
          el('samlp:StatusCode', { Value: status.code }, [
            status.subCode !== undefined && el('samlp:StatusCode', { Value: status.subCode }),
          ]),
          status.message !== undefined && el('samlp:StatusMessage', {}, [status.message]),
        ]),
      ],
    );
    const { binding, responseUrl } = to.endpoint;
    return this.#encode(to.spEntityId, 'SAMLResponse', message, binding, responseUrl, to.relayState);
  }

  #encode(
    spEntityId: string,
    parameter: 'SAMLRequest' | 'SAMLResponse',
    message: XmlElement,
    binding: SloBinding,
    url: string,
    relayState?: string,
  ): OutboundMessage {
    const keys = this.#opts.keysFor?.(spEntityId) ?? this.#opts.keys;
    if (binding === 'post') {
      const signed = renderXml(signElement(message, keys), { declaration: true });
      const body = Buffer.from(signed, 'utf8').toString('base64');
      return {
        binding,
        url,
        fields: { [parameter]: body, ...(relayState === undefined ? {} : { RelayState: relayState }) },
      };
    }
    // SAML bindings §3.4.4.1: DEFLATE, base64, URL-encode; the signature covers the octets as sent.
    const xml = renderXml(message);
    const parts = [
      `${parameter}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`,
    ];
    if (relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
    parts.push(`SigAlg=${encodeURIComponent(Alg.rsaSha256)}`);
    const signature = sign('sha256', Buffer.from(parts.join('&'), 'utf8'), keys.privateKey);
    parts.push(`Signature=${encodeURIComponent(signature.toString('base64'))}`);
    return { binding, url: `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}` };
  }
}
