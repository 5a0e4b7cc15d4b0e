// One object per (cloud, tenant, app): the HTTP layer (with the lab CA if any), the MSAL app, the
// Exchange transport and operations, and the Graph client — all sharing one token cache. Open it
// once per tenant and app and share it: that is what keeps one ConfidentialClientApplication (and
// one adaptive concurrency limit) per tenant.
import { loadCertificate, type AppCertificate, type CertificateSource } from './auth/certificate.js';
import { AppTokenSource } from './auth/token-source.js';
import type { CloudEndpoints } from './cloud.js';
import type { AdaptiveLimit, AdaptiveLimitOptions } from './exchange/concurrency.js';
import { ExchangeOnline } from './exchange/exchange-online.js';
import type { RetryPolicy } from './exchange/retry.js';
import { ExoTransport } from './exchange/transport.js';
import { GraphClient } from './graph/graph-client.js';
import { HttpClient } from './http/client.js';
import { RateBudget, type RateBudgetOptions } from './rate/rate-budget.js';

export interface CloudConnectionOptions {
  readonly cloud: CloudEndpoints;
  readonly tenantId: string;
  readonly clientId: string;
  /** A loaded certificate, or where to load it from (PEM pair or PFX). */
  readonly certificate: AppCertificate | CertificateSource;
  /** @defaultValue 'sha256' */
  readonly thumbprintAlgorithm?: 'sha256' | 'sha1';
  /** Extra CA (PEM) to trust besides the cloud's own `caPem`. */
  readonly caPem?: string;
  /** Disable TLS verification (a warning is emitted). Never against a real tenant. */
  readonly insecureSkipTlsVerify?: boolean;
  readonly exchangeTimeoutMs?: number;
  /** Retries of throttled and transient calls (Exchange and Graph): a time budget, jittered waits. */
  readonly retry?: Partial<RetryPolicy>;
  /** Exchange calls in flight for this connection. */
  readonly concurrency?: AdaptiveLimit | AdaptiveLimitOptions;
  /**
   * Ceiling of calls per second to each service (Exchange and Graph each), applied to the tenant's process-wide
   * budgets. Absent: no ceiling; the rate is learned from the service's throttling.
   */
  readonly maxCallsPerSecond?: number;
  /** Budgets (or options for the shared ones) per service; `maxCallsPerSecond` fills in their ceiling. */
  readonly rate?: {
    readonly exchange?: RateBudget | RateBudgetOptions;
    readonly graph?: RateBudget | RateBudgetOptions;
  };
  readonly onWarning?: (message: string) => void;
}

export class CloudConnection {
  private constructor(
    readonly http: HttpClient,
    readonly tokens: AppTokenSource,
    readonly transport: ExoTransport,
    readonly exchange: ExchangeOnline,
    readonly graph: GraphClient,
  ) {}

  static async open(options: CloudConnectionOptions): Promise<CloudConnection> {
    const certificate =
      'kind' in options.certificate ? await loadCertificate(options.certificate) : options.certificate;
    const cas = [options.cloud.caPem, options.caPem].filter((c): c is string => c !== undefined);
    const http = new HttpClient({
      ...(cas.length > 0 ? { caPem: cas } : {}),
      ...(options.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    const tokens = new AppTokenSource(
      options.cloud,
      {
        tenantId: options.tenantId,
        clientId: options.clientId,
        certificate,
        ...(options.thumbprintAlgorithm ? { thumbprintAlgorithm: options.thumbprintAlgorithm } : {}),
      },
      http,
    );
    const transport = new ExoTransport({
      cloud: options.cloud,
      tenantId: options.tenantId,
      tokens,
      http,
      ...(options.exchangeTimeoutMs !== undefined ? { timeoutMs: options.exchangeTimeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      rate: budgetOptions(options.rate?.exchange, options.maxCallsPerSecond),
      ...(options.onWarning
        ? { onWarning: (cmdlet: string, w: string) => options.onWarning?.(`${cmdlet}: ${w}`) }
        : {}),
    });
    const graph = new GraphClient({
      cloud: options.cloud,
      tokens,
      http,
      tenantId: options.tenantId,
      rate: budgetOptions(options.rate?.graph, options.maxCallsPerSecond),
      ...(options.retry ? { retry: options.retry } : {}),
    });
    return new CloudConnection(http, tokens, transport, new ExchangeOnline(transport), graph);
  }

  /** Release keep-alive sockets. */
  close(): void {
    this.http.close();
  }
}

function budgetOptions(
  given: RateBudget | RateBudgetOptions | undefined,
  maxCallsPerSecond: number | undefined,
): RateBudget | RateBudgetOptions {
  if (given instanceof RateBudget) return given;
  return maxCallsPerSecond === undefined ? (given ?? {}) : { ...given, maxCallsPerSecond };
}
