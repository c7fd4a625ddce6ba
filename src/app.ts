// Composition root: builds the store, SMS provider, keys and SP registry from the Config and registers the routes.

import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { type AuditContext, AuditTrail } from './audit/audit-trail.ts';
import { auditSink } from './audit/audit-sink.ts';
import { type Config, ConfigError, keyRingSettings, loginSettings } from './config/config.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { fetchMetadata } from './http/fetch-metadata.ts';
import { registerHealthRoutes } from './http/health-routes.ts';
import { loadBranding } from './http/branding.ts';
import { ProtocolAnswers } from './http/login-answer.ts';
import { FlowGuard } from './http/flow-guard.ts';
import { registerLoginRoutes } from './http/login-routes.ts';
import { setUpOidc } from './http/oidc-setup.ts';
import { registerReceiptRoutes } from './http/receipt-routes.ts';
import { SpAnswer } from './http/post-to-sp.ts';
import { registerSamlRoutes } from './http/saml-routes.ts';
import { registerSloRoutes } from './http/slo-routes.ts';
import { SsoCookie } from './http/sso-cookie.ts';
import { logSerializers, newReferenceId, registerSecurityHeaders } from './http/security.ts';
import { serviceLookup, SpLogos } from './http/sp-logo.ts';
import { registerViews } from './http/views.ts';
import { LoginService } from './login/login-service.ts';
import { LogoutProcesses } from './idp/session/logout-process.ts';
import { SsoSessions } from './idp/session/sso-session.ts';
import { maskPhoneForLog, phoneLogRef } from './login/phone.ts';
import { AuthnRequestReader } from './saml/inbound/authn-request.ts';
import { loadKeyRing, signingKeys } from './saml/keys/key-ring.ts';
import { LogoutMessageBuilder } from './saml/outbound/logout.ts';
import { LogoutReader } from './saml/inbound/logout-reader.ts';
import { idpUrls, PublishedMetadata } from './saml/metadata/published-metadata.ts';
import { RemoteMetadata } from './saml/metadata/remote-metadata.ts';
import { ResponseBuilder } from './saml/outbound/response.ts';
import { SpRegistry } from './saml/metadata/sp-registry.ts';
import { ConsoleSmsProvider } from './sms/console.ts';
import { buildGateways, buildReceiptVerifiers } from './sms/gateways.ts';
import { type SendAttempt, SmsRouter } from './sms/router.ts';
import type { SmsProvider } from './sms/sms-provider.ts';
import { WebhookSmsProvider } from './sms/webhook.ts';
import { certificateExpiries } from './metrics/certificates.ts';
import { recordEvent } from './metrics/events.ts';
import { measuredSms, measuredStore, registerHttpMetrics } from './metrics/instrument.ts';
import { listenMetrics } from './metrics/listener.ts';
import { Metrics } from './metrics/metrics.ts';
import { replayKeys } from './store/keys.ts';
import { MemoryStore } from './store/memory.ts';
import { RedisStore } from './store/redis.ts';
import type { Store } from './store/store.ts';

/** Parts a caller (tests, benchmarks) may supply instead of the ones the Config would build. */
export interface AppOverrides {
  readonly store?: Store;
  readonly sms?: SmsProvider;
  /** Fastify logger option; default JSON logs at config.operations.logLevel. */
  readonly logger?: boolean | Record<string, unknown>;
  /** Where the default logger writes its JSON lines instead of stdout (tests read them). */
  readonly logStream?: { write(line: string): void };
  readonly templatesDir?: string;
}

const TEMPLATES_DIR = new URL('../templates/', import.meta.url).pathname;

/** The secret for code hashes, NameIDs and CSRF: IDP_SECRET, else one generated once beside the dev keys. */
function loadSecret(config: Config): string {
  if (config.server.secret !== '') return config.server.secret;
  const file = join(config.server.devKeyDir, 'secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(config.server.devKeyDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process starting at the same moment wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFileSync(file, 'utf8').trim();
  }
}

function buildStore(config: Config, log: FastifyBaseLogger): Store {
  if (config.store.redis === undefined) return new MemoryStore();
  return new RedisStore({
    ...config.store.redis,
    onError: (error) => log.warn({ err: error.message }, 'redis connection'),
  });
}

/** The key of receipt URL tokens: derived from the IdP secret, so every process checks the same tokens. */
export function receiptKey(secret: string): string {
  return createHmac('sha256', secret).update('sms-receipt-url').digest('base64url');
}

/** Every configured provider behind the router, which routes per country and fails over (sms/router.ts). */
function buildSms(
  config: Config,
  secret: string,
  onAttempt: (attempt: SendAttempt) => void,
  measure: (provider: SmsProvider) => SmsProvider,
): SmsRouter {
  const providers = new Map<string, SmsProvider>(
    buildGateways(config.sms.smsGateways, { baseUrl: config.server.baseUrl, receiptKey: receiptKey(secret) }),
  );
  if (config.sms.smsWebhookUrl !== undefined) {
    providers.set(
      'webhook',
      new WebhookSmsProvider({ url: config.sms.smsWebhookUrl, timeoutMs: config.sms.smsWebhookTimeoutMs }),
    );
  }
  providers.set('console', new ConsoleSmsProvider());
  return new SmsRouter({
    providers: new Map([...providers].map(([name, provider]) => [name, measure(provider)])),
    order: config.sms.smsProvider,
    routes: config.sms.smsGateways.routes,
    breaker: {
      failures: config.sms.smsGateways.breakerFailures,
      openSeconds: config.sms.smsGateways.breakerOpenSeconds,
    },
    onAttempt,
  });
}

/** A hop count trusts that many proxies in front of us (fastify takes it as a function). */
function trustProxyOption(
  value: Config['server']['trustProxy'],
): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/** Phone numbers in log fields are masked (`+46*******78`), with a keyed reference support can match. */
function maskFields(fields: Record<string, unknown>, secret: string): Record<string, unknown> {
  const phone = fields.phone;
  return typeof phone === 'string'
    ? { ...fields, phone: maskPhoneForLog(phone), phoneRef: phoneLogRef(secret, phone) }
    : fields;
}

/**
 * The demo SP runs on samlify, a development dependency: it is imported only when DEMO_SP is on, so an install
 * without development dependencies (`npm ci --omit=dev`) starts as long as DEMO_SP is off.
 */
async function loadDemoSp(
  config: Config,
  idpMetadataXml: string,
): Promise<{ register(app: FastifyInstance): void }> {
  let modules: [typeof import('./demo/demo-sp.ts'), typeof import('./http/demo-routes.ts')];
  try {
    modules = await Promise.all([import('./demo/demo-sp.ts'), import('./http/demo-routes.ts')]);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    if (!missing || !String((error as Error).message).includes("'samlify'")) throw error;
    throw new ConfigError([
      'DEMO_SP is on but the demo SP needs the development dependencies (samlify), which this install left out: set DEMO_SP=false or run npm ci without --omit=dev',
    ]);
  }
  const [{ writeDemoMetadata }, { registerDemoSp }] = modules;
  const demo = writeDemoMetadata(
    { ...config.server, spMetadataDir: config.saml.spMetadataDir },
    idpMetadataXml,
  );
  return { register: (app) => registerDemoSp(app, demo) };
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const { entityId, ssoUrl, sloUrl } = idpUrls(config.server.baseUrl);
  // Key rollover: the next certificate is published before it signs; `keys` is the pair that signs by default.
  const ring = await loadKeyRing(keyRingSettings(config));
  const keys = signingKeys(ring);
  const secret = loadSecret(config);
  // Read before anything starts (watchers, connections), so a bad IDP_LOGO_FILE stops the start cleanly.
  const branding = loadBranding(config.pages);
  const published = new PublishedMetadata(
    { entityId, ssoUrl, sloUrl, wantAuthnRequestsSigned: config.saml.wantAuthnRequestsSigned },
    ring,
    config.saml.metadataValidDays,
  );
  const metadataXml = published.unsigned();
  // The demo SP is registered the way an admin registers any SP: its metadata file in SP_METADATA_DIR.
  const demo = config.server.demoSp ? await loadDemoSp(config, metadataXml) : undefined;

  const app = Fastify({
    logger: overrides.logger ?? {
      level: config.operations.logLevel,
      serializers: logSerializers,
      ...(overrides.logStream === undefined ? {} : { stream: overrides.logStream }),
    },
    genReqId: newReferenceId,
    trustProxy: trustProxyOption(config.server.trustProxy),
    // Base64 grows a SAML message by 4/3; the form has a few small fields besides.
    bodyLimit: Math.ceil(config.saml.samlMaxBytes * 1.4) + config.saml.relayStateMaxBytes + 4096,
    routerOptions: { maxParamLength: 64 },
    // Route schemas (http/route-schemas.ts) check input and never change it: a number is not turned into text.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
  });

  // OpenID Connect clients count as SPs in metric labels once they are loaded (below).
  let isOidcClient = (_clientId: string) => false;
  // Read lazily at each scrape or event, once the registry and remote sources below exist.
  const metrics = new Metrics({
    knownSp: (entityId) => registry.get(entityId) !== undefined || isOidcClient(entityId),
    certificates: () => certificateExpiries(ring, registry),
    remoteSources: () => remote.status().map((s) => ({ source: s.name, lastSuccess: s.lastSuccess })),
  });
  const sink = auditSink(
    config.operations.auditLogFile,
    overrides.logger === false ? null : overrides.logStream,
  );
  const audit = new AuditTrail({ write: sink.write, secret });
  const baseStore = overrides.store ?? buildStore(config, app.log);
  const store = measuredStore(baseStore, baseStore instanceof MemoryStore ? 'memory' : 'redis', metrics);
  // Authentication events go through the logger of the request they happen in, so they carry its reqId: the
  // reference id the user sees on an error page.
  const requestNow = new AsyncLocalStorage<FastifyRequest>();
  app.addHook('preHandler', (request, _reply, done) => requestNow.run(request, done));
  // Every send attempt through a gateway, with its outcome: the operator's log line (and the place for metrics).
  const onSendAttempt = (attempt: SendAttempt) => {
    const level = attempt.outcome === 'accepted' || attempt.outcome === 'invalid-number' ? 'info' : 'warn';
    (requestNow.getStore()?.log ?? app.log)[level]({ event: 'sms.attempt', ...attempt }, 'sms.attempt');
  };
  // Each gateway is measured on its own: the router may try several for one SMS.
  const measure = (provider: SmsProvider) => measuredSms(provider, metrics);
  const sms =
    overrides.sms === undefined ? buildSms(config, secret, onSendAttempt, measure) : measure(overrides.sms);
  const remoteSource = (file: string) => basename(file).replace(/\.remote\.json$/, '');
  const registry = await SpRegistry.load(config.saml.spMetadataDir, {
    onProblem: (file, message) => app.log.error({ file, problem: message }, 'SP metadata refused'),
  });
  const remote = await RemoteMetadata.start({
    dir: config.saml.spMetadataDir,
    registry,
    fetcher: fetchMetadata,
    policy: {
      maxValidityDays: config.saml.remoteMetadataMaxValidityDays,
      httpUrls: config.saml.remoteMetadataHttpUrls,
      allowedHosts: config.saml.outboundPrivateHosts,
    },
    onProblem: (file, message) => {
      app.log.error({ file, problem: message }, 'remote SP metadata');
      metrics.metadataRefresh(remoteSource(file), 'error');
    },
    onLoaded: (file, sps) => {
      app.log.info({ file, sps }, 'remote SP metadata loaded');
      metrics.metadataRefresh(remoteSource(file), 'ok');
      audit.record('metadata.changed', { source: remoteSource(file), sps }, {}, ['source', 'sps']);
    },
  });
  if (ring.next !== undefined) {
    audit.record('key.rollover', { signWith: ring.signWith }, {}, ['signWith']);
  }
  registry.watch({
    onReload: () => {
      app.log.info({ sps: registry.size }, 'SP metadata reloaded');
      audit.record('metadata.changed', { sps: registry.size }, {}, ['sps']);
      void remote.sync();
    },
    onProblem: (file, message) =>
      app.log.error({ file, problem: message }, 'SP metadata refused; previous kept'),
  });
  // Each authentication event is logged in its request, and updates the metrics and the audit trail.
  const onEvent = (event: string, fields: Record<string, unknown>) => {
    const request = requestNow.getStore();
    (request?.log ?? app.log).info({ event, ...maskFields(fields, secret) }, event);
    recordEvent(metrics, event, fields);
    const context: AuditContext = request === undefined ? {} : { ref: request.id, client: request.ip };
    audit.fromLogEvent(event, fields, context);
  };

  const reader = new AuthnRequestReader({
    registry,
    rememberRequestId: (sp, id, ttl) => store.setIfAbsent(replayKeys.authnRequest(sp, id), 1, ttl),
    wantAuthnRequestsSigned: config.saml.wantAuthnRequestsSigned,
    clockSkewSeconds: config.saml.clockSkewSeconds,
    maxAgeSeconds: config.saml.authnRequestMaxAgeSeconds,
    maxBytes: config.saml.samlMaxBytes,
    relayStateMaxBytes: config.saml.relayStateMaxBytes,
  });
  const responses = new ResponseBuilder({
    keys,
    idpEntityId: entityId,
    assertionTtlSeconds: config.saml.assertionTtlSeconds,
    clockSkewSeconds: config.saml.clockSkewSeconds,
    ring,
    lookupSp: (id) => registry.get(id),
  });
  const login = new LoginService({
    store,
    sms,
    secret,
    onEvent,
    settings: loginSettings(config),
  });
  const flowGuard = new FlowGuard({
    secret,
    secureCookies: config.server.baseUrl.startsWith('https:'),
    flowTtlSeconds: config.login.flowTtlSeconds,
  });
  const ssoCookie = new SsoCookie(
    new SsoSessions({ store, secret, ttlSeconds: config.login.ssoSessionTtlSeconds }),
    { secure: config.server.baseUrl.startsWith('https:') },
  );
  const sso = config.login.ssoEnabled ? ssoCookie : undefined;
  const answer = new SpAnswer(responses, secret, { onEvent, sso });
  const defaultLocale = config.pages.defaultLocale;

  await app.register(formbody, { bodyLimit: app.initialConfig.bodyLimit });
  await app.register(cookie);
  await registerViews(app, overrides.templatesDir ?? TEMPLATES_DIR, branding);
  const logos = new SpLogos({
    fetchRemote: config.saml.spLogoFetch,
    allowedHosts: config.saml.outboundPrivateHosts,
    onProblem: (url, problem) => app.log.warn({ url, problem }, 'SP logo not shown'),
  });
  logos.register(app);
  void logos.prefetch(registry.list().map((sp) => sp.logoUrl));
  registerSecurityHeaders(app);
  registerHttpMetrics(app, metrics);
  registerErrorHandler(app, defaultLocale);
  // OIDC clients are counted once the provider is set up below.
  let oidcClients = (): number => 0;
  registerHealthRoutes(app, { store, relyingParties: () => registry.size + oidcClients() });
  registerSamlRoutes(app, {
    ssoUrl,
    metadataXml: () => published.xml(),
    registry,
    reader,
    login,
    flowGuard,
    answer,
    defaultLocale,
    relayStateMaxBytes: config.saml.relayStateMaxBytes,
    sso,
  });
  // OpenID Connect beside SAML: the same login screens, store and SSO session (docs/oidc-client-admins.md).
  // A logout may take the page's wait for the SPs plus a few minutes for the user's browser to get there.
  const logoutProcesses = new LogoutProcesses({
    store,
    ttlSeconds: config.saml.sloPropagationTimeoutSeconds + 600,
  });
  const oidc = config.oidc.enabled
    ? await setUpOidc(app, { config, store, ring, secret, login, flowGuard, sso, onEvent, logoutProcesses })
    : undefined;
  if (oidc !== undefined) {
    isOidcClient = (clientId) => oidc.clients.get(clientId) !== undefined;
    oidcClients = () => oidc.clients.size;
  }
  registerLoginRoutes(app, {
    login,
    flowGuard,
    answer: new ProtocolAnswers(answer, oidc?.answer),
    service: serviceLookup((id) => registry.get(id), logos),
  });
  await registerReceiptRoutes(app, {
    login,
    baseUrl: config.server.baseUrl,
    verifiers: buildReceiptVerifiers(config.sms.smsGateways, receiptKey(secret)),
  });
  registerSloRoutes(app, {
    sloUrl,
    registry,
    reader: new LogoutReader({
      registry,
      rememberMessageId: (sp, id, ttl) => store.setIfAbsent(replayKeys.logoutMessage(sp, id), 1, ttl),
      wantLogoutRequestsSigned: config.saml.wantLogoutRequestsSigned,
      clockSkewSeconds: config.saml.clockSkewSeconds,
      maxAgeSeconds: config.saml.authnRequestMaxAgeSeconds,
      maxBytes: config.saml.samlMaxBytes,
      relayStateMaxBytes: config.saml.relayStateMaxBytes,
    }),
    builder: new LogoutMessageBuilder({
      keys,
      keysFor: (sp) => signingKeys(ring, registry.get(sp)?.settings.signingKey),
      idpEntityId: entityId,
      requestTtlSeconds: 300,
    }),
    cookie: ssoCookie,
    processes: logoutProcesses,
    timeoutSeconds: config.saml.sloPropagationTimeoutSeconds,
    defaultLocale,
    onEvent,
  });
  demo?.register(app);
  app.get('/', (_request, reply) => reply.redirect(demo !== undefined ? '/demo' : '/saml/metadata'));

  if (config.operations.metricsPort !== undefined) {
    metrics.collectProcessMetrics();
    const listener = await listenMetrics(
      metrics,
      config.operations.metricsHost,
      config.operations.metricsPort,
    );
    app.log.info({ url: `${listener.url}/metrics` }, 'metrics listening');
    app.decorate('metricsUrl', listener.url);
    app.addHook('onClose', () => listener.close());
  }
  app.addHook('onClose', async () => {
    sink.close();
    remote.close();
    oidc?.close();
    logos.close();
    registry.close();
    if (overrides.store === undefined) await store.close();
  });
  return app;
}
