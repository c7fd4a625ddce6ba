// Colours as settings give them: `#rgb`/`#rrggbb`, the neutral defaults, and the WCAG contrast they must reach.

/** A neutral dark blue with white text: no third party's colours or marks. */
export const DEFAULT_BRAND_COLOR = '#1f3b73';
export const DEFAULT_BRAND_CONTRAST_COLOR = '#ffffff';

/** WCAG 2.2 §1.4.3 (AA): normal text needs 4.5:1. */
export const MIN_TEXT_CONTRAST = 4.5;

/** `#abc` or `#aabbcc` (any case) as lowercase `#aabbcc`; undefined for anything else. */
export function parseHexColor(value: string): string | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (m?.[1] === undefined) return undefined;
  const hex = m[1].toLowerCase();
  return hex.length === 3 ? `#${[...hex].map((c) => c + c).join('')}` : `#${hex}`;
}

/** Relative luminance of an sRGB `#rrggbb` colour (WCAG 2.2, "relative luminance"). */
function luminance(color: string): number {
  const channel = (i: number): number => {
    const c = Number.parseInt(color.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** The contrast ratio of two `#rrggbb` colours, 1 to 21 (WCAG 2.2, "contrast ratio"). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
