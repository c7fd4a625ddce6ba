// Whole logins over real HTTP with an SP built on @node-saml/node-saml 5 and SMS through the webhook provider:
// both bindings × signed/unsigned requests × the seed's steps 2a–2d, and the failures an SP and a user see.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SAML, SamlStatusError } from '@node-saml/node-saml';
import { BrowserClient, httpTransport } from '../helpers/browser-client.ts';
import { type HttpIdp, startHttpIdp } from '../helpers/http-idp.ts';
import {
  authorizeForm,
  createNodeSamlSp,
  idpCertFromMetadata,
  type NodeSamlSpDefinition,
  nodeSamlSpMetadata,
  sentAuthnRequest,
} from '../helpers/node-saml-sp.ts';
import { LogLines } from '../helpers/refusals.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { testKeys } from '../helpers/saml-sp.ts';
import { WebhookSink } from '../helpers/webhook-sink.ts';

const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
/** Spaces, `&`, `<`, quotes, non-ASCII and characters that look already encoded: it must come back unchanged. */
const RELAY_STATE = 'back to /cart?item=42&size=L <b>"Ærlig" ✓</b> 100%+tax %20';
/**
 * node-saml 5.1 signs a Redirect request over `querystring.stringify` octets (space → %20; ' ! ( ) ~ left bare) but
 * sends `URL.searchParams` octets (space → +; ' ! ( ) ~ percent-encoded), so a signed Redirect RelayState holding
 * those characters carries a signature that does not verify over the octets received (SAML bindings §3.4.4.1); the
 * IdP also tries the query re-encoded that way (saml/inbound/bindings.ts). The matrix's signed Redirect cases use this one,
 * still with `&`, `<`, quotes and non-ASCII; the test "signed HTTP-Redirect with spaces in RelayState" below sends
 * RELAY_STATE itself.
 */
const SIGNED_REDIRECT_RELAY_STATE = 'back-to:/cart?item=42&size=L<b>"Ærlig"✓</b>100%+tax%20';

/** The RelayState a case sends. */
function relayStateFor(binding: Binding, signed: boolean): string {
  return binding === 'HTTP-Redirect' && signed ? SIGNED_REDIRECT_RELAY_STATE : RELAY_STATE;
}

const plainSp: NodeSamlSpDefinition = {
  entityId: 'https://shop.node-saml.example/sp',
  acsUrl: 'https://shop.node-saml.example/login/callback',
};
const signingSp: NodeSamlSpDefinition = {
  entityId: 'https://bank.node-saml.example/sp',
  acsUrl: 'https://bank.node-saml.example/login/callback',
  keys: testKeys('node-saml-e2e-sp'),
};

interface Person {
  readonly phone: string;
  readonly givenName: string;
  readonly familyName: string;
}
const ANTON: Person = { phone: '+46701234567', givenName: 'Anton Erik', familyName: 'Svenson' };
const KARI: Person = { phone: '+4791234567', givenName: 'Kari', familyName: 'Nordmann' };
const AINO: Person = { phone: '+358401234567', givenName: 'Aino', familyName: 'Virtanen' };
const ASE: Person = { phone: '+4741234567', givenName: 'Åse Marie', familyName: 'Ødegård' };

const encoded = encodeURIComponent;
const base64 = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('base64'));

type Binding = 'HTTP-Redirect' | 'HTTP-POST';
interface Combo {
  readonly binding: Binding;
  readonly signed: boolean;
  /** docs/contract.md §2: an SP may configure `?forcepkivendor=nets_sms` on the SSO URL; it then rides in Destination. */
  readonly forcepkivendor: boolean;
}
const COMBOS: readonly Combo[] = [
  { binding: 'HTTP-Redirect', signed: false, forcepkivendor: false },
  { binding: 'HTTP-Redirect', signed: true, forcepkivendor: true },
  { binding: 'HTTP-POST', signed: false, forcepkivendor: true },
  { binding: 'HTTP-POST', signed: true, forcepkivendor: false },
];

interface PresetCase {
  /** How the preset is written, for the test name. */
  readonly form: string;
  /** `presetid` exactly as it goes on the SSO URL's query (already URL-encoded, or deliberately not). */
  readonly presetid?: string;
  /** What the person types into the fields that are not locked. */
  readonly typed: Readonly<Record<string, string>>;
  readonly expect: Person;
}

interface Variant {
  readonly step: '2a' | '2b' | '2c' | '2d';
  readonly title: string;
  readonly lockedName: boolean;
  readonly lockedPhone: boolean;
  /** One per COMBOS entry, so every binding/signing pair meets a different preset format. */
  readonly cases: readonly [PresetCase, PresetCase, PresetCase, PresetCase];
}

const names = (p: Person) => ({ given_name: p.givenName, family_name: p.familyName });

/** The seed's steps 2a–2d with its presetid formats (docs/contract.md §2). */
const VARIANTS: readonly Variant[] = [
  {
    step: '2a',
    title: 'nothing preset',
    lockedName: false,
    lockedPhone: false,
    cases: [
      { form: 'number typed with spaces', typed: { ...names(KARI), phone: '+47 912 34 567' }, expect: KARI },
      {
        form: 'number typed with a dash',
        typed: { ...names(ANTON), phone: '+46 70-123 45 67' },
        expect: ANTON,
      },
      { form: 'Finnish number', typed: { ...names(AINO), phone: '+358 40 123 4567' }, expect: AINO },
      { form: 'non-ASCII name', typed: { ...names(ASE), phone: '+4741234567' }, expect: ASE },
    ],
  },
  {
    step: '2b',
    title: 'phone preset',
    lockedName: false,
    lockedPhone: true,
    cases: [
      { form: '%2B-encoded', presetid: '%2B4791234567', typed: names(KARI), expect: KARI },
      {
        form: 'unencoded +, read as a leading space',
        presetid: '+46701234567',
        typed: names(ANTON),
        expect: ANTON,
      },
      { form: 'Base64', presetid: base64('+358401234567'), typed: names(AINO), expect: AINO },
      { form: 'seed format, encoded', presetid: encoded('+4741234567'), typed: names(ASE), expect: ASE },
    ],
  },
  {
    step: '2c',
    title: 'name and phone preset',
    lockedName: true,
    lockedPhone: true,
    cases: [
      {
        form: 'seed format',
        presetid: encoded('+46701234567 Svenson, Anton Erik'),
        typed: {},
        expect: ANTON,
      },
      {
        form: 'unencoded, no space after the comma',
        presetid: '+4791234567+Nordmann,Kari',
        typed: {},
        expect: KARI,
      },
      { form: 'Base64', presetid: base64('+358401234567 Virtanen, Aino'), typed: {}, expect: AINO },
      { form: 'non-ASCII name', presetid: encoded('+4741234567 Ødegård, Åse Marie'), typed: {}, expect: ASE },
    ],
  },
  {
    step: '2d',
    title: 'name preset',
    lockedName: true,
    lockedPhone: false,
    cases: [
      {
        form: 'seed format "Svenson, Anton Erik"',
        presetid: encoded('Svenson, Anton Erik'),
        typed: { phone: ANTON.phone },
        expect: ANTON,
      },
      {
        form: 'no space after the comma',
        presetid: encoded('Nordmann,Kari'),
        typed: { phone: KARI.phone },
        expect: KARI,
      },
      {
        form: 'Base64, non-ASCII',
        presetid: base64('Ødegård, Åse Marie'),
        typed: { phone: '+47 41 23 45 67' },
        expect: ASE,
      },
      { form: 'spaces sent as +', presetid: 'Virtanen,+Aino', typed: { phone: AINO.phone }, expect: AINO },
    ],
  },
];

/** Values posted for locked fields; the server must ignore them (docs/contract.md §2: preset values are locked). */
const TAMPERED = { given_name: 'Mallory', family_name: 'Intruder', phone: '+4798765432' };

let sink: WebhookSink | undefined;
let idp: HttpIdp | undefined;
let idpCertPem = '';
const logs = new LogLines();

before(async () => {
  sink = await WebhookSink.start();
  idp = await startHttpIdp({
    sps: {
      'node-saml-plain': nodeSamlSpMetadata(plainSp),
      'node-saml-signing': nodeSamlSpMetadata(signingSp),
    },
    env: {
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: sink.url,
      SMS_WEBHOOK_TIMEOUT_MS: '2000',
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      // Every login here comes from 127.0.0.1 and reuses a few numbers; the per-hour caps are not under test.
      SMS_MAX_PER_IP: '1000',
      SMS_MAX_PER_PHONE: '100',
    },
    logStream: logs.stream,
  });
  const metadata = await fetch(`${idp.baseUrl}/saml/metadata`);
  assert.equal(metadata.status, 200);
  idpCertPem = idpCertFromMetadata(await metadata.text());
});

after(async () => {
  try {
    await idp?.close();
  } finally {
    await sink?.close();
  }
});

function running(): { idp: HttpIdp; sink: WebhookSink } {
  if (idp === undefined || sink === undefined) throw new Error('the IdP is not running');
  return { idp, sink };
}

function spFor(sp: NodeSamlSpDefinition, combo: Combo, signRequests = combo.signed): SAML {
  const { idp } = running();
  return createNodeSamlSp(
    sp,
    {
      entryPoint: combo.forcepkivendor ? `${idp.ssoUrl}?forcepkivendor=nets_sms` : idp.ssoUrl,
      certPem: idpCertPem,
      entityId: idp.entityId,
    },
    { signRequests, binding: combo.binding },
  );
}

/** Adds E-Ident's parameters to the SSO URL's query, as written (docs/contract.md §2: they ride on either binding). */
function withQuery(url: string, presetid: string | undefined): string {
  if (presetid === undefined) return url;
  return `${url}${url.includes('?') ? '&' : '?'}presetid=${presetid}`;
}

/** The browser leg node-saml starts: Redirect via its URL, POST via its auto-submitting form. */
async function startLogin(
  saml: SAML,
  binding: Binding,
  opts: { presetid?: string; relayState?: string } = {},
): Promise<{ client: BrowserClient; requestId: string; signed: boolean }> {
  const { presetid, relayState = RELAY_STATE } = opts;
  const client = new BrowserClient(httpTransport(running().idp.baseUrl, { 'accept-language': 'en' }));
  if (binding === 'HTTP-Redirect') {
    const url = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
    const query = new URL(url).searchParams;
    const sent = sentAuthnRequest(query.get('SAMLRequest') ?? '');
    await client.go('GET', withQuery(url, presetid));
    return { client, requestId: sent.id, signed: query.has('Signature') };
  }
  const { action, fields } = authorizeForm(await saml.getAuthorizeFormAsync(relayState));
  assert.equal(fields.RelayState, relayState);
  const sent = sentAuthnRequest(fields.SAMLRequest ?? '');
  await client.go('POST', withQuery(action, presetid), fields);
  return { client, requestId: sent.id, signed: sent.xmlSigned };
}

/** Types the code from the SMS and returns what the auto-post page sends to the SP's ACS. */
async function enterCode(client: BrowserClient, phone: string) {
  const page = await client.submit({ code: running().sink.codeFor(phone) });
  assert.equal(page.status, 200, page.html.slice(0, 300));
  return client.samlPost();
}

function hasInput(html: string, name: string): boolean {
  return new RegExp(`<input[^>]*\\bname="${name}"`).test(html);
}

describe('node-saml SP: one login per binding × request signing × step 2 variant', () => {
  for (const variant of VARIANTS) {
    COMBOS.forEach((combo, i) => {
      const c = variant.cases[i] as PresetCase;
      const sp = combo.signed ? signingSp : plainSp;
      const name = `${combo.binding} ${combo.signed ? 'signed' : 'unsigned'} request${
        combo.forcepkivendor ? ' (?forcepkivendor=nets_sms)' : ''
      }, step ${variant.step} ${variant.title}: ${c.form}`;

      test(name, async () => {
        const { sink } = running();
        const saml = spFor(sp, combo);
        const relayState = relayStateFor(combo.binding, combo.signed);
        const { client, requestId, signed } = await startLogin(saml, combo.binding, {
          presetid: c.presetid,
          relayState,
        });
        assert.equal(signed, combo.signed, 'node-saml signed the request as this case says');

        const identify = client.page;
        assert.equal(identify?.status, 200, identify?.html.slice(0, 300));
        assert.match(identify.url, /^\/login\/[^/?]+/);
        assert.equal(hasInput(identify.html, 'given_name'), !variant.lockedName);
        assert.equal(hasInput(identify.html, 'family_name'), !variant.lockedName);
        assert.equal(hasInput(identify.html, 'phone'), !variant.lockedPhone);
        assert.equal(identify.html.includes('id="locked-name"'), variant.lockedName);
        assert.equal(identify.html.includes('id="locked-phone"'), variant.lockedPhone);

        const before = sink.accepted(c.expect.phone).length;
        const codePage = await client.submit({ ...TAMPERED, ...c.typed });
        assert.equal(codePage.status, 200, codePage.html.slice(0, 300));
        assert.ok(hasInput(codePage.html, 'code'), 'on the code step');
        const sms = sink.accepted(c.expect.phone);
        assert.equal(sms.length, before + 1, 'one SMS to the expected number');
        assert.equal(sms.at(-1)?.contentType, 'application/json');
        assert.match(sms.at(-1)?.message ?? '', /\n@127\.0\.0\.1 #\d{6}$/);
        assert.equal(sink.received.filter((r) => r.to === TAMPERED.phone).length, 0);

        const post = await enterCode(client, c.expect.phone);
        assert.equal(post.acsUrl, sp.acsUrl);
        assert.equal(post.relayState, relayState, 'RelayState comes back byte for byte');
        const { profile, loggedOut } = await saml.validatePostResponseAsync({
          SAMLResponse: post.samlResponse,
          RelayState: post.relayState ?? '',
        });
        assert.equal(loggedOut, false);
        assert.ok(profile, 'node-saml accepted the Response and gave a profile');
        assert.equal(profile.issuer, running().idp.entityId);
        assert.equal(profile.inResponseTo, requestId);
        assert.equal(profile.nameID, c.expect.phone);
        assert.equal(profile.nameIDFormat, UNSPECIFIED);
        assert.equal(profile.PHONE_NUMBER, c.expect.phone);
        assert.equal(profile.SURNAME, c.expect.familyName);
        assert.equal(profile.GIVENNAME, c.expect.givenName);
        assert.equal(profile.FULLNAME, `${c.expect.givenName} ${c.expect.familyName}`);
        assert.equal(profile.PID, c.expect.phone);
        assert.equal(profile.IDPROVIDER, 'nets_sms');

        const r = readResponse(post.xml);
        assert.equal(r.inResponseTo, requestId);
        assert.equal(r.audience, sp.entityId);
        assert.equal(r.destination, sp.acsUrl);
        assert.equal(r.recipient, sp.acsUrl);
      });
    });
  }
});

describe('node-saml SP: failures', () => {
  const redirectPlain = COMBOS[0] as Combo;

  for (const binding of ['HTTP-Redirect', 'HTTP-POST'] as const) {
    test(`${binding}: an SP whose metadata says AuthnRequestsSigned="true" sending unsigned gets 400, no Response`, async () => {
      const { sink } = running();
      const sent = sink.received.length;
      const saml = spFor(signingSp, { binding, signed: false, forcepkivendor: true }, false);
      const { client, signed } = await startLogin(saml, binding);
      assert.equal(signed, false);
      const page = client.page;
      assert.equal(page?.status, 400);
      assert.doesNotMatch(page.html, /SAMLResponse/);
      assert.doesNotMatch(page.html, /login\/callback/, 'nothing points the browser at the ACS');
      logs.assertRefused(page.html, 'signature-required', /must be signed/);
      assert.equal(sink.received.length, sent, 'no SMS');
    });
  }

  test('signed HTTP-Redirect with spaces in RelayState: node-saml signs %20 but sends +; the login still starts', async () => {
    const saml = spFor(signingSp, COMBOS[1] as Combo);
    const { client, signed } = await startLogin(saml, 'HTTP-Redirect', { relayState: RELAY_STATE });
    assert.equal(signed, true);
    assert.equal(client.page?.status, 200, 'the identify page, not an error page');
    assert.match(client.page.url, /^\/login\//);
  });

  test('cancel: node-saml reports Responder/AuthnFailed instead of a profile', async () => {
    const saml = spFor(plainSp, redirectPlain);
    const { client, requestId } = await startLogin(saml, 'HTTP-Redirect');
    await client.submit({ action: 'cancel' });
    const post = client.samlPost();
    assert.equal(post.relayState, RELAY_STATE);
    assert.equal(readResponse(post.xml).inResponseTo, requestId);
    await assert.rejects(
      saml.validatePostResponseAsync({ SAMLResponse: post.samlResponse, RelayState: post.relayState ?? '' }),
      (error: unknown) => {
        assert.ok(error instanceof SamlStatusError, String(error));
        assert.match(error.message, /Responder error: cancel/);
        assert.match(error.xmlStatus, /urn:oasis:names:tc:SAML:2\.0:status:Responder/);
        assert.match(error.xmlStatus, /urn:oasis:names:tc:SAML:2\.0:status:AuthnFailed/);
        return true;
      },
    );
  });

  test('the webhook answering 500: the form again with a retry message; a later send works', async () => {
    const { sink } = running();
    const saml = spFor(plainSp, redirectPlain);
    const { client } = await startLogin(saml, 'HTTP-Redirect');
    const fields = { ...names(KARI), phone: KARI.phone };
    const failedBefore = sink.received.filter((r) => r.status === 500).length;
    sink.status = 500;
    try {
      const page = await client.submit(fields);
      assert.equal(page.status, 400);
      assert.match(page.html, /We could not send the code\. Please try again/);
      assert.ok(hasInput(page.html, 'phone'), 'still on the identify step');
      assert.ok(!hasInput(page.html, 'code'));
    } finally {
      sink.status = 200;
    }
    assert.equal(sink.received.filter((r) => r.status === 500).length, failedBefore + 1);
    const codePage = await client.submit(fields);
    assert.ok(hasInput(codePage.html, 'code'), 'the retry reached the code step');
    const post = await enterCode(client, KARI.phone);
    const { profile } = await saml.validatePostResponseAsync({
      SAMLResponse: post.samlResponse,
      RelayState: post.relayState ?? '',
    });
    assert.equal(profile?.PHONE_NUMBER, KARI.phone);
  });

  test('the webhook answering 400: a permanent-failure message, no code step', async () => {
    const { sink } = running();
    const saml = spFor(plainSp, redirectPlain);
    const { client } = await startLogin(saml, 'HTTP-Redirect');
    sink.status = 400;
    try {
      const page = await client.submit({ ...names(ANTON), phone: ANTON.phone });
      assert.equal(page.status, 400);
      assert.match(page.html, /We could not send the code to this number\. Check that the number is correct/);
      assert.doesNotMatch(page.html, /Please try again/);
      assert.ok(hasInput(page.html, 'phone'));
      assert.ok(!hasInput(page.html, 'code'));
    } finally {
      sink.status = 200;
    }
  });
});
