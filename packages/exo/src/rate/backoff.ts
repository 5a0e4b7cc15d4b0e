// How long to wait before a retry. Every wait carries jitter, so callers throttled together do not come back
// together; a service-given Retry-After is a floor, never shortened.

/** A source of numbers in [0, 1) (Math.random, or a fixed sequence in tests). */
export type Random = () => number;

/**
 * Exponential back-off with jitter for attempt `attempt` (1 = the wait after the first failure): a value in
 * [cap / 2, cap] where cap = min(maxMs, baseMs × 2^(attempt − 1)).
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: Random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * The wait after a Retry-After of `retryAfterMs`: at least that, plus up to a fifth of it (at most one second)
 * so that the callers the service paused together spread out when the pause ends.
 */
export function retryAfterDelayMs(retryAfterMs: number, random: Random): number {
  const spread = Math.min(1000, Math.max(50, retryAfterMs / 5));
  return Math.round(retryAfterMs + random() * spread);
}
