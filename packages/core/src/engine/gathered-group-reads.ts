// Take-over's convergence checks of a batch wave, gathered (issue 15). After its address write, each group reads its DL
// back until Exchange Online shows every address: one Get-DistributionGroup -Identity per check, so a wave taking over
// at once made two calls per group, all through the connection's few calls in flight — at 150 ms a call a wave of 160
// groups queued 1.5 s for its 320 calls, and the last group's outage with them. Here the checks asked while a read is
// out go together in the next one: Get-DistributionGroup -Filter on ExternalDirectoryObjectId (filterable:
// filter-properties.md), up to ~160 identities a filter (exo opath.ts chunkedAnyOf), which answers with the same records
// as -Identity. An identity the filter did not return (a DL known by its Guid, or not shown yet) is read by -Identity
// as before, so each check gets the answer a read of its own would have given.
// The same gathering serves a batch's other one-group reads of its DLs (issue 17): stage's look for its temporary DL
// by Name (a crash may have left it) and verify's read of the new DL, outside take-over's priority lane.
import { chunkedAnyOf, urgently, type DistributionGroupRecord, type ExchangeOnline } from '@dlmigrate/exo';

/** Reads of distribution groups by identity (stage's `identity`: ExternalDirectoryObjectId, else Guid). */
interface DistributionGroupReads {
  /** The group, or null when Exchange Online has none by this identity. */
  get(identity: string): Promise<DistributionGroupRecord | null>;
}

export interface GatheredGroupReadsOptions {
  /**
   * What the identities asked are. `ExternalDirectoryObjectId` (default): one the filter did not return is read by
   * -Identity (a DL known by its Guid). `Name`: a DL's Name is unique among the tenant's recipients (its DN is built
   * from it), so one the filter did not return does not exist by that name — no read more.
   * @defaultValue 'ExternalDirectoryObjectId'
   */
  readonly by?: 'ExternalDirectoryObjectId' | 'Name';
  /** The reads go in the priority lane (exo rate/priority.ts): take-over's. @defaultValue true */
  readonly urgent?: boolean;
}

interface Waiter {
  resolve(value: DistributionGroupRecord | null): void;
  reject(error: unknown): void;
}

export class GatheredGroupReads implements DistributionGroupReads {
  readonly #exchange: ExchangeOnline;
  readonly #by: NonNullable<GatheredGroupReadsOptions['by']>;
  readonly #urgent: boolean;
  #waiting = new Map<string, { readonly identity: string; readonly waiters: Waiter[] }>();
  #reading = false;

  constructor(exchange: ExchangeOnline, options: GatheredGroupReadsOptions = {}) {
    this.#exchange = exchange;
    this.#by = options.by ?? 'ExternalDirectoryObjectId';
    this.#urgent = options.urgent ?? true;
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
      if (this.#urgent) await urgently(() => this.#answer(asked), { ahead: true });
      else await this.#answer(asked);
    }
    this.#reading = false;
  }

  async #answer(asked: ReadonlyMap<string, { readonly identity: string; readonly waiters: Waiter[] }>) {
    let found: Map<string, DistributionGroupRecord>;
    try {
      const pages = await Promise.all(
        chunkedAnyOf(this.#by, [...asked.keys()]).map((filter) =>
          this.#exchange.findDistributionGroups(filter),
        ),
      );
      const key = (dl: DistributionGroupRecord) =>
        this.#by === 'Name' ? dl.name : dl.externalDirectoryObjectId;
      found = new Map(pages.flat().map((dl) => [key(dl).toLowerCase(), dl]));
    } catch (error) {
      for (const { waiters } of asked.values()) for (const w of waiters) w.reject(error);
      return;
    }
    await Promise.all(
      [...asked].map(async ([key, { identity, waiters }]) => {
        let answer: DistributionGroupRecord | null;
        try {
          answer =
            found.get(key) ??
            (this.#by === 'Name' ? null : await this.#exchange.getDistributionGroup(identity));
        } catch (error) {
          for (const w of waiters) w.reject(error);
          return;
        }
        for (const w of waiters) w.resolve(answer);
      }),
    );
  }
}
