// Take-over's convergence checks of a batch wave, gathered (issue 15). After its address write, each group reads its DL
// back until Exchange Online shows every address: one Get-DistributionGroup -Identity per check, so a wave taking over
// at once made two calls per group, all through the connection's few calls in flight — at 150 ms a call a wave of 160
// groups queued 1.5 s for its 320 calls, and the last group's outage with them. Here the checks asked while a read is
// out go together in the next one: Get-DistributionGroup -Filter on ExternalDirectoryObjectId (filterable:
// filter-properties.md), up to ~160 identities a filter (exo opath.ts chunkedAnyOf), which answers with the same records
// as -Identity. An identity the filter did not return (a DL known by its Guid, or not shown yet) is read by -Identity
// as before, so each check gets the answer a read of its own would have given.
import { chunkedAnyOf, urgently, type DistributionGroupRecord, type ExchangeOnline } from '@dlmigrate/exo';

/** Reads of distribution groups by identity (stage's `identity`: ExternalDirectoryObjectId, else Guid). */
interface DistributionGroupReads {
  /** The group, or null when Exchange Online has none by this identity. */
  get(identity: string): Promise<DistributionGroupRecord | null>;
}

interface Waiter {
  resolve(value: DistributionGroupRecord | null): void;
  reject(error: unknown): void;
}

export class GatheredGroupReads implements DistributionGroupReads {
  readonly #exchange: ExchangeOnline;
  #waiting = new Map<string, { readonly identity: string; readonly waiters: Waiter[] }>();
  #reading = false;

  constructor(exchange: ExchangeOnline) {
    this.#exchange = exchange;
  }

  get(identity: string): Promise<DistributionGroupRecord | null> {
    return new Promise((resolve, reject) => {
      const key = identity.toLowerCase();
      const entry = this.#waiting.get(key) ?? { identity, waiters: [] };
      entry.waiters.push({ resolve, reject });
      this.#waiting.set(key, entry);
      if (this.#reading) return; // goes in the read after the one out now
      this.#reading = true;
      // The checks asked in the same turn of the event loop go together in the first read.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    while (this.#waiting.size > 0) {
      const asked = this.#waiting;
      this.#waiting = new Map();
      // Take-over's calls: in the priority lane (exo rate/priority.ts), whichever group's check started this read —
      // ahead of the lane's address writes, since this one read ends the outage of every group it finds converged.
      await urgently(() => this.#answer(asked), { ahead: true });
    }
    this.#reading = false;
  }

  async #answer(asked: ReadonlyMap<string, { readonly identity: string; readonly waiters: Waiter[] }>) {
    let found: Map<string, DistributionGroupRecord>;
    try {
      const pages = await Promise.all(
        chunkedAnyOf('ExternalDirectoryObjectId', [...asked.keys()]).map((filter) =>
          this.#exchange.findDistributionGroups(filter),
        ),
      );
      found = new Map(pages.flat().map((dl) => [dl.externalDirectoryObjectId.toLowerCase(), dl]));
    } catch (error) {
      for (const { waiters } of asked.values()) for (const w of waiters) w.reject(error);
      return;
    }
    await Promise.all(
      [...asked].map(async ([key, { identity, waiters }]) => {
        let answer: DistributionGroupRecord | null;
        try {
          answer = found.get(key) ?? (await this.#exchange.getDistributionGroup(identity));
        } catch (error) {
          for (const w of waiters) w.reject(error);
          return;
        }
        for (const w of waiters) w.resolve(answer);
      }),
    );
  }
}
