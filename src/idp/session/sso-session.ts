// The SSO session: who logged in and when, and which SPs it answered with which NameID and SessionIndex.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { sameSecret } from '../../constant-time.ts';
import { sessionKeys } from '../../store/keys.ts';
import type { Store } from '../../store/store.ts';
import type { Identity, NameIdFormat } from '../../types.ts';

/** One SP the session has sent an assertion to (SAML profiles §4.4: a session participant). */
export interface SsoParticipant {
  readonly spEntityId: string;
  /** The NameID of the latest assertion to this SP, its format and the SPNameQualifier it carried. */
  readonly nameId: string;
  readonly nameIdFormat: NameIdFormat;
  readonly spNameQualifier: string;
  /** Stays the same for this SP for the whole session; a different value for every SP (SAML core §2.7.2). */
  readonly sessionIndex: string;
  /** ms since epoch. */
  readonly lastIssuedAt: number;
}

/** A logged-in browser. JSON-safe; stored under `{id}:sso` until `expiresAt`. */
export interface SsoSession {
  /** Public id; the cookie adds a secret token to it. */
  readonly id: string;
  readonly identity: Identity;
  /** When the code was typed (ms since epoch); the AuthnInstant of every assertion the session gives. */
  readonly authnInstant: number;
  /** ms since epoch; the assertions' SessionNotOnOrAfter. */
  readonly expiresAt: number;
  readonly participants: readonly SsoParticipant[];
}

/** A session `end` ended, and the services of other protocols (by name) that could not be told. */
export interface EndedSession extends SsoSession {
  readonly untold: readonly string[];
}

/** Tells another protocol's services that a session ended; resolves to the names of those it could not tell. */
export type EndListener = (session: SsoSession) => Promise<readonly string[]>;

interface StoredSession extends SsoSession {
  /** SHA-256 of the cookie's token; the token itself is only in the browser. */
  readonly tokenHash: string;
}

/** What `join` records for an SP. */
export interface ParticipantInput {
  readonly spEntityId: string;
  readonly nameId: string;
  readonly nameIdFormat: NameIdFormat;
  readonly spNameQualifier: string;
}

export interface SsoSessionOptions {
  readonly store: Store;
  /** The IdP secret: keys the SessionIndex seal and the logout form token. */
  readonly secret: string;
  /** Absolute lifetime from the login (`SSO_SESSION_TTL_SECONDS`). */
  readonly ttlSeconds: number;
  readonly now?: () => number;
}

const ID = /^[A-Za-z0-9_-]{22}$/;
const LOCK_TRIES = 40;
const LOCK_WAIT_MS = 25;
const MAX_SEAL_KEYS = 10_000;
const sessionKey = sessionKeys.sso;
const lockKey = sessionKeys.ssoLock;
const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Keeps SSO sessions in the Store; the cookie value is `<id>.<token>`. */
export class SsoSessions {
  readonly #store: Store;
  readonly #secret: string;
  /** The SessionIndex key of each SP, derived once from the secret. */
  readonly #sealKeys = new Map<string, KeyObject>();
  readonly #ttlSeconds: number;
  readonly #now: () => number;
  readonly #endListeners: EndListener[] = [];

  constructor(opts: SsoSessionOptions) {
    if (opts.secret === '') throw new Error('SSO sessions need the IdP secret');
    this.#store = opts.store;
    this.#secret = opts.secret;
    this.#ttlSeconds = opts.ttlSeconds;
    this.#now = opts.now ?? Date.now;
  }

  /** The live session a cookie value names, or undefined (absent, forged, ended or expired). */
  async find(cookie: string | undefined): Promise<SsoSession | undefined> {
    const dot = cookie?.indexOf('.') ?? -1;
    if (cookie === undefined || dot < 0) return undefined;
    const id = cookie.slice(0, dot);
    const stored = await this.#load(id);
    if (stored === undefined) return undefined;
    return sameSecret(stored.tokenHash, sha256(cookie.slice(dot + 1))) ? publicPart(stored) : undefined;
  }

  /** The live session with this id (SLO finds it through a SessionIndex, without the browser's cookie). */
  async get(id: string): Promise<SsoSession | undefined> {
    const stored = await this.#load(id);
    return stored === undefined ? undefined : publicPart(stored);
  }

  /**
   * Records a finished login. The browser's `previous` session continues when it is the same person (a
   * ForceAuthn login): new AuthnInstant, new lifetime, same participants. Otherwise a new session starts. The
   * token is new either way, so a cookie seen before the login does not name the session after it.
   */
  async begin(
    identity: Identity,
    previous: SsoSession | undefined,
  ): Promise<{ session: SsoSession; cookie: string }> {
    const now = this.#now();
    const token = randomBytes(32).toString('base64url');
    const fresh = (id: string, participants: readonly SsoParticipant[]): StoredSession => ({
      id,
      identity,
      authnInstant: now,
      expiresAt: now + this.#ttlSeconds * 1000,
      participants,
      tokenHash: sha256(token),
    });
    if (previous !== undefined && previous.identity.phone === identity.phone) {
      const continued = await this.#locked(previous.id, async () => {
        const current = await this.#load(previous.id);
        if (current === undefined) return undefined;
        const next = fresh(current.id, current.participants);
        await this.#save(next);
        return next;
      });
      if (continued !== undefined)
        return { session: publicPart(continued), cookie: `${continued.id}.${token}` };
    }
    const started = fresh(randomBytes(16).toString('base64url'), []);
    await this.#save(started);
    return { session: publicPart(started), cookie: `${started.id}.${token}` };
  }

  /**
   * Records that an assertion went to an SP; returns the participant with its SessionIndex (kept when the SP was
   * answered before in this session), or undefined when the session has ended meanwhile.
   */
  async join(sessionId: string, input: ParticipantInput): Promise<SsoParticipant | undefined> {
    return this.#locked(sessionId, async () => {
      const current = await this.#load(sessionId);
      if (current === undefined) return undefined;
      const earlier = current.participants.find((p) => p.spEntityId === input.spEntityId);
      const participant: SsoParticipant = {
        ...input,
        sessionIndex: earlier?.sessionIndex ?? this.#sealSessionIndex(sessionId, input.spEntityId),
        lastIssuedAt: this.#now(),
      };
      const participants =
        earlier === undefined
          ? [...current.participants, participant]
          : current.participants.map((p) => (p === earlier ? participant : p));
      await this.#save({ ...current, participants });
      return participant;
    });
  }

  /**
   * Ends a session (single use: of racing logouts one gets it); returns what it was, with the services of other
   * protocols that could not be told (their logout failed: the logout is partial).
   */
  async end(sessionId: string): Promise<EndedSession | undefined> {
    if (!ID.test(sessionId)) return undefined;
    const stored = await this.#store.take<StoredSession>(sessionKey(sessionId));
    if (stored === undefined || stored.expiresAt <= this.#now()) return undefined;
    const ended = publicPart(stored);
    // Other protocols' sessions end with this one (OpenID Connect back-channel logout); one failing stops no other.
    const told = await Promise.allSettled(this.#endListeners.map((listener) => listener(ended)));
    const untold = told.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    return { ...ended, untold };
  }

  /** Calls `listener` with every session `end` ends; it returns the names of the services it could not tell. */
  onEnd(listener: EndListener): void {
    this.#endListeners.push(listener);
  }

  /** The session id inside a SessionIndex we gave `spEntityId`; undefined when it is not one of ours for it. */
  sessionIdOf(spEntityId: string, sessionIndex: string): string | undefined {
    if (!/^_[A-Za-z0-9_-]{40,120}$/.test(sessionIndex)) return undefined;
    const sealed = Buffer.from(sessionIndex.slice(1), 'base64url');
    if (sealed.length < 12 + 16 + 1) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#sealKey(spEntityId), sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const id = Buffer.concat([
        decipher.update(sealed.subarray(12, sealed.length - 16)),
        decipher.final(),
      ]).toString('utf8');
      return ID.test(id) ? id : undefined;
    } catch {
      return undefined;
    }
  }

  /** The token the IdP-initiated logout form posts back, bound to the session. */
  logoutToken(session: SsoSession): string {
    return createHmac('sha256', this.#secret).update(`sso-logout\u0000${session.id}`).digest('base64url');
  }

  /** True when `posted` is this session's logout token (constant time). */
  logoutTokenMatches(session: SsoSession, posted: string | undefined): boolean {
    return sameSecret(this.logoutToken(session), posted);
  }

  /**
   * SAML core §2.7.2 asks that a SessionIndex not let SPs correlate a user: the session id is sealed (AES-256-GCM)
   * with a key of this SP's own, so every SP sees another value and only we can open it.
   */
  #sealSessionIndex(sessionId: string, spEntityId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey(spEntityId), iv);
    const body = Buffer.concat([cipher.update(sessionId, 'utf8'), cipher.final()]);
    return `_${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  #sealKey(spEntityId: string): KeyObject {
    let key = this.#sealKeys.get(spEntityId);
    if (key === undefined) {
      key = createSecretKey(
        createHmac('sha256', this.#secret).update(`sso-session-index\u0000${spEntityId}`).digest(),
      );
      // One per SP; a registry that churns through many SPs starts over rather than growing without end.
      if (this.#sealKeys.size >= MAX_SEAL_KEYS) this.#sealKeys.clear();
      this.#sealKeys.set(spEntityId, key);
    }
    return key;
  }

  async #load(id: string): Promise<StoredSession | undefined> {
    if (!ID.test(id)) return undefined;
    const stored = await this.#store.get<StoredSession>(sessionKey(id));
    return stored === undefined || stored.expiresAt <= this.#now() ? undefined : stored;
  }

  async #save(session: StoredSession): Promise<void> {
    const left = Math.ceil((session.expiresAt - this.#now()) / 1000);
    if (left > 0) await this.#store.set(sessionKey(session.id), session, left);
  }

  /** Serialises read-modify-write of one session across processes; after ~1 s it goes ahead unlocked. */
  async #locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    let held = false;
    for (let i = 0; i < LOCK_TRIES && !held; i++) {
      held = await this.#store.setIfAbsent(lockKey(id), 1, 5);
      if (!held) await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS));
    }
    try {
      return await work();
    } finally {
      if (held) await this.#store.delete(lockKey(id));
    }
  }
}

function publicPart(stored: StoredSession): SsoSession {
  const { tokenHash: _omitted, ...session } = stored;
  return session;
}
