// Which Exchange errors are worth retrying. Throttling (429, the plain-text concurrency refusal) and transient
// gateway/back-end failures are; validation errors, "not found", permission and auth problems never are (the answer
// would be the same). How long and how often is the shared time-budget loop's business (../rate/retry.ts).
import type { RetryPolicy, RetryVerdict } from '../rate/retry.js';
import { ExoError, ExoThrottledError, ExoTimeoutError, ExoTransientError } from './errors.js';

export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../rate/retry.js';

export function isRetryable(error: unknown, policy: RetryPolicy): boolean {
  if (error instanceof ExoThrottledError || error instanceof ExoTransientError) return true;
  if (error instanceof ExoTimeoutError) return policy.retryTimeouts;
  return false;
}

/** Retry or not, and the wait the service asked for (Retry-After) when it named one. */
export function exchangeRetryVerdict(error: unknown, policy: RetryPolicy): RetryVerdict {
  if (!isRetryable(error, policy)) return { retry: false };
  const retryAfterMs = error instanceof ExoError ? error.retryAfterMs : undefined;
  return retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs };
}
