// Runtime behaviour switches for tests, the demo and benchmarks: latency, throttling, faults and
// call counters. They are not part of the tenant's state (a snapshot restores data, not knobs).

export type Service = 'token' | 'exchange' | 'graph';

export interface Latency {
  fixedMs: number;
  jitterMs: number;
}

export interface Throttling {
  /** InvokeCommand calls allowed per window (0 = unlimited). */
  requestsPerWindow: number;
  windowSeconds: number;
  /** Requests in flight at once before the plain-text concurrency refusal (0 = unlimited). */
  maxConcurrent: number;
  /** Microsoft Graph's own budget for the tenant (absent = unlimited). */
  graph?: GraphThrottling;
}

export interface GraphThrottling {
  /** Graph requests allowed per window (0 = unlimited). */
  requestsPerWindow: number;
  windowSeconds: number;
}

export interface Fault {
  cmdlet: string;
  /** How many of the next calls fail. */
  count: number;
  errorId: string;
  exceptionType: string;
  message: string;
  status: number;
  /** OData error.code; defaults from the status (404 NotFound, 429 TooManyRequests, 500 InternalServerError, else BadRequest). */
  code?: string;
}

/**
 * A test-only fault no Microsoft service documents: the next `count` calls of `cmdlet` succeed but ignore
 * `parameter`, as if the write had been lost. It lets a test break a carry-over for real (the product sends the
 * value, the tenant answers success, the value is not there), so the verify step can be shown to catch it.
 */
export interface LostWrite {
  cmdlet: string;
  parameter: string;
  count: number;
}

/** A failure of the token endpoint itself (throttling, outage), in Entra's error shape. */
export interface TokenFault {
  /** How many of the next token requests for the tenant fail. */
  count: number;
  /** 429 or 5xx. */
  status: number;
  /** Sent as the Retry-After header when set. */
  retryAfterSeconds?: number;
  /** Defaults: 429 → AADSTS50196 invalid_request ("client request loop"); else AADSTS90033 temporarily_unavailable. */
  error?: string;
  aadsts?: number;
  message?: string;
}

/**
 * A failure of Microsoft Graph requests, in Graph's error shape ({"error": {"code", "message", "innerError"}}): the next
 * `count` requests of one route fail after authentication, counted in CallStats.graph, changing nothing.
 */
export interface GraphFault {
  /** The route as CallStats.graph counts it: method and path with ids as {id}, e.g. "PATCH /groups/{id}/onPremisesSyncBehavior". */
  route: string;
  /** How many of the next requests of the route fail. */
  count: number;
  /** 429, 5xx (transient), or 4xx. */
  status: number;
  /** Graph's error.code. Defaults: 429 TooManyRequests, 503 serviceNotAvailable, other 5xx generalException, 403 Authorization_RequestDenied, else BadRequest. */
  code?: string;
  message?: string;
  /** Sent as the Retry-After header when set. */
  retryAfterSeconds?: number;
}

export interface CallStats {
  /** Cmdlet calls that reached the cmdlet (including failed and faulted ones), by cmdlet name. */
  cmdlets: Record<string, number>;
  /** InvokeCommand requests sent without X-AnchorMailbox. */
  withoutAnchorMailbox: number;
  /** InvokeCommand requests refused by the tenant's budget or concurrency cap. */
  throttled: number;
  graph: Record<string, number>;
  /** Graph requests refused by the tenant's Graph budget. */
  graphThrottled: number;
  tokens: number;
}

export const concurrencyRefusal =
  'You have reached the maximum number of concurrent requests per tenant. Please wait and try again';

export function emptyStats(): CallStats {
  return { cmdlets: {}, withoutAnchorMailbox: 0, throttled: 0, graph: {}, graphThrottled: 0, tokens: 0 };
}

export function delay(latency: Latency | undefined): Promise<void> {
  if (!latency || (latency.fixedMs <= 0 && latency.jitterMs <= 0)) return Promise.resolve();
  const ms = Math.max(0, latency.fixedMs + Math.random() * latency.jitterMs);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Per-tenant throttle: a fixed window counter plus an in-flight gauge. The window opens with the first request after
 * the previous one ended; a request over the budget is refused with Retry-After = the whole seconds left in the
 * window (at least 1), and is not counted against the budget.
 */
export class ThrottleGate {
  private windowStart = 0;
  private used = 0;
  inFlight = 0;

  constructor(public settings: Throttling) {}

  /** A new budget starts a new window (requests in flight stay counted). */
  configure(settings: Throttling): void {
    this.settings = settings;
    this.windowStart = 0;
    this.used = 0;
  }

  /** Returns undefined when admitted, else how to refuse. */
  admit(
    nowMs = Date.now(),
  ): { kind: 'budget'; retryAfterSeconds: number } | { kind: 'concurrency' } | undefined {
    const { requestsPerWindow, windowSeconds, maxConcurrent } = this.settings;
    if (maxConcurrent > 0 && this.inFlight >= maxConcurrent) return { kind: 'concurrency' };
    if (requestsPerWindow > 0) {
      const windowMs = windowSeconds * 1000;
      if (nowMs - this.windowStart >= windowMs) {
        this.windowStart = nowMs;
        this.used = 0;
      }
      if (this.used >= requestsPerWindow) {
        return {
          kind: 'budget',
          retryAfterSeconds: Math.max(1, Math.ceil((this.windowStart + windowMs - nowMs) / 1000)),
        };
      }
      this.used++;
    }
    return undefined;
  }
}
