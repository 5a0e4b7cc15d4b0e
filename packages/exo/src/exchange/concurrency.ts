// Per-tenant adaptive concurrency (AIMD, as TCP does): halve the number of calls allowed in flight
// when Exchange Online throttles, add one back after a run of successes. Exchange's limits are per
// tenant and undocumented, so we learn them instead of guessing a fixed number.
// A burst of 429s answers calls that were all sent under the same limit: only the first of them
// halves it (calls started before the last decrease carry an older epoch and are ignored), so one
// burst doesn't collapse the limit to the minimum.

import { callerPriority, enqueue } from '../rate/priority.js';

/**
 * The most calls one connection keeps in flight when the tenant never refuses. At 150 ms a call, 16 capped a
 * connection at ~107 calls/s — a 100,000-member group's 95,000 additions alone took 15 minutes of latency (issue 17);
 * 32 halves that. Above what a tenant allows, its 429s and concurrency refusals halve the limit (AIMD), so the ceiling
 * is a bound on our side, not a guess at the tenant's.
 */
export const MAX_CALLS_IN_FLIGHT = 32;

export interface AdaptiveLimitOptions {
  /** @defaultValue 4 */
  readonly initial?: number;
  /** @defaultValue 1 */
  readonly min?: number;
  /** @defaultValue MAX_CALLS_IN_FLIGHT */
  readonly max?: number;
  /** Successes in a row (since the last change) before the limit grows by one. @defaultValue 20 */
  readonly growAfter?: number;
}

export interface AdaptiveLimitStats {
  readonly limit: number;
  readonly inFlight: number;
  readonly waiting: number;
  readonly decreases: number;
  readonly increases: number;
  readonly peakInFlight: number;
}

export interface Slot {
  /** The limit's epoch when the slot was granted. */
  readonly epoch: number;
  release(): void;
}

export class AdaptiveLimit {
  private current: number;
  private readonly min: number;
  private readonly max: number;
  private readonly growAfter: number;
  private active = 0;
  private successes = 0;
  private decreases = 0;
  private increases = 0;
  private peak = 0;
  private readonly queue: Array<{ readonly priority: number; readonly resolve: () => void }> = [];
  /** Bumped at every decrease. */
  private epoch = 0;

  constructor(options: AdaptiveLimitOptions = {}) {
    this.min = Math.max(1, options.min ?? 1);
    this.max = Math.max(this.min, options.max ?? MAX_CALLS_IN_FLIGHT);
    this.current = clamp(options.initial ?? 4, this.min, this.max);
    this.growAfter = Math.max(1, options.growAfter ?? 20);
  }

  get limit(): number {
    return this.current;
  }

  stats(): AdaptiveLimitStats {
    return {
      limit: this.current,
      inFlight: this.active,
      waiting: this.queue.length,
      decreases: this.decreases,
      increases: this.increases,
      peakInFlight: this.peak,
    };
  }

  /** Wait for a slot (urgent callers first, rate/priority.ts); call `release` exactly once when the call is over. */
  async acquire(): Promise<Slot> {
    if (this.active >= this.current) {
      await new Promise<void>((resolve) => enqueue(this.queue, { priority: callerPriority(), resolve }));
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return {
      epoch: this.epoch,
      release: () => {
        if (released) return;
        released = true;
        this.active--;
        this.pump();
      },
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    try {
      return await fn();
    } finally {
      slot.release();
    }
  }

  /** A call went through without being throttled. */
  onSuccess(): void {
    this.successes++;
    if (this.successes >= this.growAfter && this.current < this.max) {
      this.current++;
      this.increases++;
      this.successes = 0;
      this.pump();
    }
  }

  /**
   * The service throttled us: halve (multiplicative decrease), never below min. Pass the epoch of
   * the throttled call's slot; a call sent before the last decrease doesn't decrease again.
   */
  onThrottle(epoch: number = this.epoch): void {
    this.successes = 0;
    if (epoch < this.epoch) return;
    const next = Math.max(this.min, Math.floor(this.current / 2));
    if (next < this.current) {
      this.current = next;
      this.decreases++;
      this.epoch++;
    }
  }

  private pump(): void {
    // A slot is handed straight to a waiter (active stays counted for it).
    while (this.queue.length > 0 && this.active < this.current) {
      this.active++;
      this.queue.shift()!.resolve();
    }
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)));
}
