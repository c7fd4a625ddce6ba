// Builds every Content-Security-Policy the IdP sends, from a few named choices, so no page spells one by hand.

/** The directives we use, in the order they are written. Absent: not sent (default-src 'none' covers it). */
export interface CspDirectives {
  readonly scriptSrc?: readonly string[];
  readonly styleSrc?: readonly string[];
  readonly imgSrc?: readonly string[];
  readonly connectSrc?: readonly string[];
  readonly frameSrc?: readonly string[];
  readonly formAction?: readonly string[];
  readonly frameAncestors?: readonly string[];
  readonly baseUri?: readonly string[];
  /** A sandbox with no allowances: no script, no forms, no same-origin access. */
  readonly sandbox?: boolean;
}

const NAMES: readonly [keyof Omit<CspDirectives, 'sandbox'>, string][] = [
  ['scriptSrc', 'script-src'],
  ['styleSrc', 'style-src'],
  ['imgSrc', 'img-src'],
  ['connectSrc', 'connect-src'],
  ['frameSrc', 'frame-src'],
  ['formAction', 'form-action'],
  ['frameAncestors', 'frame-ancestors'],
  ['baseUri', 'base-uri'],
];

/** The header value: `default-src 'none'` first, then each directive given. */
export function cspHeader(directives: CspDirectives): string {
  const parts = ["default-src 'none'"];
  for (const [key, name] of NAMES) {
    const sources = directives[key];
    if (sources !== undefined) parts.push([name, ...sources].join(' '));
  }
  if (directives.sandbox === true) parts.push('sandbox');
  return parts.join('; ');
}

/** What one of our HTML pages may do beyond the default (our styles and images, nothing else). */
export interface PageCsp {
  /** Our script files ('self'), one nonce'd inline script, or none. */
  readonly script?: 'self' | { readonly nonce: string };
  /**
   * Where its forms may post: 'self' by default. `anywhere` leaves form-action out, for pages whose form goes to
   * an SP that may redirect anywhere after it (browsers apply form-action to those redirects too).
   */
  readonly formAction?: readonly string[] | 'anywhere';
  /** Who may frame it: nobody by default; 'self' for the logout's frames. */
  readonly frameAncestors?: 'none' | 'self';
  /** The logout progress page: it polls us and frames the SPs' logout pages. */
  readonly connectSelf?: boolean;
  readonly frameSrc?: readonly string[];
}

/** The CSP of one of our pages: nothing external unless named, never framed unless named, no <base>. */
export function pageCsp(page: PageCsp = {}): string {
  const script = page.script;
  const formAction = page.formAction ?? ["'self'"];
  return cspHeader({
    scriptSrc:
      script === undefined ? undefined : script === 'self' ? ["'self'"] : [`'nonce-${script.nonce}'`],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: page.connectSelf === true ? ["'self'"] : undefined,
    frameSrc: page.frameSrc,
    formAction: formAction === 'anywhere' ? undefined : formAction,
    frameAncestors: [`'${page.frameAncestors ?? 'none'}'`],
    baseUri: ["'none'"],
  });
}
