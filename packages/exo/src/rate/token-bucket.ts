// A token bucket: calls are paced at `rate` per second, with at most `capacity` saved up for a burst. Pure: the
// caller passes the time, so the arithmetic is unit-tested without a clock.

export class TokenBucket {
  private tokens: number;
  /** Tokens accrue from this instant on (it lies in the future while a Retry-After pause is in force). */
  private since: number;

  constructor(
    private rate: number,
    private capacity: number,
    now: number,
  ) {
    this.capacity = Math.max(1, capacity);
    this.tokens = this.capacity;
    this.since = now;
  }

  get callsPerSecond(): number {
    return this.rate;
  }

  /** Takes a token if one is there (returns 0), else returns how many milliseconds until one is. */
  take(now: number): number {
    if (now < this.since) return this.since - now;
    if (!Number.isFinite(this.rate)) return 0;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000));
  }

  /** A new rate (and bucket depth); tokens saved so far are kept up to the new depth. */
  setRate(rate: number, capacity: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    this.capacity = Math.max(1, capacity);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Forget the tokens saved up: the service just said "too many", a burst now would be refused too. */
  drain(now: number): void {
    this.refill(now);
    this.tokens = 0;
  }

  /** Nothing may be taken before `until`; then one call may go at once (a probe) and the pacing resumes. */
  holdUntil(until: number): void {
    if (until <= this.since) return;
    this.since = until;
    this.tokens = 1;
  }

  private refill(now: number): void {
    if (now <= this.since) return;
    if (Number.isFinite(this.rate)) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.since) / 1000) * this.rate);
    } else {
      this.tokens = this.capacity;
    }
    this.since = now;
  }
}
