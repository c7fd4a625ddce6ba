// The load driver: complete SP-initiated logins over real HTTP, as a browser walks them. A signed HTTP-Redirect
// AuthnRequest, every page with its cookie and CSRF token, the code from the SMS gateway, the SAML Response page;
// a sample of Responses is checked by a real SP library (signatures, audience, InResponseTo, attributes).

import { SAML, type ValidateInResponseTo } from '@node-saml/node-saml';
import { Pool } from 'undici';
import { formAction, inputValue } from '../test/helpers/browser-client.ts';
import { authnRequestXml, newRequestId, redirectQuery, type TestSp } from '../test/helpers/saml-sp.ts';
import type { SmsSink } from './sms-sink.ts';

/** The requests of one login, in order; their latencies are reported one by one. */
export const STEPS = ['sso', 'identify page', 'identify + SMS', 'code page', 'code + Response'] as const;
export type Step = (typeof STEPS)[number];

/** A signed AuthnRequest made ahead of time, so the driver's own RSA signing stays out of the measured run. */
export interface PreparedRequest {
  readonly id: string;
  readonly query: string;
}

/** Milliseconds of each step of one login, and of the whole. */
export interface LoginTiming {
  readonly steps: readonly number[];
  readonly total: number;
}

const GIVEN = 'Kari';
const FAMILY = 'Nordmann';
const FLOW_COOKIE = /(?:^|,\s*)nsi_flow=([^;]+)/;

export class LoginDriver {
  /** One connection pool per IdP process; step k of login n goes to process (n + k) mod their number. */
  readonly #pools: readonly Pool[];
  readonly #sp: TestSp;
  readonly #ssoUrl: string;
  readonly #sink: SmsSink;
  readonly #verifier: SAML;
  verified = 0;

  /** `origins`: the IdP processes; with several, every login walks through all of them (a shared store). */
  constructor(opts: {
    origins: readonly string[];
    connections: number;
    sp: TestSp;
    idp: { entityId: string; ssoUrl: string; certPem: string };
    sink: SmsSink;
  }) {
    this.#pools = opts.origins.map((o) => new Pool(o, { connections: opts.connections, pipelining: 1 }));
    this.#sp = opts.sp;
    this.#ssoUrl = opts.idp.ssoUrl;
    this.#sink = opts.sink;
    this.#verifier = new SAML({
      entryPoint: opts.idp.ssoUrl,
      idpCert: opts.idp.certPem,
      idpIssuer: opts.idp.entityId,
      issuer: opts.sp.entityId,
      callbackUrl: opts.sp.acsUrl,
      audience: opts.sp.entityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      // The requests are made here, not by node-saml; InResponseTo is compared below instead.
      validateInResponseTo: 'never' as ValidateInResponseTo,
    });
  }

  /** `count` signed AuthnRequests for the Redirect binding. */
  prepare(count: number): PreparedRequest[] {
    const out: PreparedRequest[] = [];
    for (let i = 0; i < count; i++) {
      const id = newRequestId();
      const xml = authnRequestXml({ issuer: this.#sp.entityId, destination: this.#ssoUrl, id });
      const query = redirectQuery(xml, {
        relayState: 'bench',
        sign: { privateKeyPem: this.#sp.keys.privateKeyPem },
      });
      out.push({ id, query });
    }
    return out;
  }

  /** One login as user number `n` (its own phone number and client address); `verify` checks the Response. */
  async login(request: PreparedRequest, n: number, verify: boolean): Promise<LoginTiming> {
    const phone = `+4791${String(n % 1_000_000).padStart(6, '0')}`;
    const base = {
      'accept-language': 'nb',
      'sec-fetch-mode': 'navigate',
      // Behind the load balancer a deployment has: each user its own address (TRUST_PROXY=127.0.0.1).
      'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    };
    const steps: number[] = [];
    const start = performance.now();
    let mark = start;
    const lap = () => {
      const now = performance.now();
      steps.push(now - mark);
      mark = now;
    };

    const sso = await this.#send(n, 'GET', `/saml/sso?${request.query}`, {
      ...base,
      'sec-fetch-site': 'cross-site',
    });
    const flowPath = expectRedirect(sso, 'sso');
    const cookie = FLOW_COOKIE.exec(String(sso.headers['set-cookie'] ?? ''))?.[1];
    if (cookie === undefined) throw new Error('sso: no flow cookie');
    lap();
    const page = { ...base, 'sec-fetch-site': 'same-origin', cookie: `nsi_flow=${cookie}` };

    const identify = expectPage(await this.#send(n + 1, 'GET', flowPath, page), 'identify page');
    lap();
    const sent = await this.#send(n + 2, 'POST', formPath(identify, flowPath), page, {
      ...formFields(identify),
      given_name: GIVEN,
      family_name: FAMILY,
      phone,
    });
    const codePath = expectRedirect(sent, 'identify + SMS');
    lap();
    const codePage = expectPage(await this.#send(n + 3, 'GET', codePath, page), 'code page');
    lap();
    const answered = expectPage(
      await this.#send(n + 4, 'POST', formPath(codePage, codePath), page, {
        ...formFields(codePage),
        code: this.#sink.takeCode(phone),
      }),
      'code + Response',
    );
    lap();
    const samlResponse = inputValue(answered, 'SAMLResponse');
    if (samlResponse === undefined)
      throw new Error(`code + Response: no SAMLResponse: ${answered.slice(0, 300)}`);
    const total = performance.now() - start;
    if (verify) await this.#verify(samlResponse, request.id, phone);
    return { steps, total };
  }

  async #verify(samlResponse: string, requestId: string, phone: string): Promise<void> {
    const { profile } = await this.#verifier.validatePostResponseAsync({ SAMLResponse: samlResponse });
    if (profile?.inResponseTo !== requestId) throw new Error('Response: InResponseTo is not the request ID');
    if (profile.PHONE_NUMBER !== phone || profile.FULLNAME !== `${GIVEN} ${FAMILY}`) {
      throw new Error('Response: attributes are not the ones entered');
    }
    this.verified += 1;
  }

  /** One request, to IdP process `which` modulo their number. */
  async #send(
    which: number,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    form?: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const pool = this.#pools[which % this.#pools.length] as Pool;
    const response = await pool.request({
      method,
      path,
      headers:
        form === undefined ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form === undefined ? undefined : new URLSearchParams(form).toString(),
    });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  }

  async close(): Promise<void> {
    await Promise.all(this.#pools.map((p) => p.close()));
  }
}

function expectRedirect(r: { status: number; headers: Record<string, unknown>; body: string }, step: Step) {
  const location = r.headers.location;
  if (r.status !== 303 || typeof location !== 'string' || !location.startsWith('/login/')) {
    throw new Error(`${step}: expected a 303 to a flow page, got ${r.status}: ${r.body.slice(0, 300)}`);
  }
  return location;
}

function expectPage(r: { status: number; body: string }, step: Step): string {
  if (r.status !== 200) throw new Error(`${step}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  return r.body;
}

/** The flow form's hidden fields (CSRF token and step). */
function formFields(html: string): Record<string, string> {
  const csrf = inputValue(html, 'csrf');
  const step = inputValue(html, 'step');
  if (csrf === undefined || step === undefined) throw new Error(`no flow form: ${html.slice(0, 300)}`);
  return { csrf, step };
}

function formPath(html: string, fallback: string): string {
  return formAction(html) ?? fallback;
}
