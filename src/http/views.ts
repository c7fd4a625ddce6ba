// Server-rendered pages: @fastify/view on a Handlebars instance with the `t` helper, and the pages' own assets.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import view from '@fastify/view';
import type { FastifyInstance, FastifyReply } from 'fastify';
import handlebars from 'handlebars';
import { htmlLang, type Locale, type MessageKey, translate } from '../i18n/index.ts';
import { type Branding, brandCss, NEUTRAL_BRANDING } from './branding.ts';

/** One static asset: its bytes and type. Every asset comes from our origin (no external assets, fonts, trackers). */
interface Asset {
  readonly type: string;
  readonly body: string | Buffer;
}

/**
 * The assets every page may use: the stylesheet with the brand's CSS variables appended, the IdP logo (the
 * operator's, or the neutral mark drawn in the brand's contrast colour) and the resend countdown script.
 */
function buildAssets(templatesDir: string, branding: Branding): Record<string, Asset> {
  const read = (name: string) => readFileSync(join(templatesDir, 'assets', name), 'utf8');
  const neutralLogo = read('idp-logo.svg').replaceAll('currentColor', branding.brandContrastColor);
  return {
    'idp.css': { type: 'text/css; charset=utf-8', body: read('idp.css') + brandCss(branding) },
    'idp-logo': branding.logo ?? { type: 'image/svg+xml', body: neutralLogo },
    'countdown.js': { type: 'text/javascript; charset=utf-8', body: read('countdown.js') },
  };
}

/**
 * Registers @fastify/view for `templatesDir` (layout.hbs, partials/, one template per page) and serves the assets
 * under /assets/. Every page gets `idpName` (undefined: the translated generic name) and `assetVersion`, a hash of
 * the assets that page URLs carry so browsers may cache them while they stay the same.
 */
export async function registerViews(
  app: FastifyInstance,
  templatesDir: string,
  branding: Branding = NEUTRAL_BRANDING,
): Promise<void> {
  const hbs = handlebars.create();
  hbs.registerHelper('t', (key: string, options: handlebars.HelperOptions) => {
    const locale = (options.data as { root: { locale: Locale } }).root.locale;
    return translate(locale, key as MessageKey, options.hash as Record<string, string | number>);
  });
  const partials: Record<string, string> = {};
  for (const file of readdirSync(join(templatesDir, 'partials'))) {
    if (file.endsWith('.hbs')) partials[file.slice(0, -4)] = `partials/${file}`;
  }
  const assets = buildAssets(templatesDir, branding);
  const version = createHash('sha256');
  for (const asset of Object.values(assets)) version.update(asset.body);
  const assetVersion = version.digest('hex').slice(0, 12);
  await app.register(view, {
    engine: { handlebars: hbs },
    root: templatesDir,
    layout: 'layout.hbs',
    viewExt: 'hbs',
    options: { partials },
    defaultContext: { idpName: branding.displayName, assetVersion },
    production: true,
  });
  for (const [name, asset] of Object.entries(assets)) {
    app.get(`/assets/${name}`, (_request, reply) => {
      reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=86400')
        .send(asset.body);
    });
  }
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
