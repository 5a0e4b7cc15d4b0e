// The Exchange Online admin API transport: POST {endpoint}/adminapi/beta/{tenant}/InvokeCommand
// with an app-only token, every page followed, errors typed, throttling absorbed (a tenant-wide budget of calls per
// second learned from 429s, per-connection adaptive concurrency, and retries within a time budget that honour
// Retry-After), and counters for reports and benches.
import { randomUUID } from 'node:crypto';
import { trimSlash, type CloudEndpoints } from '../cloud.js';
import { HttpNetworkError, HttpTimeoutError, type HttpClient, type HttpResponse } from '../http/client.js';
import type { TokenSource } from '../auth/token-source.js';
import type { Random } from '../rate/backoff.js';
import { systemClock, type Clock } from '../rate/clock.js';
import type { RateBudget, RateBudgetOptions, RateBudgetStats } from '../rate/rate-budget.js';
import { rateBudgetFor } from '../rate/registry.js';
import { retryWithinBudget } from '../rate/retry.js';
import { AdaptiveLimit, type AdaptiveLimitOptions, type AdaptiveLimitStats } from './concurrency.js';
import { cmdletBody, type CmdletParameters } from './encoding.js';
import {
  classifyErrorResponse,
  isConcurrencyRefusal,
  ExoError,
  ExoNotFoundError,
  ExoOtherError,
  ExoThrottledError,
  ExoTimeoutError,
  ExoTransientError,
} from './errors.js';
import { DEFAULT_RETRY_POLICY, exchangeRetryVerdict, type RetryPolicy } from './retry.js';

/** The system mailbox Exchange uses to route app-only admin requests (docs/reference-behaviour.md#admin-api-headers). */
const APP_ANCHOR_MAILBOX = 'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}';
/** 15-minute server-side limit of REST-backed cmdlets, plus a minute (as the official module does). */
const DEFAULT_TIMEOUT_MS = 16 * 60_000;
const PAGE_SIZE = 1000;

export interface ExoTransportOptions {
  readonly cloud: CloudEndpoints;
  /** Tenant GUID (preferred) or *.onmicrosoft.com name. */
  readonly tenantId: string;
  readonly tokens: TokenSource;
  readonly http: HttpClient;
  /** @defaultValue 'adminapi/beta' — configurable because the supported v2.0 surface may absorb DL writes later. */
  readonly apiPath?: string;
  /** Per-request timeout. @defaultValue 16 minutes */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Calls in flight: a limiter to share, or options for this transport's own. */
  readonly concurrency?: AdaptiveLimit | AdaptiveLimitOptions;
  /**
   * Calls per second: a budget to use, or options for the process-wide budget of this tenant's Exchange endpoint
   * (`sharedRateBudget`; created on first use, its ceiling set by whoever passes `maxCallsPerSecond` last).
   */
  readonly rate?: RateBudget | RateBudgetOptions;
  /** Time for the retry waits (tests pass a ManualClock). @defaultValue the system clock */
  readonly clock?: Clock;
  /** Jitter source. @defaultValue Math.random */
  readonly random?: Random;
  /** Where `@adminapi.warnings` go (they are how Exchange reports no-op writes). */
  readonly onWarning?: (cmdlet: string, warning: string) => void;
}

export interface InvokeOptions {
  readonly timeoutMs?: number;
  /** Properties to return (`$select`); fewer properties, faster answers. */
  readonly select?: readonly string[];
  /** Allow a re-send after a timeout or a dropped connection. Only for reads and idempotent writes. */
  readonly idempotent?: boolean;
}

export interface InvokeResult<T = Record<string, unknown>> {
  /** Output objects of every page, as Exchange sent them (PascalCase), or as invokeMapped turned them. */
  readonly value: ReadonlyArray<T>;
  readonly warnings: readonly string[];
  /** Non-terminating errors reported inside a successful answer. */
  readonly nonTerminatingErrors: readonly unknown[];
}

export interface TransportStats {
  /** HTTP requests per cmdlet (pages and retries included). */
  readonly requestsByCmdlet: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly pages: number;
  readonly retries: number;
  readonly throttles: number;
  /** Calls that ended in an error after their retries: refusals, faults, a budget run out. */
  readonly failures: number;
  /** The failures by cmdlet and error code ("Add-RecipientPermission EXO_ALREADY_EXISTS"): which were answers. */
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** Calls answered "not found": an answer (readOne turns it into null: a free address, a gone object), no failure. */
  readonly notFound: number;
  readonly concurrency: AdaptiveLimitStats;
  /** The tenant-wide budget (shared with every other transport of the tenant in this process). */
  readonly rate: RateBudgetStats;
}

export class ExoTransport {
  private readonly invokeUrl: string;
  private readonly origin: string;
  private readonly anchor: string;
  /** How long a call is retried (also the engine's retry of a step that met a transient fault, core util/retry.ts). */
  readonly policy: RetryPolicy;
  readonly limit: AdaptiveLimit;
  readonly rate: RateBudget;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly counts = new Map<string, number>();
  private pageCount = 0;
  private retryCount = 0;
  private throttleCount = 0;
  private notFoundCount = 0;
  private readonly failureKinds = new Map<string, number>();

  constructor(private readonly options: ExoTransportOptions) {
    const base = trimSlash(options.cloud.exchangeEndpoint);
    const apiPath = (options.apiPath ?? 'adminapi/beta').replace(/^\/+|\/+$/g, '');
    this.invokeUrl = `${base}/${apiPath}/${encodeURIComponent(options.tenantId)}/InvokeCommand`;
    this.origin = new URL(base).origin;
    this.anchor = anchorMailbox(options.tenantId);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.limit =
      options.concurrency instanceof AdaptiveLimit
        ? options.concurrency
        : new AdaptiveLimit(options.concurrency);
    this.rate = rateBudgetFor(
      { service: 'exchange', endpoint: base, tenantId: options.tenantId },
      options.rate,
    );
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  get tenantId(): string {
    return this.options.tenantId;
  }

  /** Run a cmdlet and return the output of all pages. */
  invoke(
    cmdlet: string,
    parameters: CmdletParameters = {},
    options: InvokeOptions = {},
  ): Promise<InvokeResult> {
    return this.invokeMapped(cmdlet, parameters, options, (row) => row);
  }

  /**
   * Run a cmdlet and turn each page's output objects into T as the page arrives: the raw answers of a 100,000-member
   * group's pages are never all held at once beside what they become (issue 17).
   */
  async invokeMapped<T>(
    cmdlet: string,
    parameters: CmdletParameters,
    options: InvokeOptions,
    map: (row: Record<string, unknown>) => T,
  ): Promise<InvokeResult<T>> {
    const body = cmdletBody(cmdlet, parameters);
    let url = this.invokeUrl;
    if (options.select && options.select.length > 0)
      url += `?$select=${options.select.map(encodeURIComponent).join(',')}`;
    const value: T[] = [];
    const warnings: string[] = [];
    const nonTerminatingErrors: unknown[] = [];
    for (;;) {
      const page = await this.sendWithRetry(cmdlet, url, body, options);
      this.pageCount++;
      if (Array.isArray(page['value']))
        for (const row of page['value'] as Array<Record<string, unknown>>) value.push(map(row));
      for (const w of asArray(page['@adminapi.warnings'])) {
        const text = typeof w === 'string' ? w : JSON.stringify(w);
        warnings.push(text);
        this.options.onWarning?.(cmdlet, text);
      }
      nonTerminatingErrors.push(...asArray(page['@adminapi.errors']));
      const next = page['@odata.nextLink'] ?? page['odata.nextLink'];
      if (typeof next !== 'string' || next === '') break;
      url = this.checkNextLink(cmdlet, next);
    }
    return { value, warnings, nonTerminatingErrors };
  }

  stats(): TransportStats {
    const requestsByCmdlet = Object.fromEntries(this.counts);
    return {
      requestsByCmdlet,
      requests: Object.values(requestsByCmdlet).reduce((a, b) => a + b, 0),
      pages: this.pageCount,
      retries: this.retryCount,
      throttles: this.throttleCount,
      failures: [...this.failureKinds.values()].reduce((a, b) => a + b, 0),
      failuresByKind: Object.fromEntries(this.failureKinds),
      notFound: this.notFoundCount,
      concurrency: this.limit.stats(),
      rate: this.rate.stats(),
    };
  }

  private checkNextLink(cmdlet: string, next: string): string {
    const resolved = new URL(next, this.invokeUrl);
    // The bearer token is re-sent to the nextLink: never to another host than the one we called.
    if (resolved.origin !== this.origin) {
      throw new ExoOtherError({
        cmdlet,
        status: 200,
        serverMessage: `Refusing to follow a nextLink to another host (${resolved.origin})`,
      });
    }
    return resolved.toString();
  }

  private async sendWithRetry(
    cmdlet: string,
    url: string,
    body: string,
    options: InvokeOptions,
  ): Promise<Record<string, unknown>> {
    const policy: RetryPolicy = options.idempotent ? { ...this.policy, retryTimeouts: true } : this.policy;
    try {
      return await retryWithinBudget({
        attempt: async (attempt) => {
          try {
            return await this.sendOnce(cmdlet, url, body, options);
          } catch (error) {
            if (error instanceof ExoThrottledError) error.attempts = attempt;
            throw error;
          }
        },
        verdict: (error) => exchangeRetryVerdict(error, policy),
        policy,
        clock: this.clock,
        random: this.random,
        onRetry: () => {
          this.retryCount++;
        },
      });
    } catch (error) {
      if (error instanceof ExoNotFoundError) this.notFoundCount++;
      else {
        const kind = `${cmdlet} ${error instanceof ExoError ? error.code : error instanceof Error ? error.name : 'error'}`;
        this.failureKinds.set(kind, (this.failureKinds.get(kind) ?? 0) + 1);
      }
      throw error;
    }
  }

  private async sendOnce(
    cmdlet: string,
    url: string,
    body: string,
    options: InvokeOptions,
  ): Promise<Record<string, unknown>> {
    const token = await this.options.tokens.token(this.options.cloud.exchangeResource);
    const clientRequestId = randomUUID();
    // The rate first, then a slot: a caller paced by the budget must not sit on a slot meanwhile.
    const permit = await this.rate.acquire();
    const slot = await this.limit.acquire();
    let res: HttpResponse;
    try {
      this.counts.set(cmdlet, (this.counts.get(cmdlet) ?? 0) + 1);
      res = await this.options.http.request({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          'x-anchormailbox': this.anchor,
          'x-cmdletname': cmdlet,
          'x-responseformat': 'json',
          'x-clientapplication': 'dlmigrate',
          prefer: `odata.maxpagesize=${PAGE_SIZE}`,
          'client-request-id': clientRequestId,
          'return-client-request-id': 'true',
        },
        body,
        timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (error) {
      throw networkFailure(cmdlet, clientRequestId, error);
    } finally {
      slot.release();
    }
    if (res.status >= 200 && res.status < 300) {
      this.rate.onSuccess(permit);
      this.limit.onSuccess();
      if (res.status === 204 || res.body.trim() === '') return {};
      try {
        return JSON.parse(res.body) as Record<string, unknown>;
      } catch {
        throw new ExoOtherError({
          cmdlet,
          status: res.status,
          serverMessage: 'Exchange Online answered with a body that is not JSON',
          clientRequestId,
          requestId: res.headers['request-id'],
        });
      }
    }
    const error = classifyErrorResponse({
      cmdlet,
      status: res.status,
      headers: res.headers,
      body: res.body,
      clientRequestId,
    });
    if (error instanceof ExoThrottledError) {
      this.throttleCount++;
      // The plain-text refusal is about calls in flight, not about their rate.
      const inFlightRefusal = isConcurrencyRefusal(res.body);
      this.rate.onThrottle(permit, error.retryAfterMs, !inFlightRefusal);
      this.limit.onThrottle(slot.epoch);
    } else {
      // Answered (with an error of its own): the service took the call, the rate was fine.
      this.rate.onSuccess(permit);
    }
    throw error;
  }
}

/** App-only anchor: APP:SystemMailbox{…}@<tenant GUID>, or UPN form when only the domain is known. */
export function anchorMailbox(tenantId: string): string {
  const isGuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId);
  return isGuid ? `APP:${APP_ANCHOR_MAILBOX}@${tenantId}` : `UPN:${APP_ANCHOR_MAILBOX}@${tenantId}`;
}

function networkFailure(cmdlet: string, clientRequestId: string, error: unknown): ExoError {
  if (error instanceof HttpTimeoutError) {
    return new ExoTimeoutError(
      { cmdlet, status: 0, serverMessage: error.message, clientRequestId },
      `${cmdlet} got no answer within ${error.timeoutMs} ms; it may or may not have run on the server.`,
    );
  }
  const code = (error as { cause?: { code?: string } }).cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new ExoOtherError(
      { cmdlet, status: 0, serverMessage: message, clientRequestId },
      `TLS verification of the Exchange endpoint failed (${code}). If this is a lab endpoint, configure its CA certificate.`,
    );
  }
  // Nothing reached the server: safe to send again.
  if (
    error instanceof HttpNetworkError &&
    (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
  ) {
    return new ExoTransientError({ cmdlet, status: 0, serverMessage: message, clientRequestId });
  }
  // The connection broke mid-call: the outcome is unknown, like a timeout.
  return new ExoTimeoutError({ cmdlet, status: 0, serverMessage: message, clientRequestId });
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
