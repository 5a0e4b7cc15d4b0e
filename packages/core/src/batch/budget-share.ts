// One tenant budget for every runner of a batch (issue 17, scale out). The admin's ceiling of calls per second
// (tenant.maxCallsPerSecond: their share of Exchange Online's and Graph's per-tenant budgets) is kept per process by
// the exo client (exo rate/registry.ts), so N runner processes on one batch would send N times it. Each runner counts the batch's
// live runners now and then (the owners of its unexpired leases, state store/leases.ts batchRunners) and paces itself
// at ceiling / N. Without a ceiling there is nothing to divide: each process learns its rate from the tenant's 429s
// (AIMD), and flows that back off that way share a budget fairly between them, as TCP's do.
import type { RateBudget } from '@dlmigrate/exo';
import type { StateStore } from '@dlmigrate/state';
import { sleepUnlessStopped, type Clock } from '../util/poll.js';

/** How often a runner counts the batch's runners: a runner that joins gets its share within this time. */
const BUDGET_SHARE_INTERVAL_MS = 5_000;

export interface BudgetShareOptions {
  /** The process's tenant budgets (Exchange Online's, Graph's): each with a configured ceiling is divided. */
  readonly rates: readonly RateBudget[];
  readonly state: StateStore;
  readonly batchId: string;
  readonly runnerId: string;
  readonly clock: Clock;
  readonly intervalMs?: number;
  /**
   * Told whenever this runner's share changes (the live view and the run log say so): the runners counted, and the
   * first budget's ceiling divided by them (the CLI sets one ceiling for both services).
   */
  readonly onShare?: (share: { readonly runners: number; readonly callsPerSecond: number }) => void;
}

export class BudgetShare {
  readonly #options: BudgetShareOptions;
  /** Each budget with its configured ceiling when the run started: what is divided; put back when the run ends. */
  readonly #ceilings: ReadonlyArray<{ readonly rate: RateBudget; readonly ceiling: number }>;
  readonly #stop = new AbortController();
  #runners = 1;
  #loop: Promise<void> | undefined;

  constructor(options: BudgetShareOptions) {
    this.#options = options;
    this.#ceilings = options.rates.flatMap((rate) => {
      const ceiling = rate.stats().maxCallsPerSecond;
      return ceiling === null ? [] : [{ rate, ceiling }];
    });
  }

  /** Counts the runners now and keeps counting until stop(); does nothing when no ceiling is configured. */
  start(): void {
    if (this.#ceilings.length === 0 || this.#loop !== undefined) return;
    this.#loop = this.#run();
  }

  /** The runners this runner counted last (itself included). */
  get runners(): number {
    return this.#runners;
  }

  /** Counts the batch's runners once and sets this runner's share of the ceiling. */
  async refresh(): Promise<void> {
    if (this.#ceilings.length === 0) return;
    const { state, batchId, runnerId } = this.#options;
    const owners = new Set(await state.batchRunners(batchId));
    owners.add(runnerId);
    if (owners.size === this.#runners) return;
    this.#runners = owners.size;
    for (const { rate, ceiling } of this.#ceilings) rate.setMaxCallsPerSecond(ceiling / owners.size);
    this.#options.onShare?.({
      runners: owners.size,
      callsPerSecond: this.#ceilings[0]!.ceiling / owners.size,
    });
  }

  /** Stops counting and gives the process its whole ceiling back. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    for (const { rate, ceiling } of this.#ceilings) rate.setMaxCallsPerSecond(ceiling);
  }

  async #run(): Promise<void> {
    const { clock, intervalMs = BUDGET_SHARE_INTERVAL_MS } = this.#options;
    while (!this.#stop.signal.aborted) {
      // A count the store could not answer keeps the last share; the next one is tried after the interval.
      await this.refresh().catch(() => {});
      await sleepUnlessStopped(clock, intervalMs, this.#stop.signal);
    }
  }
}
