// Retrying within a budget of *time*: a throttled or transiently failing call keeps being retried (with jittered
// waits that honour Retry-After) until `budgetMs` has passed since its first failure, not for a fixed handful of
// attempts. A throttling storm that lasts minutes slows a run down instead of failing it. What is worth retrying
// is the caller's call (`verdict`): validation errors never are.
import { backoffDelayMs, retryAfterDelayMs, type Random } from './backoff.js';
import { sleep, type Clock } from './clock.js';

export interface RetryPolicy {
  /** How long after its first failure a call keeps being retried. @defaultValue 600000 (10 minutes) */
  readonly budgetMs: number;
  /** First back-off when the service gives no Retry-After (doubles each time, jittered). @defaultValue 1000 */
  readonly baseDelayMs: number;
  /** Upper bound of a back-off without Retry-After. @defaultValue 60000 */
  readonly maxDelayMs: number;
  /** A hard cap on attempts besides the time budget. @defaultValue Infinity */
  readonly maxAttempts: number;
  /**
   * Whether a call that timed out may be sent again. Reads are safe; writes such as New-DistributionGroup may have
   * happened server-side, so callers re-read state instead. @defaultValue false
   */
  readonly retryTimeouts: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetMs: 10 * 60_000,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxAttempts: Infinity,
  retryTimeouts: false,
};

/** Whether an error is worth another attempt, and how long the service asked us to wait. */
export type RetryVerdict =
  { readonly retry: false } | { readonly retry: true; readonly retryAfterMs?: number };

export interface RetryRun<T> {
  /** One attempt; `attempt` counts from 1. */
  readonly attempt: (attempt: number) => Promise<T>;
  readonly verdict: (error: unknown) => RetryVerdict;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly random: Random;
  /** Called before each wait. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The wait before attempt `attempt + 1`. */
function retryDelay(verdict: RetryVerdict, attempt: number, policy: RetryPolicy, random: Random): number {
  if (verdict.retry && verdict.retryAfterMs !== undefined)
    return retryAfterDelayMs(verdict.retryAfterMs, random);
  return backoffDelayMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
}

export async function retryWithinBudget<T>(run: RetryRun<T>): Promise<T> {
  let firstFailureAt: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run.attempt(attempt);
    } catch (error) {
      const verdict = run.verdict(error);
      if (!verdict.retry || attempt >= run.policy.maxAttempts) throw error;
      const now = run.clock.now();
      firstFailureAt ??= now;
      const delay = retryDelay(verdict, attempt, run.policy, run.random);
      // A wait that would end past the budget cannot help: give up now with the service's own answer.
      if (now + delay > firstFailureAt + run.policy.budgetMs) throw error;
      run.onRetry?.(error, attempt, delay);
      await sleep(run.clock, delay);
    }
  }
}
