// The IdP's own look (IDP_DISPLAY_NAME, IDP_LOGO_FILE, IDP_BRAND_*): CSS variables, the logo, WCAG contrast checks.

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  contrastRatio,
  DEFAULT_BRAND_COLOR,
  DEFAULT_BRAND_CONTRAST_COLOR,
  MIN_TEXT_CONTRAST,
} from '../config/colour.ts';

/** A logo served from our own origin; never a link to another site (no external assets). */
export interface LogoImage {
  readonly type: 'image/svg+xml' | 'image/png';
  readonly body: Buffer;
}

/** What the pages show of the IdP itself. */
export interface Branding {
  /** The name in the header; undefined shows the translated `layout.siteName` ("Identification"). */
  readonly displayName: string | undefined;
  /** The operator's logo; undefined shows the neutral mark in templates/assets/idp-logo.svg. */
  readonly logo: LogoImage | undefined;
  /** Header and button background, `#rrggbb`. */
  readonly brandColor: string;
  /** Text on the brand colour, `#rrggbb`; at least 4.5:1 against it (WCAG 2.2 §1.4.3). */
  readonly brandContrastColor: string;
}

/** Largest logo file read; a header logo needs a few kilobytes. */
export const MAX_LOGO_BYTES = 100 * 1024;

const PAGE_BACKGROUND = '#ffffff';
const BODY_TEXT = '#1b1b1b';

/**
 * The stylesheet lines that put the brand into the pages' CSS variables. Links and link-styled buttons use the
 * brand colour only where it is readable on the white page (4.5:1); a light brand colour leaves them in the
 * body text colour.
 */
export function brandCss(branding: Pick<Branding, 'brandColor' | 'brandContrastColor'>): string {
  const link =
    contrastRatio(branding.brandColor, PAGE_BACKGROUND) >= MIN_TEXT_CONTRAST
      ? branding.brandColor
      : BODY_TEXT;
  return `:root{--brand:${branding.brandColor};--brand-contrast:${branding.brandContrastColor};--link:${link}}\n`;
}

/**
 * Reads IDP_LOGO_FILE: an `.svg` or `.png` of at most MAX_LOGO_BYTES whose content matches its extension. The
 * logo is served from our origin with the pages' CSP, so an SVG cannot run script. Throws an Error that names
 * the problem.
 */
export function readLogoFile(file: string): LogoImage {
  const ext = extname(file).toLowerCase();
  if (ext !== '.svg' && ext !== '.png')
    throw new Error(`IDP_LOGO_FILE must be an .svg or .png file (${file})`);
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (error) {
    throw new Error(`IDP_LOGO_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  if (body.length === 0 || body.length > MAX_LOGO_BYTES) {
    throw new Error(`IDP_LOGO_FILE must be 1 byte to ${MAX_LOGO_BYTES / 1024} KB (is ${body.length} bytes)`);
  }
  const type = sniffImage(body);
  if (type !== (ext === '.svg' ? 'image/svg+xml' : 'image/png')) {
    throw new Error(`IDP_LOGO_FILE does not hold the ${ext.slice(1).toUpperCase()} image its name says`);
  }
  return { type, body };
}

/** The image type of a PNG, JPEG, GIF, WebP or SVG by its first bytes; undefined for anything else. */
export function sniffImage(
  body: Buffer,
): 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/svg+xml' | undefined {
  if (body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return 'image/jpeg';
  const head = body.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image/gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'image/webp';
  const text = body
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) return 'image/svg+xml';
  return undefined;
}

/** The look without any IDP_* setting: the translated generic name, the neutral mark, dark blue and white. */
export const NEUTRAL_BRANDING: Branding = Object.freeze({
  displayName: undefined,
  logo: undefined,
  brandColor: DEFAULT_BRAND_COLOR,
  brandContrastColor: DEFAULT_BRAND_CONTRAST_COLOR,
});

/** The Branding the settings describe; reads IDP_LOGO_FILE (throws when it cannot be used). */
export function loadBranding(settings: {
  readonly idpDisplayName: string | undefined;
  readonly idpLogoFile: string | undefined;
  readonly brandColor: string;
  readonly brandContrastColor: string;
}): Branding {
  return Object.freeze({
    displayName: settings.idpDisplayName,
    logo: settings.idpLogoFile === undefined ? undefined : readLogoFile(settings.idpLogoFile),
    brandColor: settings.brandColor,
    brandContrastColor: settings.brandContrastColor,
  });
}
