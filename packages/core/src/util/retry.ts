// A step that meets a transient fault — the directory dropping the connection, Graph answering 503, the state store
// busy, the sync endpoint unreachable — is run again after a pause instead of rolling the migration back (issue 13:
// a blip must not undo a migration). The policy is the one the Exchange Online client retries its calls with
// (exo rate/retry.ts: a budget in time, exponential back-off with jitter, packages/exo/src/rate/backoff.ts), taken
// from the engine's own Exchange client so both follow one setting. Steps are idempotent (resume runs a step that was
// cut off again from its start), so running a step again is what a resume would do, without the rollback.
import { DEFAULT_RETRY_POLICY, retryWithinBudget, type RetryPolicy } from '@dlmigrate/exo';
import { sleepUnlessStopped, StopRequested, type Clock } from './poll.js';
import { isTransient } from './transient.js';

export interface TransientRetryOptions {
  readonly clock: Clock;
  /** @defaultValue the Exchange client's DEFAULT_RETRY_POLICY */
  readonly policy?: RetryPolicy;
  /** Ctrl-C / SIGTERM: the pause ends at once and no further attempt is made (StopRequested). */
  readonly signal?: AbortSignal | undefined;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** @defaultValue Math.random */
  readonly random?: () => number;
}

export function retryTransient<T>(attempt: () => Promise<T>, options: TransientRetryOptions): Promise<T> {
  const { clock, signal } = options;
  return retryWithinBudget({
    attempt: async (n) => {
      if (n > 1 && signal?.aborted === true) throw new StopRequested(signal.reason);
      return attempt();
    },
    verdict: (error) => ({ retry: isTransient(error) && signal?.aborted !== true }),
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
