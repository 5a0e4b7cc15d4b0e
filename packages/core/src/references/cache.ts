// A tenant-wide read kept for a few minutes per connection object (a batch shares one connection, so a thousand
// groups read the tenant's rules once per few minutes). A failed read is not kept: the next caller reads again.
import type { Clock } from '../util/poll.js';

/** How long a tenant-wide read serves later groups of the same process. */
const INVENTORY_TTL_MS = 5 * 60_000;

/** Bumped by forgetTenantReads: every cache entry of an earlier generation is stale. */
let generation = 0;

/**
 * Makes every tenant-wide read be read again, whatever its age: for a process that knows the tenant changed under the
 * same connection (a test putting the simulated tenant back to its baseline).
 */
export function forgetTenantReads(): void {
  generation++;
}

export class PerConnectionCache<K extends object, V> {
  readonly #entries = new WeakMap<K, { readAt: number; generation: number; value: Promise<V> }>();

  constructor(private readonly ttlMs = INVENTORY_TTL_MS) {}

  get(key: K, clock: Clock, read: () => Promise<V>): Promise<V> {
    const now = clock.now();
    const cached = this.#entries.get(key);
    if (cached && cached.generation === generation && now - cached.readAt < this.ttlMs) return cached.value;
    const value = read();
    this.#entries.set(key, { readAt: now, generation, value });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }
}
