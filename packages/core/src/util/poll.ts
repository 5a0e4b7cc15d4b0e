// Waiting for something the engine cannot make happen itself (a sync deleting an object, Exchange showing new
// addresses): check, back off exponentially, give up at a deadline. DLConversionV2 slept fixed 30 s / 120 s with no
// upper bound (B12); this never waits forever.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PollOptions {
  /** Give up this long after the first check. */
  readonly deadlineMs: number;
  /** @defaultValue 1_000 */
  readonly initialDelayMs?: number;
  /** @defaultValue 30_000 */
  readonly maxDelayMs?: number;
  /** @defaultValue 2 */
  readonly factor?: number;
  readonly clock?: Clock;
  /** An operator's stop request (Ctrl-C, SIGTERM): the wait ends at once with StopRequested, nothing half-done. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Thrown by a wait that was asked to stop (PollOptions.signal). Not a failure: the saga journals the step as
 * suspended, so resume runs it again (saga/runner.ts).
 */
export class StopRequested extends Error {
  /** Why (the signal's reason, e.g. "SIGINT"). */
  readonly reason: string;
  constructor(reason: unknown) {
    const why = typeof reason === 'string' ? reason : 'abort';
    super(`stopped on request (${why})`);
    this.name = 'StopRequested';
    this.reason = why;
  }
}

/** Sleeps, but wakes up at once when `signal` aborts. */
export function sleepUnlessStopped(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return clock.sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => resolve();
    signal.addEventListener('abort', wake, { once: true });
    void clock.sleep(ms).then(() => {
      signal.removeEventListener('abort', wake);
      resolve();
    });
  });
}

export interface PollResult<T> {
  /** The last value `check` returned (satisfied or not). */
  readonly value: T;
  readonly satisfied: boolean;
  readonly attempts: number;
}

/** Calls `check` until `done(value)` holds or the deadline passes; the last check happens at the deadline at latest. */
export async function pollUntil<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  options: PollOptions,
): Promise<PollResult<T>> {
  const clock = options.clock ?? systemClock;
  const factor = options.factor ?? 2;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let delay = options.initialDelayMs ?? 1_000;
  const deadline = clock.now() + options.deadlineMs;
  let attempts = 0;
  const { signal } = options;
  for (;;) {
    const value = await check();
    attempts++;
    if (done(value)) return { value, satisfied: true, attempts };
    if (signal?.aborted) throw new StopRequested(signal.reason);
    const left = deadline - clock.now();
    if (left <= 0) return { value, satisfied: false, attempts };
    await sleepUnlessStopped(clock, Math.min(delay, left), signal);
    if (signal?.aborted) throw new StopRequested(signal.reason);
    delay = Math.min(maxDelay, delay * factor);
  }
}

/** Runs `action` up to `attempts` times, sleeping `delayMs` between tries; rethrows the last error. */
export async function retry<T>(
  action: () => Promise<T>,
  attempts: number,
  delayMs: number,
  clock: Clock = systemClock,
  retryable: (error: unknown) => boolean = () => true,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await clock.sleep(delayMs);
    }
  }
}
