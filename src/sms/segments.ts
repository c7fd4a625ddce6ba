// How many SMS segments a text takes: GSM-7 (160 in one, 153 per part; the extension characters take two) when
// every character is in the GSM 03.38 tables, else UCS-2 (70 in one, 67 per part; astral characters take two).

const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

export interface Segments {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  readonly units: number;
  readonly segments: number;
}

export function smsSegments(text: string): Segments {
  let septets = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENSION.has(ch)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}

/** Characters that look like ASCII but force UCS-2: typographic quotes, dashes, ellipsis, no-break spaces. */
export const LOOKALIKES = /[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2013\u2014\u2026\u00a0\u202f\u2009]/u;
