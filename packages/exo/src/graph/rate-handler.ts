// The Graph SDK middleware that paces calls by the tenant's Graph budget and retries throttled and transient answers
// within the shared time budget. It replaces the SDK's own RetryHandler (which would retry 3 more times on its own,
// doubling up with ours) and sits before the AuthenticationHandler, so a retry after a long wait fetches a current
// token. Microsoft Graph answers throttling with 429 + Retry-After (Microsoft Graph throttling guidance,
// microsoft-graph-docs-contrib concepts/throttling.md).
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { retryAfterMs } from '../exchange/errors.js';
import type { Random } from '../rate/backoff.js';
import type { Clock } from '../rate/clock.js';
import type { RateBudget } from '../rate/rate-budget.js';
import { retryWithinBudget, type RetryPolicy } from '../rate/retry.js';

export interface GraphRateHandlerOptions {
  readonly rate: RateBudget;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly random: Random;
}

/** An answer worth another attempt; carried through the retry loop, never out of this handler. */
class RetryableAnswer extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`Microsoft Graph answered ${status}`);
  }
}

export class GraphRateHandler implements Middleware {
  private next: Middleware | undefined;
  /** Retries sent (each one is also an HTTP request). */
  retries = 0;
  /** 429 answers. */
  throttles = 0;

  constructor(private readonly options: GraphRateHandlerOptions) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (next === undefined) throw new Error('GraphRateHandler needs a next middleware');
    const { rate, policy, clock, random } = this.options;
    const method = (context.options?.method ?? 'GET').toUpperCase();
    try {
      await retryWithinBudget({
        attempt: async () => {
          const permit = await rate.acquire();
          // The AuthenticationHandler *appends* its header: drop the previous attempt's, or a retry would send
          // "Bearer x, Bearer x".
          dropAuthorization(context);
          await next.execute(context);
          const status = context.response?.status ?? 0;
          if (status === 429) {
            this.throttles++;
            const wait = retryAfterMs(context.response?.headers.get('retry-after') ?? undefined);
            rate.onThrottle(permit, wait);
            throw new RetryableAnswer(status, wait);
          }
          rate.onSuccess(permit);
          // 503 means the request was not served; a 504 after a write leaves its outcome unknown.
          if (status === 503 || (status === 504 && (method === 'GET' || method === 'PATCH'))) {
            throw new RetryableAnswer(
              status,
              retryAfterMs(context.response?.headers.get('retry-after') ?? undefined),
            );
          }
        },
        verdict: (error) =>
          error instanceof RetryableAnswer
            ? error.retryAfterMs === undefined
              ? { retry: true }
              : { retry: true, retryAfterMs: error.retryAfterMs }
            : { retry: false },
        policy,
        clock,
        random,
        onRetry: () => {
          this.retries++;
        },
      });
    } catch (error) {
      // Out of budget: the last answer stays in context.response and the SDK turns it into its GraphError.
      if (!(error instanceof RetryableAnswer)) throw error;
    }
  }
}

function dropAuthorization(context: Context): void {
  const headers = context.options?.headers as unknown;
  if (headers === undefined || headers === null) return;
  if (headers instanceof Headers) headers.delete('authorization');
  else if (Array.isArray(headers)) {
    const kept = (headers as Array<[string, string]>).filter(([k]) => k.toLowerCase() !== 'authorization');
    headers.splice(0, headers.length, ...kept);
  } else {
    for (const key of Object.keys(headers as Record<string, unknown>))
      if (key.toLowerCase() === 'authorization') delete (headers as Record<string, unknown>)[key];
  }
}
