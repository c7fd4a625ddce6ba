// JSON schemas of every form and query the routes read. Where the handler has its own, more precise answer to bad
// input (the flow's pages, the SAML bindings' refusals) the route sets attachValidation and the handler decides;
// elsewhere a failure is refused as a malformed request: the plain page with a reference id (error-handler.ts).

/** One text value. */
const text = { type: 'string' } as const;

/** A query value: one string, or an array when the parameter is repeated (the first one counts). */
const repeatable = { anyOf: [text, { type: 'array', items: text }] } as const;

/** E-Ident's parameters (docs/contract.md §2), read from the query or the form, first value wins. */
const EIDENT_QUERY = {
  forcepkivendor: repeatable,
  presetid: repeatable,
  locale: repeatable,
  language: repeatable,
  ui_locales: repeatable,
} as const;

/**
 * GET /saml/sso (HTTP-Redirect): every parameter once, as text. The binding refuses a repeated parameter itself
 * (docs/design.md §4); the signature is checked over the raw query, which no schema changes.
 */
export const SSO_REDIRECT_SCHEMA = {
  querystring: { type: 'object', additionalProperties: text },
} as const;

/**
 * POST /saml/sso (HTTP-POST): the message and RelayState are text, once (the binding refuses anything else). E-Ident's
 * parameters in the form are read when they are text and ignored otherwise.
 */
export const SSO_POST_SCHEMA = {
  querystring: { type: 'object', properties: EIDENT_QUERY },
  body: { type: 'object', properties: { SAMLRequest: text, RelayState: text } },
} as const;

/** GET /saml/idp-initiated: the SP, its ACS and RelayState under our and Shibboleth's names, first value wins. */
export const IDP_INITIATED_SCHEMA = {
  querystring: {
    type: 'object',
    properties: {
      ...EIDENT_QUERY,
      sp: repeatable,
      providerId: repeatable,
      acs: repeatable,
      shire: repeatable,
      acsIndex: repeatable,
      RelayState: repeatable,
      target: repeatable,
    },
  },
} as const;

/** GET /login/:flowId: the notice after a redirect and the language picked on the page; anything else is ignored. */
export const LOGIN_PAGE_SCHEMA = {
  params: { type: 'object', properties: { flowId: text }, required: ['flowId'] },
  querystring: { type: 'object', properties: { notice: repeatable, lang: repeatable } },
} as const;

/**
 * POST /login/:flowId: the fields of the step forms, each one text value. A field that is not (repeated, or a
 * number in a JSON body) is read as absent, so the answer stays the flow's own: the expired page, the cookie
 * refusal, the CSRF refusal or the form again with its messages. Hence `attachValidation`: the handler decides.
 */
export const LOGIN_FORM_SCHEMA = {
  params: { type: 'object', properties: { flowId: text }, required: ['flowId'] },
  body: {
    type: 'object',
    properties: {
      csrf: text,
      step: text,
      action: text,
      eid: text,
      given_name: text,
      family_name: text,
      phone: text,
      code: text,
    },
  },
} as const;

/** POST /login/:flowId/return: the expired page's button posts its token; the handler refuses any other. */
export const FLOW_RETURN_SCHEMA = {
  params: { type: 'object', properties: { flowId: text }, required: ['flowId'] },
  body: { type: 'object', properties: { csrf: text } },
} as const;

/** GET /demo/login: the demo form's fields, each once. */
export const DEMO_LOGIN_SCHEMA = {
  querystring: {
    type: 'object',
    properties: {
      binding: text,
      signed: text,
      phone: text,
      family: text,
      given: text,
      force: text,
      locale: text,
    },
  },
} as const;

/**
 * GET and POST /saml/slo: a LogoutRequest or LogoutResponse and its RelayState, each text and once. As for SSO the
 * binding refuses anything else itself and names it (attachValidation).
 */
export const SLO_REDIRECT_SCHEMA = SSO_REDIRECT_SCHEMA;
export const SLO_POST_SCHEMA = {
  body: { type: 'object', properties: { SAMLRequest: text, SAMLResponse: text, RelayState: text } },
} as const;

/** POST /saml/logout: the confirmation page's token; the handler refuses a missing or wrong one (403). */
export const LOGOUT_CONFIRM_SCHEMA = {
  body: { type: 'object', properties: { token: text } },
} as const;
