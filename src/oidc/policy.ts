// How the OpenID Provider's session follows the IdP's own SSO session, in both directions (research §4.6).

import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { SsoSession } from '../idp/session/sso-session.ts';
import { sessionMayAnswer } from '../idp/sso.ts';
import { ACR, AMR, accountIdFor } from './claims.ts';
import type { ClientRegistry } from './client-registry.ts';
import type { LoginBinding, OidcLogins } from './logins.ts';
import { eidentParams, hintPhone, type OidcParams } from './params.ts';

const { Check, Prompt, base } = interactionPolicy;

/** What a finished login of ours hands to the resumed authorization (the interaction result's `nsi`). */
export interface LoginResult {
  readonly binding: LoginBinding;
}

export interface PolicyDeps {
  readonly logins: OidcLogins;
  readonly clients: ClientRegistry;
  /** The browser's live SSO session from its Cookie header; undefined when SSO_ENABLED=false. */
  readonly ssoFromCookies:
    | ((cookieHeader: string | undefined) => Promise<SsoSession | undefined>)
    | undefined;
  readonly smsCountries: readonly string[] | '*';
  /** Records that the SSO session answered this client (for logout). */
  readonly joined?: (
    ssoSessionId: string,
    participant: { clientId: string; sessionUid: string; sid: string; accountId: string },
  ) => Promise<void>;
}

type Ctx = KoaContextWithOIDC;

/** The grant every login gets: the scopes asked for (the client's `scope` already capped them). No consent page. */
export async function loadExistingGrant(ctx: Ctx) {
  const { oidc } = ctx;
  const clientId = oidc.client?.clientId as string;
  const accountId = oidc.session?.accountId as string;
  const grantId = oidc.session?.grantIdFor(clientId);
  const existing = grantId === undefined ? undefined : await oidc.provider.Grant.find(grantId);
  const scopes = [...(oidc.requestParamOIDCScopes ?? [])];
  if (existing !== undefined && existing.accountId === accountId) {
    const missing = scopes.filter((s) => !existing.getOIDCScope().split(' ').includes(s));
    if (missing.length === 0) return existing;
    existing.addOIDCScope(missing.join(' '));
    await existing.save();
    return existing;
  }
  const grant = new oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope(scopes.join(' '));
  await grant.save();
  return grant;
}

/** Drops the OP session's login (its SSO session ended or belongs to someone else): a login or login_required follows. */
function forgetLogin(ctx: Ctx): void {
  const session = ctx.oidc.session as unknown as Record<string, unknown>;
  for (const field of ['accountId', 'loginTs', 'amr', 'acr', 'authorizations']) delete session[field];
  session.touched = true;
}

/**
 * The policy: a first prompt whose one check never asks for a page itself but keeps the OP session in step with the
 * SSO session before the library's login checks run:
 * - just back from our login page: bind the OP session to that login;
 * - the OP session is logged in but the SSO session is gone or another person's: forget it (SAML logout ends OIDC);
 * - not logged in, and the SSO session may answer this request (the same rules as SAML; never with prompt=login or
 *   a max_age the session is older than): log in from it, so prompt=none works after a SAML login.
 * The consent prompt is removed: the method has none (E-Ident neither).
 */
export function buildPolicy(deps: PolicyDeps) {
  const sync = new Check('nsi_sso', 'single sign-on session', async (ctx: Ctx) => {
    const { oidc } = ctx;
    const session = oidc.session;
    const clientId = oidc.client?.clientId;
    if (session === undefined || clientId === undefined) return Check.NO_NEED_TO_PROMPT;
    const result = oidc.result as { nsi?: LoginResult; login?: unknown } | undefined;
    if (result?.login !== undefined && result.nsi !== undefined) {
      await deps.logins.bind(session.uid, result.nsi.binding);
      await join(deps, result.nsi.binding.ssoSessionId, clientId, session);
      return Check.NO_NEED_TO_PROMPT;
    }
    if (deps.ssoFromCookies === undefined) return Check.NO_NEED_TO_PROMPT;
    const sso = await deps.ssoFromCookies(ctx.get('cookie') || undefined);
    if (session.accountId !== undefined) {
      const binding = await deps.logins.get(session.uid);
      if (
        sso === undefined ||
        binding === undefined ||
        accountIdFor(sso.identity.phone) !== session.accountId
      ) {
        forgetLogin(ctx);
        return Check.NO_NEED_TO_PROMPT;
      }
      if (binding.ssoSessionId !== sso.id)
        await deps.logins.bind(session.uid, { ssoSessionId: sso.id, authnInstant: sso.authnInstant });
      await join(deps, sso.id, clientId, session);
      return Check.NO_NEED_TO_PROMPT;
    }
    if (sso === undefined || !mayAnswer(ctx, sso, deps)) return Check.NO_NEED_TO_PROMPT;
    session.loginAccount({
      accountId: accountIdFor(sso.identity.phone),
      loginTs: Math.floor(sso.authnInstant / 1000),
      acr: ACR,
      amr: [...AMR],
      transient: true,
    });
    await deps.logins.bind(session.uid, { ssoSessionId: sso.id, authnInstant: sso.authnInstant });
    // The library loaded account and grant before the prompts ran; with the session logged in only now, load them.
    oidc.entity('Account', {
      accountId: session.accountId,
      claims: () => ({ sub: session.accountId as string }),
    });
    const grant = await loadExistingGrant(ctx);
    session.ensureClientContainer(clientId);
    session.grantIdFor(clientId, grant.jti);
    oidc.entity('Grant', grant);
    await join(deps, sso.id, clientId, session);
    return Check.NO_NEED_TO_PROMPT;
  });
  const policy = base();
  policy.remove('consent');
  policy.add(new Prompt({ name: 'sso', requestable: false }, sync), 0);
  return policy;
}

/** The SSO session may answer without a new code: the request does not force a login and names no one else. */
function mayAnswer(ctx: Ctx, sso: SsoSession, deps: PolicyDeps): boolean {
  const { oidc } = ctx;
  const maxAge = oidc.params?.max_age;
  const client = deps.clients.get(oidc.client?.clientId as string);
  const params = oidc.params as unknown as OidcParams;
  return sessionMayAnswer(
    sso,
    {
      forceLogin: oidc.prompts.has('login'),
      ...(maxAge === undefined ? {} : { maxAgeSeconds: Number(maxAge) }),
      params: eidentParams(params),
      subjectPhone: hintPhone(params, deps.smsCountries),
      offeredEids: client?.eids ?? ['nets_sms'],
      smsCountries: deps.smsCountries,
    },
    Date.now(),
  );
}

async function join(
  deps: PolicyDeps,
  ssoSessionId: string | undefined,
  clientId: string,
  session: NonNullable<KoaContextWithOIDC['oidc']['session']>,
): Promise<void> {
  if (ssoSessionId === undefined || deps.joined === undefined || session.accountId === undefined) return;
  session.ensureClientContainer(clientId);
  await deps.joined(ssoSessionId, {
    clientId,
    sessionUid: session.uid,
    sid: session.sidFor(clientId) as string,
    accountId: session.accountId,
  });
}
