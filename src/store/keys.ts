// Every key the IdP keeps in the shared store: its name (prefix and parts) and the one module that owns it.
//
// `{…}` is a Redis Cluster hash tag: keys with the same tag share a slot, so one login flow's keys (or one SSO
// session's, one OIDC record's) can be read and written together. Values that identify a person or an address are
// keyed by a keyed digest (limits.ts, client-auth-limit.ts), never by the number or address itself.

/** login/: one login flow, all under the flow id's tag. */
export const flowKeys = {
  /** The flow record (login/flow-store.ts). */
  record: (flowId: string): string => `{${flowId}}:flow`,
  /** What is left when it expires: the way back to the SP (login/flow-tombstone.ts). */
  tombstone: (flowId: string): string => `{${flowId}}:tombstone`,
  /** One SMS send at a time (login/send-code.ts). */
  sendLock: (flowId: string): string => `{${flowId}}:sending`,
  /** The code was accepted once; single use (login/verify-code.ts). */
  codeUsed: (flowId: string): string => `{${flowId}}:used`,
  /** Wrong codes typed for the current code (login/limits.ts). */
  wrongCodes: (flowId: string): string => `{${flowId}}:attempts`,
  /** SMS sent in this flow (login/limits.ts). */
  sends: (flowId: string): string => `{${flowId}}:sends`,
  /** Each SMS attempt's gateway and outcome, and the receipts (login/delivery.ts). */
  deliveries: (flowId: string): string => `{${flowId}}:sms`,
} as const;

/** login/delivery.ts: our reference of one SMS attempt → its flow, for the gateway's receipt. */
export const smsReferenceKey = (reference: string): string => `smsref:${reference}`;

/** login/limits.ts: the counters and locks of the SMS and code limits; each part is a keyed digest. */
export const limitKeys = {
  smsPerAddress: (addressDigest: string): string => `sms:ip:${addressDigest}`,
  smsPerPhone: (phoneDigest: string): string => `sms:phone:${phoneDigest}`,
  smsPerPhoneDay: (phoneDigest: string): string => `sms:phoneday:${phoneDigest}`,
  smsPerPrefix: (prefixDigest: string): string => `sms:prefix:${prefixDigest}`,
  smsGlobal: 'sms:global',
  flowStartsPerAddress: (addressDigest: string): string => `flows:ip:${addressDigest}`,
  /** Wrong codes for a number across flows (its lock). */
  codeFailures: (phoneDigest: string): string => `otpfail:${phoneDigest}`,
  /** The number's wait before its next guess. */
  codeWait: (phoneDigest: string): string => `otpwait:${phoneDigest}`,
  /** One guess at a time per number. */
  guessLock: (phoneDigest: string): string => `otpguess:${phoneDigest}`,
} as const;

/** The SSO session and Single Logout records (idp/session/sso-session.ts, idp/session/logout-process.ts). */
export const sessionKeys = {
  sso: (sessionId: string): string => `{${sessionId}}:sso`,
  ssoLock: (sessionId: string): string => `{${sessionId}}:sso-lock`,
  logout: (processId: string): string => `{${processId}}:slo`,
  /** One target's answer, its own key so answers arriving together never collide. */
  logoutTarget: (processId: string, index: number): string => `{${processId}}:slo:${index}`,
  /** Our LogoutRequest's ID → its process and target. */
  logoutRequest: (requestId: string): string => `slo-out:${requestId}`,
  logoutTicket: (processId: string): string => `{${processId}}:slo-ticket`,
} as const;

/** app.ts (saml/ readers): message IDs already seen, per SP; a replay is refused. */
export const replayKeys = {
  authnRequest: (spEntityId: string, requestId: string): string => `replay:${spEntityId}:${requestId}`,
  logoutMessage: (spEntityId: string, messageId: string): string => `replay:slo:${spEntityId}:${messageId}`,
} as const;

/** oidc/: the provider's records and our bridges to the SSO session. */
export const oidcKeys = {
  /** One record of the provider's model (oidc/adapter.ts). */
  record: (model: string, id: string): string => `oidc:${model}:{${id}}`,
  /** A Session's uid → its id (oidc/adapter.ts). */
  sessionByUid: (uid: string): string => `oidc:uid:{${uid}}`,
  /** A grant's member count and members, `<i>` → record key (oidc/adapter.ts). */
  grantCount: (grantId: string): string => `oidc:grant:{${grantId}}:n`,
  grantMember: (grantId: string, index: number): string => `oidc:grant:{${grantId}}:${index}`,
  /** The provider session's login binding (oidc/logins.ts). */
  login: (sessionUid: string): string => `oidc-login:{${sessionUid}}`,
  /** The OIDC clients an SSO session answered (oidc/participants.ts). */
  participants: (ssoSessionId: string): string => `oidc-sso:{${ssoSessionId}}`,
  /** Failed client authentications per address and per client (oidc/client-auth-limit.ts). */
  authFailuresPerAddress: (addressDigest: string): string => `oidcauth:ip:${addressDigest}`,
  authFailuresPerClient: (clientDigest: string): string => `oidcauth:client:${clientDigest}`,
} as const;
