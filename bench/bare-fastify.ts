// Floor, part 2 (run pinned, as its own process): a bare Fastify route answering a small HTML page, no logger,
// no plugins. The load driver measures its requests per second the same way it measures the IdP's pages.

import Fastify from 'fastify';

const PAGE = `<!doctype html><html lang="en"><title>ok</title><p>${'x'.repeat(2000)}</p></html>`;
const app = Fastify({ logger: false });
app.get('/healthz', async () => 'ok');
app.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
