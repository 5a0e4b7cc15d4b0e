// A step that meets a transient fault — the directory dropping the connection, Graph answering 503, the state store
// busy, the sync endpoint unreachable — is run again after a pause instead of rolling the migration back (issue 13:
// a blip must not undo a migration). The policy is the one the Exchange Online client retries its calls with
// (exo rate/retry.ts: a budget in time, exponential back-off with jitter, packages/exo/src/rate/backoff.ts), taken
// from the engine's own Exchange client so both follow one setting. Steps are idempotent (resume runs a step that was
// cut off again from its start), so running a step again is what a resume would do, without the rollback.
import { CloudAuthError, DEFAULT_RETRY_POLICY, retryWithinBudget, type RetryPolicy } from '@dlmigrate/exo';
import { sleepUnlessStopped, StopRequested, type Clock } from './poll.js';
import { isTransient } from './transient.js';

/**
 * How long a step waits out the token endpoint being down or throttling (Entra's AADSTS90033 temporarily_unavailable,
 * a 5xx, a 429) before it fails with that error: 3 minutes, not the 10 of the retry budget. Why shorter: Exchange
 * throttling slows one call and clears as calls slow down, but without a token no cloud call of the run (nor of any
 * other run for the tenant) can be made, so waiting longer only holds the group out of sync for longer — and in a batch
 * every group in flight would wait its own 10 minutes. Why not less: MSAL refuses a request locally until Entra's
 * Retry-After has passed (60 s when Entra names none, packages/exo/src/auth/token-source.ts), so 3 minutes still lets
 * about three requests reach Entra, enough to ride out a regional failover. The step then fails with
 * AUTH_TOKEN_ENDPOINT_UNAVAILABLE (or _THROTTLED) and `resume` / `batch --resume` carries on once Entra answers.
 * A refusal that is not transient (an unknown app, a certificate not registered: every other AUTH_* code) is never
 * retried at all (transient.ts).
 */
export const TOKEN_OUTAGE_BUDGET_MS = 3 * 60_000;

/** The token endpoint answered "not now" (transient.ts counts these codes as transient). */
const isTokenOutage = (error: unknown): boolean => error instanceof CloudAuthError && isTransient(error);

export interface TransientRetryOptions {
  readonly clock: Clock;
  /** @defaultValue the Exchange client's DEFAULT_RETRY_POLICY */
  readonly policy?: RetryPolicy;
  /** Ctrl-C / SIGTERM: the pause ends at once and no further attempt is made (StopRequested). */
  readonly signal?: AbortSignal | undefined;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** @defaultValue Math.random */
  readonly random?: () => number;
  /**
   * How long after the token endpoint's first "not now" its failures are still retried; bounded by the policy's budget
   * too, and a retry may end up to one back-off past it. @defaultValue TOKEN_OUTAGE_BUDGET_MS
   */
  readonly tokenOutageBudgetMs?: number;
}

export function retryTransient<T>(attempt: () => Promise<T>, options: TransientRetryOptions): Promise<T> {
  const { clock, signal } = options;
  const tokenOutageBudgetMs = options.tokenOutageBudgetMs ?? TOKEN_OUTAGE_BUDGET_MS;
  let tokenOutageSince: number | undefined;
  return retryWithinBudget({
    attempt: async (n) => {
      if (n > 1 && signal?.aborted === true) throw new StopRequested(signal.reason);
      return attempt();
    },
    verdict: (error) => {
      if (!isTransient(error) || signal?.aborted === true) return { retry: false };
      if (!isTokenOutage(error)) return { retry: true };
      tokenOutageSince ??= clock.now();
      return { retry: clock.now() - tokenOutageSince < tokenOutageBudgetMs };
    },
    policy: options.policy ?? DEFAULT_RETRY_POLICY,
    // The retry loop's clock (exo rate/clock.ts) on the engine's clock, its pauses cut short by a stop request.
    clock: {
      now: () => clock.now(),
      setTimer: (fn, ms) => {
        let cancelled = false;
        void sleepUnlessStopped(clock, ms, signal).then(() => {
          if (!cancelled) fn();
        });
        return () => {
          cancelled = true;
        };
      },
    },
    random: options.random ?? Math.random,
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  });
}
