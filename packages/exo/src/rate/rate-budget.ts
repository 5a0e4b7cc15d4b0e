// A tenant-wide budget of calls per second for one service (Exchange Online or Microsoft Graph), shared by every
// caller in the process: a token bucket paces the calls, AIMD learns the rate from 429s, and a Retry-After pauses
// every caller of the tenant (the service throttles the tenant, not one request). Callers wait in FIFO order.
// Its state is observable (stats(), on()) so a live view can show "held back by throttling".
import { AimdRate } from './aimd.js';
import { callerPriority, enqueue } from './priority.js';
import { systemClock, type Clock } from './clock.js';
import { TokenBucket } from './token-bucket.js';

export interface RateBudgetOptions {
  /**
   * The most calls per second ever sent (a ceiling the learned rate never exceeds). Absent: no ceiling; calls go
   * out unpaced until the service first throttles, and from then on at the learned rate.
   */
  readonly maxCallsPerSecond?: number;
  /** The floor of the learned rate. @defaultValue 0.1 */
  readonly minCallsPerSecond?: number;
  /** Factor applied to the rate on a throttle. @defaultValue 0.7 */
  readonly decrease?: number;
  /**
   * Calls per second regained per second of unthrottled calls, past the rate of the last throttle (below it the
   * rate closes half the gap per second). @defaultValue 0.1
   */
  readonly increasePerSecond?: number;
  /** Bucket depth, in seconds of the current rate (at least one call). @defaultValue 0.25 */
  readonly burstSeconds?: number;
  readonly clock?: Clock;
}

/** What a caller got from `acquire`, handed back with the outcome of its call. */
export interface RatePermit {
  /** The budget's epoch when the permit was granted (a throttle of an older epoch lowers the rate no further). */
  readonly epoch: number;
  readonly requestedAt: number;
  readonly grantedAt: number;
}

export interface RateBudgetStats {
  /** The rate calls are paced at now; null = not paced (no ceiling and never throttled). */
  readonly callsPerSecond: number | null;
  /** The configured ceiling; null = none. */
  readonly maxCallsPerSecond: number | null;
  /** Callers waiting for a permit right now. */
  readonly heldBack: number;
  /** Why they wait: a Retry-After pause, or the pacing. null when nobody waits. */
  readonly heldBackBy: 'retry-after' | 'rate' | null;
  /** End of the Retry-After pause in force (epoch ms), or null. */
  readonly pausedUntil: number | null;
  /** Permits granted. */
  readonly granted: number;
  /** Calls granted during the last second. */
  readonly sentLastSecond: number;
  /** Throttled answers reported (429s and concurrency refusals). */
  readonly throttles: number;
  /** Total time callers spent waiting for a permit, in milliseconds. */
  readonly waitedMs: number;
  readonly decreases: number;
  readonly increases: number;
}

export type RateBudgetEvent =
  | {
      readonly type: 'throttled';
      readonly at: number;
      readonly retryAfterMs: number | undefined;
      readonly callsPerSecond: number | null;
    }
  | {
      readonly type: 'rate-changed';
      readonly at: number;
      readonly callsPerSecond: number | null;
      readonly reason: 'throttled' | 'recovered' | 'configured';
    }
  | { readonly type: 'held-back'; readonly at: number; readonly by: 'retry-after' | 'rate' }
  | { readonly type: 'released'; readonly at: number; readonly heldForMs: number };

export type RateBudgetListener = (event: RateBudgetEvent) => void;

interface Waiter {
  readonly priority: number;
  readonly requestedAt: number;
  readonly resolve: (permit: RatePermit) => void;
}

const DEFAULTS = { minCallsPerSecond: 0.1, decrease: 0.7, increasePerSecond: 0.1, burstSeconds: 0.25 };

export class RateBudget {
  private readonly clock: Clock;
  private readonly settings: Required<Omit<RateBudgetOptions, 'clock' | 'maxCallsPerSecond'>>;
  private ceiling: number;
  private aimd!: AimdRate;
  private bucket!: TokenBucket;
  private queue: Waiter[] = [];
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;
  private pausedUntil = 0;
  private recent: number[] = [];
  private heldSince = 0;
  private lastRecoveryEvent = 0;
  private counters = { granted: 0, throttles: 0, waitedMs: 0, decreases: 0, increases: 0 };
  private readonly listeners = new Set<RateBudgetListener>();

  constructor(options: RateBudgetOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.settings = {
      minCallsPerSecond: options.minCallsPerSecond ?? DEFAULTS.minCallsPerSecond,
      decrease: options.decrease ?? DEFAULTS.decrease,
      increasePerSecond: options.increasePerSecond ?? DEFAULTS.increasePerSecond,
      burstSeconds: options.burstSeconds ?? DEFAULTS.burstSeconds,
    };
    if (!(this.settings.decrease > 0 && this.settings.decrease < 1))
      throw new RangeError('decrease must lie between 0 and 1');
    this.ceiling = checkCeiling(options.maxCallsPerSecond);
    this.start();
  }

  /** Listen to throttles, rate changes and holds; returns the unsubscribe function. */
  on(listener: RateBudgetListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Change the ceiling at run time (undefined = none). The learned rate is capped to it. */
  setMaxCallsPerSecond(maxCallsPerSecond: number | undefined): void {
    this.ceiling = checkCeiling(maxCallsPerSecond);
    const now = this.clock.now();
    this.aimd.setCeiling(this.ceiling);
    this.bucket.setRate(this.aimd.rate, this.depth(), now);
    this.emit({
      type: 'rate-changed',
      at: now,
      callsPerSecond: finiteOrNull(this.aimd.rate),
      reason: 'configured',
    });
    this.pump();
  }

  /** Back to the state of a new budget (counters included). Waiting callers keep waiting. */
  reset(): void {
    this.counters = { granted: 0, throttles: 0, waitedMs: 0, decreases: 0, increases: 0 };
    this.pausedUntil = 0;
    this.recent = [];
    this.start();
    this.pump();
  }

  /** Waits for the next permit (FIFO, callers in the priority lane first: rate/priority.ts). Call `onSuccess` or `onThrottle` with it once the call is answered. */
  acquire(): Promise<RatePermit> {
    const now = this.clock.now();
    if (this.queue.length === 0 && this.bucket.take(now) === 0) {
      return Promise.resolve(this.grant(now, now));
    }
    return new Promise<RatePermit>((resolve) => {
      enqueue(this.queue, { priority: callerPriority(), requestedAt: now, resolve });
      if (this.queue.length === 1) {
        this.heldSince = now;
        this.emit({ type: 'held-back', at: now, by: this.heldBy(now) });
      }
      this.pump();
    });
  }

  /** The call made with `permit` was answered without throttling. */
  onSuccess(permit: RatePermit): void {
    if (this.aimd.onSuccess(permit.epoch, this.queue.length > 0)) {
      const now = this.clock.now();
      this.counters.increases++;
      this.bucket.setRate(this.aimd.rate, this.depth(), now);
      if (now - this.lastRecoveryEvent >= 1000) {
        this.lastRecoveryEvent = now;
        this.emit({ type: 'rate-changed', at: now, callsPerSecond: this.aimd.rate, reason: 'recovered' });
      }
    }
  }

  /**
   * The call made with `permit` was throttled. A Retry-After pauses every caller until it has passed; the rate is
   * lowered unless `lowerRate` is false (a refusal about calls in flight, not about their rate).
   */
  onThrottle(permit: RatePermit, retryAfterMs?: number, lowerRate = true): void {
    const now = this.clock.now();
    this.counters.throttles++;
    if (retryAfterMs !== undefined && retryAfterMs > 0 && now + retryAfterMs > this.pausedUntil) {
      this.pausedUntil = now + retryAfterMs;
      this.bucket.holdUntil(this.pausedUntil);
    } else {
      this.bucket.drain(now);
    }
    if (lowerRate && this.aimd.onThrottle(permit.epoch, this.sentLastSecond(now))) {
      this.counters.decreases++;
      this.bucket.setRate(this.aimd.rate, this.depth(), now);
      this.emit({ type: 'rate-changed', at: now, callsPerSecond: this.aimd.rate, reason: 'throttled' });
    }
    this.emit({ type: 'throttled', at: now, retryAfterMs, callsPerSecond: finiteOrNull(this.aimd.rate) });
    this.reschedule();
  }

  stats(): RateBudgetStats {
    const now = this.clock.now();
    return {
      callsPerSecond: finiteOrNull(this.aimd.rate),
      maxCallsPerSecond: finiteOrNull(this.ceiling),
      heldBack: this.queue.length,
      heldBackBy: this.queue.length > 0 ? this.heldBy(now) : null,
      pausedUntil: this.pausedUntil > now ? this.pausedUntil : null,
      granted: this.counters.granted,
      sentLastSecond: this.sentLastSecond(now),
      throttles: this.counters.throttles,
      waitedMs: this.counters.waitedMs + this.queue.reduce((sum, w) => sum + (now - w.requestedAt), 0),
      decreases: this.counters.decreases,
      increases: this.counters.increases,
    };
  }

  private start(): void {
    const now = this.clock.now();
    this.aimd = new AimdRate({
      min: Math.min(this.settings.minCallsPerSecond, this.ceiling),
      max: this.ceiling,
      decrease: this.settings.decrease,
      increasePerSecond: this.settings.increasePerSecond,
    });
    this.bucket = new TokenBucket(this.aimd.rate, this.depth(), now);
  }

  private depth(): number {
    const rate = this.aimd.rate;
    return Number.isFinite(rate) ? Math.max(1, rate * this.settings.burstSeconds) : 1;
  }

  private grant(requestedAt: number, now: number): RatePermit {
    this.counters.granted++;
    this.counters.waitedMs += now - requestedAt;
    this.recent.push(now);
    if (this.recent.length > 4096) this.recent = this.recent.slice(-2048);
    return { epoch: this.aimd.epoch, requestedAt, grantedAt: now };
  }

  private sentLastSecond(now: number): number {
    while (this.recent.length > 0 && this.recent[0]! <= now - 1000) this.recent.shift();
    return this.recent.length;
  }

  private heldBy(now: number): 'retry-after' | 'rate' {
    return this.pausedUntil > now ? 'retry-after' : 'rate';
  }

  /** Hands out permits while the bucket has tokens; otherwise sleeps until the next one is due. */
  private pump(): void {
    const now = this.clock.now();
    while (this.queue.length > 0) {
      const wait = this.bucket.take(now);
      if (wait > 0) {
        this.arm(now + wait);
        return;
      }
      const waiter = this.queue.shift()!;
      waiter.resolve(this.grant(waiter.requestedAt, now));
      if (this.queue.length === 0) {
        this.emit({ type: 'released', at: now, heldForMs: now - this.heldSince });
      }
    }
  }

  /** A throttle may have pushed the next grant later: re-arm the timer from scratch. */
  private reschedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
    if (this.queue.length > 0) this.pump();
  }

  private arm(at: number): void {
    if (this.cancelTimer !== undefined && this.timerAt <= at) return;
    this.cancelTimer?.();
    this.timerAt = at;
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, at - this.clock.now());
  }

  private emit(event: RateBudgetEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a live view) must never break the calls it watches.
      }
    }
  }
}

function checkCeiling(value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`maxCallsPerSecond must be a positive number (got ${value})`);
  return value;
}

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}
