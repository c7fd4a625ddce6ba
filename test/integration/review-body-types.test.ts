// Bodies whose fields are not text (a JSON body: numbers, objects, booleans) are refused as bad requests, never a 500.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { createTestSp } from '../helpers/saml-sp.ts';

const sp = createTestSp({ entityId: 'https://types.example.org/sp', keyName: 'types-sp' });
let idp: TestIdp;
const logged: { level: number; msg: string }[] = [];

before(async () => {
  idp = await buildTestIdp({
    sps: { sp: sp.metadataXml },
    env: { DEMO_SP: 'true' },
    logStream: { write: (line: string) => void logged.push(JSON.parse(line)) },
  });
});
after(() => idp.close());

/** Each body and the status it gets: the SAML endpoints' bad-request page, or the demo SP's "not logged in". */
const BODIES: readonly [string, Record<string, unknown>, number][] = [
  ['/saml/sso', { SAMLRequest: 5 }, 400],
  ['/saml/sso', { SAMLRequest: { deflated: true } }, 400],
  ['/saml/sso', { SAMLRequest: 'PHg+PC94Pg==', RelayState: 7 }, 400],
  ['/saml/slo', { SAMLRequest: { a: 1 } }, 400],
  ['/saml/slo', { SAMLResponse: true }, 400],
  ['/demo/acs', { SAMLResponse: 5 }, 200],
];

describe('form fields of the wrong type', () => {
  for (const [url, body, status] of BODIES) {
    test(`POST ${url} ${JSON.stringify(body)}: HTTP ${status}, no server error`, async () => {
      const before = logged.length;
      const response = await idp.app.inject({ method: 'POST', url, payload: body });
      assert.equal(response.statusCode, status);
      if (status === 400) assert.match(response.body, /class="reference"/);
      else assert.match(response.body, /Not logged in/);
      const errors = logged.slice(before).filter((line) => line.level >= 50);
      assert.deepEqual(
        errors.map((line) => line.msg),
        [],
        'nothing is logged as a server fault',
      );
    });
  }
});
