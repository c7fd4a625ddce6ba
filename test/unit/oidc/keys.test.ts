// The OP's JWKS from the SAML key ring: the same keys, stable kids, and the rollover order.

import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { test } from 'node:test';
import { oidcJwks } from '../../../src/oidc/keys.ts';
import type { KeyRing } from '../../../src/saml/keys/key-ring.ts';
import { generateKeyPair, idpKeysFromPem } from '../../../src/saml/keys/keys.ts';

const pair = () => {
  const p = generateKeyPair('idp.example.test');
  return idpKeysFromPem(p.privateKeyPem, p.certPem, 'key', 'cert');
};
const current = pair();
const next = pair();

test('one pair: one RS256 signing key, the SAML key itself, with an RFC 7638 thumbprint kid', () => {
  const [key, ...rest] = oidcJwks({ current, next: undefined, signWith: 'current' } satisfies KeyRing);
  assert.equal(rest.length, 0);
  assert.equal(key?.alg, 'RS256');
  assert.equal(key?.use, 'sig');
  assert.match(key?.kid ?? '', /^[A-Za-z0-9_-]{43}$/);
  const jwk = current.privateKey.export({ format: 'jwk' });
  assert.equal(key?.n, jwk.n);
  assert.equal(key?.d, jwk.d);
  assert.equal(createPrivateKey({ key: key as never, format: 'jwk' }).asymmetricKeyType, 'rsa');
  assert.equal(oidcJwks({ current, next: undefined, signWith: 'current' })[0]?.kid, key?.kid, 'stable kid');
});

test('rollover: next is published after current, then signs first once IDP_SIGN_WITH=next', () => {
  const published = oidcJwks({ current, next, signWith: 'current' });
  const switched = oidcJwks({ current, next, signWith: 'next' });
  assert.equal(published.length, 2);
  assert.notEqual(published[0]?.kid, published[1]?.kid);
  assert.deepEqual(
    switched.map((k) => k.kid),
    [published[1]?.kid, published[0]?.kid],
  );
});
