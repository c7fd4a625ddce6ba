// The demo SP's pages: start a login (preset, binding, signing, locale) and show the verified result.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type DemoSp, newRelayState } from '../demo/demo-sp.ts';
import { DEMO_LOGIN_SCHEMA } from './route-schemas.ts';
import { newNonce, postToSpCsp } from './security.ts';
import { renderPage } from './views.ts';

type DemoQuery = Partial<
  Record<'binding' | 'signed' | 'phone' | 'family' | 'given' | 'force' | 'locale', string>
>;

/** The `presetid` the seed describes, from the demo form's fields. */
function presetFrom(query: DemoQuery): string {
  const phone = (query.phone ?? '').trim();
  const family = (query.family ?? '').trim();
  const given = (query.given ?? '').trim();
  const name = family !== '' ? `${family}, ${given}` : '';
  return [phone, name].filter((part) => part !== '').join(' ');
}

export function registerDemoSp(app: FastifyInstance, demo: DemoSp): void {
  app.get('/demo', (_request, reply) =>
    renderPage(reply, 'demo', 'en', {
      title: 'Demo service provider',
      spName: 'Demo SP',
      entityId: demo.entityId,
    }),
  );

  app.get('/demo/metadata', (_request, reply) => {
    reply.header('content-type', 'application/samlmetadata+xml; charset=utf-8').send(demo.metadataXml());
  });

  app.get(
    '/demo/login',
    { schema: DEMO_LOGIN_SCHEMA },
    (request: FastifyRequest<{ Querystring: DemoQuery }>, reply) => {
      const query = request.query;
      const binding = query.binding === 'post' ? 'post' : 'redirect';
      const login = demo.createLogin({
        binding,
        signed: query.signed === 'yes',
        relayState: newRelayState(),
      });
      const extra = new URLSearchParams();
      const presetid = presetFrom(query);
      if (presetid !== '') extra.set('presetid', presetid);
      if (query.force === 'yes') extra.set('forcepkivendor', 'nets_sms');
      if (query.locale) extra.set('locale', query.locale);
      const suffix = extra.size > 0 ? extra.toString() : '';
      if ('url' in login) return reply.redirect(`${login.url}${suffix === '' ? '' : `&${suffix}`}`, 303);
      const nonce = newNonce();
      const action = `${login.action}${suffix === '' ? '' : `?${suffix}`}`;
      reply.header('content-security-policy', postToSpCsp(nonce));
      return renderPage(reply, 'demo-post', 'en', {
        title: 'Demo service provider',
        action,
        fields: Object.entries(login.fields).map(([name, value]) => ({ name, value })),
        nonce,
      });
    },
  );

  app.post('/demo/acs', async (request, reply) => {
    // Only text fields: a JSON body could carry numbers or objects where a form only has text.
    const body: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.body ?? {})) {
      if (typeof value === 'string') body[name] = value;
    }
    const result = await demo.readResponse(body);
    request.log.info({ event: 'demo.response', ok: result.ok, status: result.status }, 'demo.response');
    return renderPage(reply, 'demo-result', 'en', {
      title: 'Demo service provider',
      spName: 'Demo SP',
      result,
      attributes: Object.entries(result.attributes).map(([name, value]) => ({ name, value })),
      relayState: body.RelayState,
    });
  });
}
