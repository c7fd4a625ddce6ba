// Single Logout whatever the protocol (SAML profiles §4.4): find the session a logout request names, end it, plan
// whom else to tell, and close the logout complete or partial. The protocols reach their services behind
// LogoutDirectory (whom we can send a logout request) and the sessions' end listeners (OpenID Connect back-channel).

import type { Locale } from '../i18n/index.ts';
import type { NameIdFormat } from '../types.ts';
import type {
  LogoutInitiator,
  LogoutProcess,
  LogoutProcesses,
  LogoutTarget,
} from './session/logout-process.ts';
import type { SsoParticipant, SsoSession, SsoSessions } from './session/sso-session.ts';

/** What the core needs to know of the session's participants from the protocol that answered them. */
export interface LogoutDirectory {
  /** The participant's name for the pages and whether we can send it a logout request; undefined when unknown. */
  describe(spEntityId: string): { readonly displayName: string; readonly reachable: boolean } | undefined;
  /** A fresh ID for our logout request to one participant. */
  newRequestId(): string;
}

/** Whom a logout request names (SAML core §3.7.1), as the core compares it. */
export interface LogoutRequestNames {
  readonly spEntityId: string;
  readonly nameId: string;
  /** The NameID format it names: one of ours, 'other' when none of ours, undefined when it names none. */
  readonly nameIdFormat: NameIdFormat | 'other' | undefined;
  readonly spNameQualifier: string | undefined;
  readonly sessionIndexes: readonly string[];
}

/** The session a logout request names, none (already over: Success), or a mismatch (UnknownPrincipal). */
export type Located = { readonly session: SsoSession | undefined } | { readonly mismatch: string };

/** After the session ended: a process telling the other participants, or, with none to tell, those we could not. */
export type Propagation = { readonly process: LogoutProcess } | { readonly unreachable: readonly string[] };

/** A finished logout: the process, the names of the services not logged out, and whether it is complete. */
export interface FinishedLogout {
  readonly process: LogoutProcess;
  readonly notLoggedOut: readonly string[];
  /** False means PartialLogout. */
  readonly complete: boolean;
}

export interface SingleLogoutDeps {
  readonly sessions: SsoSessions;
  readonly processes: LogoutProcesses;
  readonly directory: LogoutDirectory;
  readonly onEvent: (event: string, fields: Record<string, unknown>) => void;
}

/** SAML profiles §4.4.4.1: the NameID must be the one the assertion to this SP carried. */
export function nameMatches(participant: SsoParticipant, names: LogoutRequestNames): boolean {
  return (
    participant.nameId === names.nameId &&
    (names.nameIdFormat === undefined || names.nameIdFormat === participant.nameIdFormat) &&
    (names.spNameQualifier === undefined || names.spNameQualifier === participant.spNameQualifier)
  );
}

/** Splits the participants of an ended session, but the initiator, into those we can tell and those we cannot. */
export function planLogout(
  session: SsoSession,
  initiator: string | undefined,
  directory: LogoutDirectory,
): { targets: LogoutTarget[]; unreachable: string[] } {
  const targets: LogoutTarget[] = [];
  const unreachable: string[] = [];
  for (const p of session.participants) {
    if (p.spEntityId === initiator) continue;
    const sp = directory.describe(p.spEntityId);
    if (sp === undefined || !sp.reachable) {
      unreachable.push(sp?.displayName ?? p.spEntityId);
      continue;
    }
    targets.push({
      spEntityId: p.spEntityId,
      spDisplayName: sp.displayName,
      requestId: directory.newRequestId(),
      nameId: p.nameId,
      nameIdFormat: p.nameIdFormat,
      spNameQualifier: p.spNameQualifier,
      sessionIndex: p.sessionIndex,
    });
  }
  return { targets, unreachable };
}

/** The logout decisions every protocol's routes call. */
export class SingleLogout {
  readonly #deps: SingleLogoutDeps;

  constructor(deps: SingleLogoutDeps) {
    this.#deps = deps;
  }

  /**
   * The session a logout request is for. With SessionIndex values, the first one we gave this SP names it;
   * without (SAML core §3.7.1: the principal's sessions) it is the browser's, from `browserSession`. The SP must
   * be a participant with the same SessionIndex and the same NameID.
   */
  async locate(
    names: LogoutRequestNames,
    browserSession: () => Promise<SsoSession | undefined>,
  ): Promise<Located> {
    const check = (session: SsoSession, sessionIndex: string | undefined): Located => {
      const p = session.participants.find((x) => x.spEntityId === names.spEntityId);
      if (p === undefined) return { mismatch: 'this SP has no part in the session' };
      if (sessionIndex !== undefined && p.sessionIndex !== sessionIndex) return { mismatch: 'SessionIndex' };
      return nameMatches(p, names) ? { session } : { mismatch: 'NameID' };
    };
    const { sessions } = this.#deps;
    if (names.sessionIndexes.length === 0) {
      const session = await browserSession();
      return session === undefined ? { session: undefined } : check(session, undefined);
    }
    for (const index of names.sessionIndexes) {
      const id = sessions.sessionIdOf(names.spEntityId, index);
      if (id === undefined) continue;
      const session = await sessions.get(id);
      return session === undefined ? { session: undefined } : check(session, index);
    }
    return { mismatch: 'no SessionIndex we issued to this SP' };
  }

  /**
   * Ends the session (its other protocols' services are told as it ends) and opens a process that tells the
   * other participants; undefined when the session was already over (a racing logout got it).
   */
  async endAndPropagate(
    session: SsoSession,
    locale: Locale,
    initiator: LogoutInitiator | undefined,
    returnTo?: string,
  ): Promise<Propagation | undefined> {
    const ended = await this.#deps.sessions.end(session.id);
    if (ended === undefined) return undefined;
    const planned = planLogout(ended, initiator?.spEntityId, this.#deps.directory);
    const { targets } = planned;
    // OIDC clients were told by back-channel logout as the session ended; those that failed count as unreachable.
    const unreachable = [...planned.unreachable, ...ended.untold];
    this.#deps.onEvent('slo.session.ended', {
      sp: initiator?.spEntityId,
      phone: ended.identity.phone,
      by: initiator?.spEntityId ?? 'user',
      targets: targets.length,
      unreachable: unreachable.length,
    });
    if (targets.length === 0) return { unreachable };
    return {
      process: await this.#deps.processes.open({ locale, initiator, targets, unreachable, returnTo }),
    };
  }

  /** Closes a process (single use): who was not logged out (unreachable, failed or silent) and whether it is complete. */
  async finish(processId: string): Promise<FinishedLogout | undefined> {
    const closed = await this.#deps.processes.close(processId);
    if (closed === undefined) return undefined;
    const { process, states, complete } = closed;
    const notLoggedOut = [
      ...process.unreachable,
      ...process.targets.filter((_t, i) => states[i] !== 'done').map((t) => t.spDisplayName),
    ];
    this.#deps.onEvent('slo.finished', { by: process.initiator?.spEntityId ?? 'user', complete });
    return { process, notLoggedOut, complete };
  }

  /** The participant's name for the pages (its entityID when it is no longer known). */
  displayName(spEntityId: string): string {
    return this.#deps.directory.describe(spEntityId)?.displayName ?? spEntityId;
  }
}
