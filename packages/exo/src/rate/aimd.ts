// AIMD on the call *rate* (as TCP does on its window): a throttle multiplies the rate by `decrease`, every second of
// unthrottled calls that were held back by the rate adds `increasePerSecond` (or 5 % of the rate, if more). Below the
// rate at which the service last throttled, the increase is faster (half the gap per second, as CUBIC returns
// quickly to its last maximum); past it, it probes slowly. Exchange Online's per-tenant budgets are undocumented and change with load, so the
// client learns the rate instead of guessing a number.
// A burst of 429s answers calls that were all sent at the same rate: only the first one of them lowers it (calls
// granted before the last decrease carry an older epoch), so one burst does not collapse the rate to the floor.

/**
 * Past the last throttle the rate also grows by this fraction of itself per second, so a rate that a throttle in
 * quiet traffic set very low (one call sent, one refused) climbs back to tens of calls per second within a minute.
 */
const PROBE_GROWTH = 0.05;

export interface AimdOptions {
  /** The floor, in calls per second. */
  readonly min: number;
  /** The ceiling, in calls per second (Infinity: none). */
  readonly max: number;
  /** Multiplicative decrease on a throttle, in (0, 1). */
  readonly decrease: number;
  /** Additive increase: calls per second gained per second of calls that were not throttled. */
  readonly increasePerSecond: number;
}

export class AimdRate {
  /** Infinity until the first throttle when there is no ceiling: nothing is known yet, nothing is held back. */
  private current: number;
  private generation = 0;
  /** The rate at the last throttle (0 = none yet). */
  private lastThrottledAt = 0;

  constructor(private options: AimdOptions) {
    this.current = options.max;
  }

  get rate(): number {
    return this.current;
  }

  /** Bumped at every decrease. */
  get epoch(): number {
    return this.generation;
  }

  /** A new ceiling (the rate is capped to it at once; with no ceiling the learned rate stays). */
  setCeiling(max: number): void {
    this.options = { ...this.options, max };
    if (this.current > max || !Number.isFinite(this.current)) this.current = max;
  }

  /**
   * The service throttled a call granted at `epoch`. `observedRate` is what was actually sent over the last
   * second: it is the starting point when no rate was known yet. Returns whether the rate went down.
   */
  onThrottle(epoch: number, observedRate: number): boolean {
    if (epoch !== this.generation) return false;
    const from = Number.isFinite(this.current) ? this.current : Math.max(observedRate, this.options.min);
    this.lastThrottledAt = from;
    const next = clamp(from * this.options.decrease, this.options.min, this.options.max);
    this.generation++;
    const changed = next !== this.current;
    this.current = next;
    return changed;
  }

  /**
   * A call granted at `epoch` went through. The rate grows only while callers are held back by it (growing a
   * rate nobody uses would only make the next burst hit harder), and only for calls sent since the last decrease.
   * Returns whether the rate went up.
   */
  onSuccess(epoch: number, heldBack: boolean): boolean {
    if (!heldBack || epoch !== this.generation || !Number.isFinite(this.current)) return false;
    if (this.current >= this.options.max) return false;
    const perSecond = Math.max(
      this.options.increasePerSecond,
      this.current * PROBE_GROWTH,
      (this.lastThrottledAt - this.current) / 2,
    );
    // `rate` successes arrive per second, so each adds perSecond / rate (cwnd += 1/cwnd).
    const next = Math.min(this.options.max, this.current + perSecond / Math.max(this.current, 1));
    this.current = next;
    return true;
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
