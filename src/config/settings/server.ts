// Settings table, server section: where the IdP listens, its public URL, its secret, the dev conveniences.

import { computed, atLeast, flag, type Parser, setting, text, wholeNumber } from '../setting.ts';

export const PORT = setting({
  name: 'PORT',
  parse: wholeNumber(0, 65535),
  default: 3000,
  doc: 'port to listen on',
});
export const HOST = setting({
  name: 'HOST',
  parse: text,
  default: '127.0.0.1',
  doc: 'interface to listen on',
});

/** An http(s) URL without query or fragment; trailing slashes dropped. */
const publicUrl: Parser<string> = (raw, name) => {
  const url = raw.replace(/\/+$/, '');
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
    if (parsed.search || parsed.hash) return { problem: `${name} must not have a query or fragment` };
  } catch {
    return { problem: `${name} must be an http(s) URL (got "${url}")` };
  }
  return { value: url };
};

/** Fastify `trustProxy`: false, true, a hop count or a list of proxy addresses. */
const trustProxy: Parser<boolean | number | string> = (raw) => {
  if (/^(false|0|no|off)$/i.test(raw)) return { value: false };
  if (/^(true|yes|on)$/i.test(raw)) return { value: true };
  if (/^\d+$/.test(raw)) return { value: Number(raw) };
  return { value: raw };
};

export const SERVER = {
  port: PORT,
  host: HOST,
  baseUrl: setting({
    name: 'BASE_URL',
    parse: publicUrl,
    default: computed(({ value }) => `http://localhost:${value(PORT)}`),
    defaultText: '`http://localhost:$PORT`',
    values: 'an `http(s)` URL without query',
    doc: 'public URL; entityID = `$BASE_URL/saml/metadata`',
  }),
  trustProxy: setting<boolean | number | string>({
    name: 'TRUST_PROXY',
    parse: trustProxy,
    default: false,
    values: '`true`, `false`, a hop count or proxy addresses',
    doc: 'read the client address from `X-Forwarded-For` only when set',
  }),
  secret: setting({
    name: 'IDP_SECRET',
    parse: atLeast(32),
    default: '',
    defaultText: 'generated into `DEV_KEY_DIR`',
    values: 'at least 32 characters',
    secret: true,
    doc:
      'key for code hashes, persistent NameIDs, SSO SessionIndex values and the logout form; set it (the same ' +
      'everywhere) in production',
  }),
  devKeyDir: setting({
    name: 'DEV_KEY_DIR',
    parse: text,
    default: '.dev-keys',
    doc: 'where the dev key pair, dev secret and demo SP keys are generated once',
  }),
  demoSp: setting({
    name: 'DEMO_SP',
    parse: flag,
    default: computed(({ env }) => env.NODE_ENV !== 'production'),
    defaultText: 'on unless `NODE_ENV=production`',
    doc: 'the demo SP at `/demo`',
  }),
};
