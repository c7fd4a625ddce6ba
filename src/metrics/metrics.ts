// Every Prometheus metric of the IdP, in its own registry, each behind a small named function. Label values are
// bounded: SPs only as entityIDs from trusted metadata (else `unknown`), reasons and statuses from our own lists.

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The login funnel's steps (nsi_login_funnel_total{step}). */
export type FunnelStep =
  | 'started'
  | 'identify_submitted'
  | 'code_sent'
  | 'code_resent'
  | 'code_verified'
  | 'assertion_issued'
  | 'sso_reused'
  | 'failed'
  | 'cancelled'
  | 'expired';

/** One certificate's end of validity, as the expiry gauge reports it. */
export interface CertificateExpiry {
  /** `idp` for our own keys, else the SP's entityID (from metadata). */
  readonly owner: string;
  /** `signing`, `signing-next` (a rollover's next pair) or `encryption`. */
  readonly use: string;
  readonly notAfter: Date;
}

/** What the gauges read at each scrape. */
export interface MetricSources {
  /** True for an SP entityID trusted now; anything else is labelled `unknown`. */
  readonly knownSp: (entityId: string) => boolean;
  readonly certificates: () => readonly CertificateExpiry[];
  /** Each remote metadata source and when it was last fetched successfully. */
  readonly remoteSources: () => readonly {
    readonly source: string;
    readonly lastSuccess: Date | undefined;
  }[];
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BOUNDED = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** A value from our own code (a reason, a status): itself when it looks like one, else `other`. */
function word(value: unknown): string {
  return typeof value === 'string' && BOUNDED.test(value) ? value : 'other';
}

export class Metrics {
  readonly registry = new Registry();
  readonly #sources: MetricSources;
  readonly #funnel: Counter<'sp' | 'step'>;
  readonly #failures: Counter<'sp' | 'reason'>;
  readonly #wrongCodes: Counter<'sp'>;
  readonly #refusals: Counter<'limit'>;
  readonly #samlResponses: Counter<'sp' | 'status'>;
  readonly #oidcGrants: Counter<'client' | 'result'>;
  readonly #sms: Counter<'provider' | 'country' | 'outcome'>;
  readonly #smsSeconds: Histogram<'provider' | 'outcome'>;
  readonly #smsReceipts: Counter<'provider' | 'status'>;
  readonly #http: Histogram<'method' | 'route' | 'status_code'>;
  /**
   * Labelled children of the two metrics counted on every request and store call, made once per label set:
   * looking a child up by its label object each time costs more than the count. The label sets are bounded
   * (methods, route patterns and statuses; stores and operations).
   */
  readonly #httpChildren = new Map<string, Histogram.Internal<'method' | 'route' | 'status_code'>>();
  readonly #storeOpsChildren = new Map<string, Counter.Internal>();
  readonly #storeOps: Counter<'store' | 'operation'>;
  readonly #storeErrors: Counter<'store' | 'operation'>;
  readonly #metadataRefresh: Counter<'source' | 'result'>;

  constructor(sources: MetricSources) {
    this.#sources = sources;
    const registers = [this.registry];
    this.#funnel = new Counter({
      name: 'nsi_login_funnel_total',
      help: 'Login flows reaching each step, per SP',
      labelNames: ['sp', 'step'],
      registers,
    });
    this.#failures = new Counter({
      name: 'nsi_login_failed_total',
      help: 'Logins that ended without an identity, per SP and reason',
      labelNames: ['sp', 'reason'],
      registers,
    });
    this.#wrongCodes = new Counter({
      name: 'nsi_otp_wrong_codes_total',
      help: 'Wrong one-time codes entered, per SP',
      labelNames: ['sp'],
      registers,
    });
    this.#refusals = new Counter({
      name: 'nsi_limit_refusals_total',
      help: 'Requests refused by a rate limit, per limit',
      labelNames: ['limit'],
      registers,
    });
    this.#samlResponses = new Counter({
      name: 'nsi_saml_responses_total',
      help: 'SAML Responses sent to SPs, per SP and status (Success or the error status)',
      labelNames: ['sp', 'status'],
      registers,
    });
    this.#oidcGrants = new Counter({
      name: 'nsi_oidc_grants_total',
      help: 'OpenID Connect token endpoint grants, per client and result (success or the OAuth error)',
      labelNames: ['client', 'result'],
      registers,
    });
    this.#sms = new Counter({
      name: 'nsi_sms_sent_total',
      help: 'SMS handed to a provider, per provider, destination country and outcome',
      labelNames: ['provider', 'country', 'outcome'],
      registers,
    });
    this.#smsSeconds = new Histogram({
      name: 'nsi_sms_send_duration_seconds',
      help: 'Time a provider took to accept or refuse an SMS',
      labelNames: ['provider', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#smsReceipts = new Counter({
      name: 'nsi_sms_receipts_total',
      help: 'Delivery receipts from gateways for logins in progress, per provider and status (delivered, failed)',
      labelNames: ['provider', 'status'],
      registers,
    });
    this.#http = new Histogram({
      name: 'nsi_http_request_duration_seconds',
      help: 'HTTP request latency, per method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#storeOps = new Counter({
      name: 'nsi_store_operations_total',
      help: 'Store operations, per store and operation',
      labelNames: ['store', 'operation'],
      registers,
    });
    this.#storeErrors = new Counter({
      name: 'nsi_store_errors_total',
      help: 'Store operations that failed, per store and operation',
      labelNames: ['store', 'operation'],
      registers,
    });
    this.#metadataRefresh = new Counter({
      name: 'nsi_sp_metadata_refresh_total',
      help: 'Remote SP metadata fetches and reloads, per source and result (ok, error)',
      labelNames: ['source', 'result'],
      registers,
    });
    new Gauge({
      name: 'nsi_sp_metadata_age_seconds',
      help: 'Seconds since each remote SP metadata source was last fetched successfully',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const { source, lastSuccess } of sources.remoteSources()) {
          if (lastSuccess !== undefined) this.set({ source }, (now - lastSuccess.getTime()) / 1000);
        }
      },
    });
    new Gauge({
      name: 'nsi_certificate_expiry_timestamp_seconds',
      help: 'End of validity (Unix time) of our signing certificates and of each SP certificate',
      labelNames: ['owner', 'use'],
      registers,
      collect() {
        this.reset();
        for (const cert of sources.certificates()) {
          this.set({ owner: cert.owner, use: cert.use }, Math.floor(cert.notAfter.getTime() / 1000));
        }
      },
    });
  }

  /** Node process metrics (CPU, memory, event loop, GC): only for a registry that is served. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** An SP label: the entityID when metadata trusts it, else `unknown` (never what a request claimed). */
  sp(entityId: unknown): string {
    return typeof entityId === 'string' && this.#sources.knownSp(entityId) ? entityId : 'unknown';
  }

  loginStep(sp: unknown, step: FunnelStep): void {
    this.#funnel.inc({ sp: this.sp(sp), step });
  }

  loginFailed(sp: unknown, reason: unknown): void {
    this.#funnel.inc({ sp: this.sp(sp), step: 'failed' });
    this.#failures.inc({ sp: this.sp(sp), reason: word(reason) });
  }

  wrongCode(sp: unknown): void {
    this.#wrongCodes.inc({ sp: this.sp(sp) });
  }

  refused(limit: unknown): void {
    this.#refusals.inc({ limit: word(limit) });
  }

  samlResponse(sp: unknown, status: unknown): void {
    // `urn:oasis:names:tc:SAML:2.0:status:AuthnFailed` → `AuthnFailed`
    const name = typeof status === 'string' ? status.slice(status.lastIndexOf(':') + 1) : undefined;
    this.#samlResponses.inc({ sp: this.sp(sp), status: word(name) });
  }

  oidcGrant(client: unknown, result: unknown): void {
    this.#oidcGrants.inc({ client: this.sp(client), result: word(result) });
  }

  smsSent(provider: string, country: string, outcome: string, seconds: number): void {
    this.#sms.inc({ provider: word(provider), country, outcome: word(outcome) });
    this.#smsSeconds.observe({ provider: word(provider), outcome: word(outcome) }, seconds);
  }

  smsReceipt(provider: unknown, status: unknown): void {
    this.#smsReceipts.inc({
      provider: word(provider),
      status: status === 'delivered' ? 'delivered' : 'failed',
    });
  }

  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${route} ${statusCode}`;
    let child = this.#httpChildren.get(key);
    if (child === undefined) {
      child = this.#http.labels({ method, route, status_code: String(statusCode) });
      this.#httpChildren.set(key, child);
    }
    child.observe(seconds);
  }

  storeOperation(store: string, operation: string, failed: boolean): void {
    const key = `${store} ${operation}`;
    let child = this.#storeOpsChildren.get(key);
    if (child === undefined) {
      child = this.#storeOps.labels({ store, operation });
      this.#storeOpsChildren.set(key, child);
    }
    child.inc();
    if (failed) this.#storeErrors.inc({ store, operation });
  }

  metadataRefresh(source: string, result: 'ok' | 'error'): void {
    this.#metadataRefresh.inc({ source, result });
  }
}
