// When to retry an Exchange call and how long to wait. Throttling and transient gateway failures
// are retried, honouring Retry-After; validation errors, "not found", permission and auth problems
// never are (the answer would be the same).
import { ExoError, ExoThrottledError, ExoTimeoutError, ExoTransientError } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt. @defaultValue 6 */
  readonly retries: number;
  /** First back-off when the service gives no Retry-After (doubles each time). @defaultValue 2000 */
  readonly baseDelayMs: number;
  /** Upper bound of any single wait, Retry-After included. @defaultValue 120000 */
  readonly maxDelayMs: number;
  /**
   * Whether a timed-out call may be re-sent. Reads are safe; writes such as New-DistributionGroup
   * may have happened server-side, so callers re-read state instead. @defaultValue false
   */
  readonly retryTimeouts: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 6,
  baseDelayMs: 2000,
  maxDelayMs: 120_000,
  retryTimeouts: false,
};

export function isRetryable(error: unknown, policy: RetryPolicy): boolean {
  if (error instanceof ExoThrottledError || error instanceof ExoTransientError) return true;
  if (error instanceof ExoTimeoutError) return policy.retryTimeouts;
  return false;
}

/** Milliseconds to wait before attempt number `attempt + 1` (attempt counts from 1). */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy): number {
  if (error instanceof ExoError && error.retryAfterMs !== undefined) {
    return Math.min(policy.maxDelayMs, error.retryAfterMs);
  }
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  // Full jitter keeps many workers that were throttled together from coming back together.
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.min(policy.maxDelayMs, Math.round(jittered));
}

export function isExoError(error: unknown): error is ExoError {
  return error instanceof ExoError;
}
