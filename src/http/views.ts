// Server-rendered pages: @fastify/view on a Handlebars instance with the `t` helper (translates in the page's locale).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import view from '@fastify/view';
import type { FastifyInstance, FastifyReply } from 'fastify';
import handlebars from 'handlebars';
import { htmlLang, type Locale, type MessageKey, translate } from '../i18n/index.ts';

/** Registers @fastify/view for `templatesDir` (layout.hbs, partials/, one template per page) and serves the CSS. */
export async function registerViews(app: FastifyInstance, templatesDir: string): Promise<void> {
  const hbs = handlebars.create();
  hbs.registerHelper('t', (key: string, options: handlebars.HelperOptions) => {
    const locale = (options.data as { root: { locale: Locale } }).root.locale;
    return translate(locale, key as MessageKey, options.hash as Record<string, string | number>);
  });
  const partials: Record<string, string> = {};
  for (const file of readdirSync(join(templatesDir, 'partials'))) {
    if (file.endsWith('.hbs')) partials[file.slice(0, -4)] = `partials/${file}`;
  }
  await app.register(view, {
    engine: { handlebars: hbs },
    root: templatesDir,
    layout: 'layout.hbs',
    viewExt: 'hbs',
    options: { partials },
    production: true,
  });
  const css = readFileSync(join(templatesDir, 'assets', 'idp.css'), 'utf8');
  app.get('/assets/idp.css', (_request, reply) => {
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(css);
  });
}

/** Renders a page in a locale; the layout gets `htmlLang` for `<html lang>`. */
export function renderPage(
  reply: FastifyReply,
  page: string,
  locale: Locale,
  data: Record<string, unknown>,
  status = 200,
): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  return reply.view(page, { ...data, locale, htmlLang: htmlLang(locale) });
}
