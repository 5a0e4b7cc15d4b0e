// Running a planned batch, level by level (each level one sync wave, children first):
//   preparing  – every group of the level runs capture → validate → stage → park;
//   syncing    – ONE runner (elected through the state store) triggers one sync for the level and watches, at a short
//                steady cadence with one Graph delta call per poll for the whole wave (GroupDeletionWatch, exo
//                graph/group-deletions.ts), for the synced cloud groups to go; each group whose deletion is seen (in
//                Graph, then confirmed gone from Exchange Online in one bulk query) starts at once, its take-over in
//                the priority lane (exo rate/priority.ts) — it waits for no other group of the wave (issue 15).
//                A group starts in the runner that parked it: that runner keeps its lease while it waits (#hold) and
//                starts it as soon as the level's record lists its deletion; the coordinator starts the ones nobody
//                holds. So every runner finishes its share of the wave, not the coordinator alone (issue 17);
//   finishing  – every parked group not started yet runs from await-deletion to its report, each on its own: a
//                straggler the watch did not see go by the level's deadline (counted from the level's sync trigger)
//                gets one last check and its own rollback — not a sync of its own and a second full deadline. A group
//                whose on-prem dependants have synced copies to update stops at final-sync (parked) instead;
//   final-sync – ONE runner (elected as for the level's sync) triggers one sync for those groups, after the on-prem
//                rewiring of all of them; each then goes on from final-sync, waiting until its dependants' synced copies
//                follow (deadline counted from that trigger), to verify and its report (steps/final-sync.ts);
//   done       – nothing of the level is open any more; the next level starts.
// Every runner process sharing the store runs this same loop; work is taken with leases, so a runner that dies
// loses its groups to the others once its leases expire, and re-running the loop after a crash resumes it.
// Unlike DLConversionV2's fixed waves of five that wait for their slowest group and hang when a thread dies
// (docs/reference-behaviour.md#batches), nothing here waits on a process: only on state, with deadlines.
import { CoreError } from '../errors/core-error.js';
import type {
  BatchLevelRecord,
  BatchStatus,
  FindingRecord,
  Fence,
  JsonObject,
  MigrationRecord,
  MigrationStatus,
  StateStore,
} from '@dlmigrate/state';
import { isFinalStatus, isSucceededStatus, startHeartbeat, toJsonObject } from '@dlmigrate/state';
import pLimit from 'p-limit';
import { existingRecipientIds, urgently, type GroupDeletionWatch, cloudIdentity } from '@dlmigrate/exo';
import {
  DEFAULT_LEASE_MS,
  type DeletionObservation,
  type EngineDeps,
  type LevelReads,
} from '../engine/context.js';
import { runMigration, type MigrationOutcome } from '../engine/engine.js';
import { loadSnapshotPart } from '../engine/snapshot.js';
import { readTenant } from '../steps/capture.js';
import { parseStoredOptions, type MigrationOptions } from '../options.js';
import type { SyncTrigger } from '../sync/trigger.js';
import { sleepUnlessStopped, systemClock, type Clock } from '../util/poll.js';
import { isTransient } from '../util/transient.js';
import type { BatchEvent, BatchEventListener, LevelPhase } from './events.js';
import { childGroupsOf } from './directory.js';
import { layoutOf, type BatchLayout } from './plan.js';
import { newestPerGroup, type BatchRetryDecision } from './retry.js';
import { TakeOverLane } from './take-over-lane.js';
import { GatheredGroupReads } from '../engine/gathered-group-reads.js';
import { BudgetShare } from './budget-share.js';

export interface BatchRunOptions {
  readonly onEvent?: BatchEventListener;
  /**
   * Safety net only: how many groups this runner works on at once. The real bound is Exchange Online's back-pressure,
   * which the exo client follows (adaptive per-tenant concurrency, 429 / Retry-After).
   * @defaultValue 256
   */
  readonly maxConcurrentGroups?: number;
  /**
   * Groups a runner takes on before any has finished; every finished group lets it take one more (up to
   * maxConcurrentGroups). A throttled tenant finishes groups slowly, so the window grows slowly, and a runner that
   * starts later still finds work instead of a batch one runner claimed whole. @defaultValue 16
   */
  readonly initialWindow?: number;
  /** Lease of the level's sync coordination (renewed while the coordinator waits). @defaultValue 60_000 */
  readonly syncLeaseMs?: number;
  /** How often a runner looks at the store while it waits for others. @defaultValue 1_000 */
  readonly waitIntervalMs?: number;
  /** How often the level's deletion watch polls (one Graph delta call per poll for the whole wave). @defaultValue 1_000 */
  readonly deletionPollMs?: number;
  /**
   * How often a runner that holds parked groups of a syncing level reads the level's record for their deletions (one
   * read of the level's row). Short, because a group's outage runs from its deletion to its take-over. @defaultValue 250
   */
  readonly handOffPollMs?: number;
  /** How often a group that stopped after its point of no return is resumed before it is left for an operator. @defaultValue 2 */
  readonly resumeAttempts?: number;
  /**
   * Stops the run cleanly when aborted (Ctrl-C / SIGTERM): no new group is taken, every group in flight stops at its
   * next safe point (between steps, or a wait abandoned: the engine's RunOptions.signal), the level's deletion watch
   * ends after its poll, every lease is released, and the outcome says `stopped`. `batch --resume` goes on.
   */
  readonly signal?: AbortSignal;
  /** How often the runner counts the batch's runners to share the configured ceiling. @defaultValue 5_000 (batch/budget-share.ts) */
  readonly budgetShareMs?: number;
}

export interface BatchGroupResult {
  readonly migrationId: string;
  readonly address: string;
  readonly level: number;
  readonly status: MigrationStatus;
  /** Codes of the blocking / needs-action findings recorded for it. */
  readonly codes: readonly string[];
}

export interface BatchOutcome {
  readonly batchId: string;
  readonly status: BatchStatus;
  readonly groups: readonly BatchGroupResult[];
  /** Set when the run stopped on request (BatchRunOptions.signal), with the reason (e.g. "SIGINT"). */
  readonly stopped?: string;
  /** `batch --resume`: what was decided for each group that had not succeeded (retry.ts), before the run. */
  readonly retries?: readonly BatchRetryDecision[];
}

/** Runs (or resumes) a batch with this runner's id until every level is done or left for an operator. */
export async function runBatch(
  deps: EngineDeps & { readonly runnerId: string },
  batchId: string,
  options: BatchRunOptions = {},
): Promise<BatchOutcome> {
  return new BatchRunner(deps, batchId, options).run();
}

class BatchRunner {
  readonly #deps: EngineDeps & { readonly runnerId: string };
  readonly #state: StateStore;
  readonly #batchId: string;
  readonly #emit: BatchEventListener;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #clock: Clock;
  readonly #syncLeaseMs: number;
  readonly #waitMs: number;
  readonly #deletionPollMs: number;
  readonly #handOffPollMs: number;
  readonly #resumeAttempts: number;
  readonly #maxGroups: number;
  readonly #initialWindow: number;
  readonly #signal: AbortSignal | undefined;
  readonly #budgetShareMs: number | undefined;
  /** Groups this runner finished a phase of (grows its claim window). */
  #finished = 0;
  readonly #fence: Fence;
  /** Per group: how often this runner ran it in the current phase (bounds resumes of a stubborn failure). */
  readonly #attempts = new Map<string, number>();
  /** Groups this runner found waiting for a child that is still migrating (see #gate). */
  readonly #deferred = new Set<string>();
  /** Per level being prepared: the tenant-wide reads its captures share. */
  readonly #levelReads = new Map<number, LevelReads>();
  /** Groups the deletion watch started the moment their deletion was seen (the priority lane), until they end. */
  readonly #started = new Map<string, Promise<void>>();
  /**
   * Groups this runner parked and keeps the lease of until their deletion is seen: it takes them over itself, so the
   * wave's finishing is shared by every runner that prepared it. A runner that dies or hangs loses them when the
   * lease runs out (the heartbeat stops), and the coordinator or #finish takes them then.
   */
  readonly #held = new Map<
    string,
    { readonly migration: MigrationRecord; readonly heartbeat: ReturnType<typeof startHeartbeat> }
  >();
  /** The groups whose deletion was seen and whose take-over has not ended: later steps of every group wait for them. */
  readonly #lane = new TakeOverLane();
  /** Take-over's convergence checks of this runner's groups, gathered into shared reads. */
  readonly #groupReads: GatheredGroupReads;
  /** Stage's and verify's one-DL reads of this runner's groups, gathered outside the priority lane (issue 17). */
  readonly #otherGroupReads: NonNullable<EngineDeps['gatheredGroupReads']>;
  /** objectGUID → address of every group in the batch (fixed at planning). */
  readonly #addressOfGuid = new Map<string, string>();
  #layout!: BatchLayout;
  #options!: MigrationOptions;

  constructor(deps: EngineDeps & { readonly runnerId: string }, batchId: string, options: BatchRunOptions) {
    this.#deps = deps;
    this.#state = deps.state;
    this.#batchId = batchId;
    this.#emit = options.onEvent ?? (() => {});
    this.#maxGroups = options.maxConcurrentGroups ?? 256;
    this.#initialWindow = options.initialWindow ?? 16;
    this.#limit = pLimit(this.#maxGroups);
    this.#clock = deps.clock ?? systemClock;
    this.#syncLeaseMs = options.syncLeaseMs ?? 60_000;
    this.#waitMs = options.waitIntervalMs ?? 1_000;
    this.#deletionPollMs = options.deletionPollMs ?? 1_000;
    this.#handOffPollMs = options.handOffPollMs ?? 250;
    this.#resumeAttempts = options.resumeAttempts ?? 2;
    this.#fence = { runnerId: deps.runnerId };
    this.#groupReads = new GatheredGroupReads(deps.exchange);
    this.#otherGroupReads = {
      byName: new GatheredGroupReads(deps.exchange, { by: 'Name', urgent: false }),
      byIdentity: new GatheredGroupReads(deps.exchange, { urgent: false }),
    };
    this.#signal = options.signal;
    this.#budgetShareMs = options.budgetShareMs;
  }

  /** Asked to stop: take nothing new, let what runs reach its safe point. */
  get #stopping(): boolean {
    return this.#signal?.aborted === true;
  }

  async run(): Promise<BatchOutcome> {
    const batch = await this.#state.getBatch(this.#batchId);
    if (batch === null) throw new CoreError('CORE_BATCH_NOT_FOUND', `there is no batch ${this.#batchId}`);
    this.#layout = layoutOf(batch);
    this.#options = parseStoredOptions(batch.input['options'], `the options of batch ${this.#batchId}`);
    if (batch.status === 'planned') await this.#state.setBatchStatus(this.#batchId, 'running');
    for (const m of await this.#state.listMigrations({ batchId: this.#batchId })) {
      if (m.group.objectGuid !== null)
        this.#addressOfGuid.set(m.group.objectGuid.toLowerCase(), m.group.address.toLowerCase());
    }
    const share = new BudgetShare({
      rates: [this.#deps.exchange.transport.rate, this.#deps.graph.rate],
      state: this.#state,
      batchId: this.#batchId,
      runnerId: this.#deps.runnerId,
      clock: this.#clock,
      ...(this.#budgetShareMs !== undefined ? { intervalMs: this.#budgetShareMs } : {}),
      onShare: (s) => this.#emit({ type: 'budget-share', batchId: this.#batchId, ...s }),
    });
    share.start();
    try {
      for (const level of batch.levels) {
        if (level.phase === 'done') continue;
        if (this.#stopping) break;
        await this.#runLevel(level.level);
      }
      if (!this.#stopping) await this.#retryDeferred();
      // Groups the deletion watch started end at their safe point too before the outcome is read.
      await Promise.allSettled([...this.#started.values()]);
    } finally {
      // Stopped (or failed) with parked groups still held: let go of them now, so that `batch --resume` or another
      // runner takes them at once instead of after the lease.
      for (const id of [...this.#held.keys()]) await this.#unhold(id, true);
      await share.stop();
    }
    return this.#conclude();
  }

  async #runLevel(level: number): Promise<void> {
    let record = await this.#level(level);
    if (record.phase === 'pending' || record.phase === 'preparing') {
      await this.#setPhase(level, 'preparing');
      await this.#prepare(level);
      if (this.#stopping) return;
      record = await this.#awaitSync(level);
    }
    if (record.phase === 'syncing') record = await this.#awaitSync(level);
    // Stopped while syncing: the level stays in its phase (its data holds what the watch saw) for resume.
    if (this.#stopping || rank(record.phase) < rank('finishing')) return;
    await this.#setPhase(level, 'finishing');
    await this.#finish(level, record);
    if (this.#stopping) return;
    await this.#setPhase(level, 'final-sync');
    await this.#finalSync(level);
    if (this.#stopping) return;
    await this.#setPhase(level, 'done');
  }

  // ── preparing ────────────────────────────────────────────────────────────────────────────────

  /** Stages and parks every group of the level (this runner's share); returns once none is left unparked by anyone. */
  async #prepare(level: number): Promise<void> {
    await this.#drain(level, ['planned', 'running'], everyGroup, async (migration) => {
      const gate = await this.#gate(migration);
      if (gate.verdict === 'blocked') return this.#blockByChildren(migration, level, gate.children);
      if (gate.verdict === 'wait') return this.#defer(migration, level, gate.children);
      await this.#runGroup(migration, level, { until: 'park' });
    });
  }

  /**
   * After a group's run to park (which kept its lease, RunOptions.keepLease): a parked group's lease is kept, renewed
   * until this runner takes the group over — another runner's claim fails meanwhile, so the take-over stays here —
   * and any other's is released.
   */
  async #hold(migration: MigrationRecord): Promise<void> {
    const leaseMs = this.#deps.leaseMs ?? DEFAULT_LEASE_MS;
    let claimed: MigrationRecord | null;
    try {
      claimed = await this.#state.claimMigration(migration.id, this.#deps.runnerId, leaseMs);
      if (claimed === null) return; // taken over meanwhile (this runner's lease ran out under it)
      if (claimed.status !== 'parked' || this.#stopping) {
        await this.#state.releaseLease(claimed.id, this.#deps.runnerId);
        return;
      }
    } catch {
      // The store did not answer: the lease runs out by itself and the group is anyone's then, as a dead runner's is.
      return;
    }
    const heartbeat = startHeartbeat(this.#state, {
      migrationId: claimed.id,
      runnerId: this.#deps.runnerId,
      leaseMs,
      // Lost after expiry (this runner hung): the one that took the lease takes the group over.
      onLost: () => this.#held.delete(claimed.id),
      // A renewal the store could not answer is tried again at the next beat; the lease outlasts two misses.
      onError: () => {},
    });
    this.#held.set(claimed.id, { migration: claimed, heartbeat });
  }

  /** Stops keeping a held group's lease: it is being run now (the run renews the lease itself), or given up. */
  async #unhold(migrationId: string, release = false): Promise<void> {
    const held = this.#held.get(migrationId);
    if (held === undefined) return;
    this.#held.delete(migrationId);
    await held.heartbeat.stop();
    // Not released (the store did not answer): it runs out by itself, as a dead runner's lease does.
    if (release) await this.#state.releaseLease(migrationId, this.#deps.runnerId).catch(() => {});
  }

  /** Starts each group this runner holds whose deletion the level's record lists (the coordinator wrote it). */
  #startHeld(level: number, record: BatchLevelRecord): void {
    if (this.#held.size === 0) return;
    const seen = deletionsIn(record.data);
    for (const [id, held] of this.#held) {
      const observation = seen[id];
      if (observation !== undefined && held.migration.batchLevel === level)
        this.#start(held.migration, level, observation);
    }
  }

  /**
   * Whether a group may start: every child group of it in the batch must have migrated. The plan's links put those
   * children in earlier levels, but the directory is read again (one search) because membership can change after
   * planning; a child found that way may still be running, and then the parent waits for it instead of failing
   * validation (DLConversionV2 let it fail and retried it a whole pass later, docs/reference-behaviour.md#batches).
   */
  async #gate(
    migration: MigrationRecord,
  ): Promise<{ verdict: 'go' | 'blocked' | 'wait'; children: MigrationRecord[] }> {
    const wanted = new Set(
      (this.#layout.children[migration.group.address] ?? []).map((c) => c.toLowerCase()),
    );
    const dn = this.#layout.dns?.[migration.group.address];
    if (dn !== undefined) {
      for (const child of await childGroupsOf(this.#deps.ad, dn)) {
        const address = this.#addressOfGuid.get(child.objectGuid.toLowerCase());
        if (address !== undefined && address !== migration.group.address.toLowerCase()) wanted.add(address);
      }
    }
    if (wanted.size === 0) return { verdict: 'go', children: [] };
    // The newest migration of a group decides.
    const latest = new Map<string, MigrationRecord>();
    for (const r of await this.#state.listMigrations({ batchId: this.#batchId }))
      latest.set(r.group.address.toLowerCase(), r);
    const children = [...wanted]
      .map((a) => latest.get(a))
      .filter((r): r is MigrationRecord => r !== undefined);
    const notMigrated = children.filter((r) => !isSucceededStatus(r.status));
    if (notMigrated.length === 0) return { verdict: 'go', children: [] };
    const failed = notMigrated.filter((r) => isFinalStatus(r.status));
    return failed.length > 0
      ? { verdict: 'blocked', children: failed }
      : { verdict: 'wait', children: notMigrated };
  }

  /** The group stays planned; it is run again after its children, once every level is done. */
  async #defer(
    migration: MigrationRecord,
    level: number,
    children: readonly MigrationRecord[],
  ): Promise<void> {
    this.#deferred.add(migration.id);
    await this.#state.releaseLease(migration.id, this.#deps.runnerId);
    this.#emit({
      type: 'retry',
      batchId: this.#batchId,
      level,
      address: migration.group.address,
      after: children.map((c) => c.group.address),
    });
  }

  /**
   * Groups that had to wait for a child found only at run time: once every level is done, each one whose children
   * migrated runs from start to end on its own (its own sync: such groups are rare, and no level waits for them);
   * one whose child failed is blocked naming it. Repeats while that makes progress.
   */
  async #retryDeferred(): Promise<void> {
    this.#attempts.clear();
    for (;;) {
      if (this.#stopping) return;
      // Lease times are written by the database clock (packages/state/src/store/leases.ts): judged by it, not by
      // this machine's clock, which may drift from another runner's.
      const now = await this.#state.now();
      const waiting = (
        await this.#state.listMigrations({ batchId: this.#batchId, status: 'planned' })
      ).filter(
        (m) =>
          (m.lease === null ||
            Date.parse(m.lease.expiresAt) < now ||
            m.lease.owner === this.#deps.runnerId) &&
          (this.#attempts.get(m.id) ?? 0) < this.#resumeAttempts,
      );
      if (waiting.length === 0) return;
      let progress = false;
      let childInProgress = false;
      const stuck: MigrationRecord[] = [];
      for (const migration of waiting) {
        if (this.#stopping) return;
        const claimed = await this.#state.claimMigration(
          migration.id,
          this.#deps.runnerId,
          this.#deps.leaseMs ?? DEFAULT_LEASE_MS,
        );
        if (claimed === null || claimed.status !== 'planned') continue;
        const level = claimed.batchLevel ?? 0;
        const gate = await this.#gate(claimed);
        if (gate.verdict === 'wait') {
          await this.#state.releaseLease(claimed.id, this.#deps.runnerId);
          // A child another runner is working on right now will end; only a child nobody works on never will.
          childInProgress ||= gate.children.some(
            (c) => c.lease !== null && Date.parse(c.lease.expiresAt) >= now,
          );
          stuck.push(claimed);
          continue;
        }
        progress = true;
        this.#attempts.set(claimed.id, (this.#attempts.get(claimed.id) ?? 0) + 1);
        if (gate.verdict === 'blocked') await this.#blockByChildren(claimed, level, gate.children);
        else await this.#runGroup(claimed, level, { deletionSeen: false, levelFinalSync: 'own' });
      }
      if (progress) continue;
      if (childInProgress) {
        await this.#clock.sleep(this.#waitMs);
        continue;
      }
      // Every one left waits for a child that waits too (a loop the plan could not see): none of them can go.
      for (const migration of stuck) {
        const claimed = await this.#state.claimMigration(
          migration.id,
          this.#deps.runnerId,
          this.#deps.leaseMs ?? DEFAULT_LEASE_MS,
        );
        if (claimed === null || claimed.status !== 'planned') continue;
        const gate = await this.#gate(claimed);
        if (gate.verdict === 'go')
          await this.#runGroup(claimed, claimed.batchLevel ?? 0, {
            deletionSeen: false,
            levelFinalSync: 'own',
          });
        else await this.#blockByChildren(claimed, claimed.batchLevel ?? 0, gate.children);
      }
      return;
    }
  }

  async #blockByChildren(
    migration: MigrationRecord,
    level: number,
    children: readonly MigrationRecord[],
  ): Promise<void> {
    const names = children.map((c) => `${c.group.address} (${c.status})`).join(', ') || 'unknown';
    await this.#state.addFindings(migration.id, [
      {
        code: 'CHILD_GROUP_MIGRATION_EXCEPTION',
        severity: 'blocking',
        message: `child group ${names} did not migrate, so this group cannot`,
        attribute: 'member',
        subject: children[0]?.group.address ?? null,
        step: 'batch',
      },
    ]);
    await this.#state.updateMigration(migration.id, { status: 'blocked' }, this.#fence);
    await this.#state.releaseLease(migration.id, this.#deps.runnerId);
    this.#emitGroup(migration, level, 'blocked', ['CHILD_GROUP_MIGRATION_EXCEPTION']);
  }

  // ── syncing ──────────────────────────────────────────────────────────────────────────────────

  /** Waits for the level's sync phase to end; the runner elected coordinator runs it. */
  async #awaitSync(level: number): Promise<BatchLevelRecord> {
    for (;;) {
      const record = await this.#level(level);
      // The groups this runner holds start the moment the coordinator records their deletion — in the take-over's
      // priority lane like the coordinator's own, and before #finish (whose claim window would queue them).
      if (!this.#stopping) this.#startHeld(level, record);
      if (rank(record.phase) >= rank('finishing') || this.#stopping) return record;
      if (await this.#state.claimLevelSync(this.#batchId, level, this.#deps.runnerId, this.#syncLeaseMs)) {
        return this.#coordinateSync(level, record);
      }
      await this.#clock.sleep(
        record.phase === 'syncing' && this.#held.size > 0 ? this.#handOffPollMs : this.#waitMs,
      );
    }
  }

  /**
   * The level's one sync: trigger it (unless an earlier coordinator already did — the record says so), then watch,
   * with a deadline, until Exchange Online no longer knows any of the level's synced groups, starting each group the
   * moment its own deletion is seen.
   */
  async #coordinateSync(level: number, record: BatchLevelRecord): Promise<BatchLevelRecord> {
    const parked = await this.#state.listMigrations({
      batchId: this.#batchId,
      batchLevel: level,
      status: 'parked',
    });
    const data = { ...record.data };
    await this.#setPhase(level, 'syncing');
    if (parked.length > 0 && typeof data['syncTriggeredAt'] !== 'string') {
      await this.#deps.sync.trigger();
      data['syncTriggeredAt'] = new Date(this.#clock.now()).toISOString();
      await this.#state.updateBatchLevel(this.#batchId, level, { data });
      this.#emit({ type: 'sync-triggered', batchId: this.#batchId, level, groups: parked.length });
    }
    const syncedIds = new Map<string, string>(); // migration id → synced cloud object id
    for (const m of parked) {
      const synced = (await loadSnapshotPart(this.#state, m.id, 'cloud')).group;
      if (synced !== null) syncedIds.set(m.id, cloudIdentity(synced));
    }
    const byId = new Map(parked.map((m) => [m.id, m]));
    const seen = deletionsIn(data); // an earlier coordinator's observations
    for (const [id, observation] of Object.entries(seen)) {
      const migration = byId.get(id);
      if (migration !== undefined) this.#start(migration, level, observation);
    }
    const pending = new Set([...syncedIds.keys()].filter((id) => seen[id] === undefined));
    const deadline = this.#deletionDeadlineOf(data) ?? this.#clock.now() + this.#deletionWindowMs();
    const polls = await this.#watchDeletions(level, syncedIds, pending, deadline, async (gone) => {
      // One write per poll, however many groups it saw go (a wave of hundreds must not wait on hundreds of writes).
      // The groups start while it is being written, not after: it tells the runners holding groups of the level, but
      // this runner's own groups need nothing from it (each journals its own observation at await-deletion), and a
      // store write under load took 0.27 s (p50, 200 groups), all of it added to every group's outage. Should this
      // runner die before the write lands, the next coordinator's watch hands the gone groups out at its first poll
      // (exo GroupDeletionWatch: deleted before the watch started), and a group already started is not started twice
      // (#start claims it first).
      for (const [id, observation] of gone) seen[id] = observation;
      data['deletionsSeen'] = toJsonObject(seen);
      const written = this.#state.updateBatchLevel(this.#batchId, level, { data });
      written.catch(() => {}); // awaited below, so a store failure still ends the watch; not unhandled meanwhile
      for (const [id, observation] of gone) {
        const migration = byId.get(id)!;
        this.#emit({
          type: 'deletion-seen',
          batchId: this.#batchId,
          level,
          migrationId: id,
          address: migration.group.address,
          ...observation,
        });
        this.#start(migration, level, observation);
      }
      await written;
    });
    const deleted = Object.keys(seen);
    // Stopped while watching: what was seen is stored; the coordination is given up so that the next coordinator
    // (batch --resume, another runner) watches on at once instead of after the lease.
    if (this.#stopping) {
      await this.#state.releaseLevelSync(this.#batchId, level, this.#deps.runnerId);
      return this.#level(level);
    }
    this.#emit({
      type: 'deletions',
      batchId: this.#batchId,
      level,
      deleted: deleted.length,
      pending: pending.size,
      polls,
    });
    const updated = await this.#state.updateBatchLevel(this.#batchId, level, {
      phase: 'finishing',
      data: { ...data, deleted, notDeleted: [...pending] },
    });
    // Done with it: whichever runner coordinates the level's final sync claims it at once, not after this lease.
    await this.#state.releaseLevelSync(this.#batchId, level, this.#deps.runnerId);
    this.#emit({ type: 'level', batchId: this.#batchId, level, phase: 'finishing', groups: parked.length });
    return updated;
  }

  /**
   * Polls at a steady cadence until every pending group is gone or the deletion deadline passes: per poll one Graph
   * delta call for the whole wave, then one Exchange Online query for the groups Graph no longer has (Exchange frees
   * the addresses last). Calls `onGone` after each poll with the groups both agree are gone; returns the number of
   * polls. The deadline counts from the level's sync trigger, so a coordinator taking over a dead one's watch does not
   * start the wait over.
   */
  async #watchDeletions(
    level: number,
    syncedIds: ReadonlyMap<string, string>,
    pending: Set<string>,
    deadline: number,
    onGone: (gone: ReadonlyArray<readonly [string, DeletionObservation]>) => Promise<void>,
  ): Promise<number> {
    if (pending.size === 0) return 0;
    const migrationOf = new Map([...pending].map((id) => [syncedIds.get(id)!.toLowerCase(), id]));
    const lastPresent = new Map<string, string>();
    let watch: GroupDeletionWatch | undefined;
    const graphGone = new Set<string>();
    let polls = 0;
    let renewedAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      const at = new Date(this.#clock.now()).toISOString();
      // Keep the coordination while waiting (a coordinator that died lets another runner take over): renewed at the
      // first poll and then once a third of its lease has passed, alongside the poll rather than before it. The
      // renewal is a store write, queued behind every group's journal writes and then waiting for the WAL's sync: as
      // the first thing of every poll it held the poll back (2.3 s under load), and every group that poll saw gone
      // had its outage counted from before that wait. Awaited below, so a store failure still ends the watch.
      let renewal: Promise<boolean> | undefined;
      if (this.#clock.now() - renewedAt >= this.#syncLeaseMs / 3) {
        renewedAt = this.#clock.now();
        renewal = this.#state.claimLevelSync(this.#batchId, level, this.#deps.runnerId, this.#syncLeaseMs);
        renewal.catch(() => {}); // handled where it is awaited; not unhandled meanwhile
      }
      try {
        // The watch's calls go in the priority lane, like take-over: a group's outage counts from the poll that sees
        // it gone, so a poll queued behind other groups' dispose and rewire calls would lengthen every outage. The groups
        // it saw go are started outside the lane (onGone below): only their take-over belongs in it. One poll serves the
        // whole wave: it goes ahead of the lane's own queue too (a wave's take-over writes), like the convergence read.
        const inExchange = await urgently(
          async () => {
            if (watch === undefined) {
              watch = await this.#deps.graph.watchGroupDeletions(
                [...pending].map((id) => syncedIds.get(id)!),
              );
              // Those Graph still had when the watch started were present then.
              for (const objectId of watch.remaining) {
                const id = migrationOf.get(objectId.toLowerCase());
                if (id !== undefined) lastPresent.set(id, at);
              }
            }
            for (const objectId of (await watch.poll()).deleted) {
              const id = migrationOf.get(objectId.toLowerCase());
              if (id !== undefined) graphGone.add(id);
            }
            return graphGone.size === 0
              ? new Set<string>()
              : await existingRecipientIds(
                  this.#deps.exchange.transport,
                  [...graphGone].map((id) => syncedIds.get(id)!),
                );
          },
          { ahead: true },
        );
        const gone: Array<readonly [string, DeletionObservation]> = [];
        for (const id of [...pending]) {
          if (graphGone.has(id) && !inExchange.has(syncedIds.get(id)!)) {
            pending.delete(id);
            graphGone.delete(id);
            gone.push([id, { lastPresentAt: lastPresent.get(id) ?? null, goneAt: at }]);
          } else {
            lastPresent.set(id, at); // this poll still saw it (in Graph, or in Exchange Online)
          }
        }
        if (gone.length > 0) await onGone(gone);
      } catch (error) {
        // A poll (or the watch's start) the service could not answer — throttled past the retry budget, a dropped
        // connection — saw nothing; the next one asks again, until the deadline.
        if (!isTransient(error)) throw error;
      } finally {
        // Not left running into the next poll: at most one renewal at a time; its failure ends the watch as before.
        await renewal;
      }
      polls++;
      const left = deadline - this.#clock.now();
      if (pending.size === 0 || left <= 0 || this.#stopping) return polls;
      await sleepUnlessStopped(this.#clock, Math.min(this.#deletionPollMs, left), this.#signal);
    }
  }

  /** Runs a group whose deletion was seen right away, outside the claim window (take-over is the priority lane). */
  #start(migration: MigrationRecord, level: number, observation: DeletionObservation): void {
    if (this.#started.has(migration.id) || this.#stopping) return; // a stopped run starts nothing new
    this.#lane.enter(migration.id);
    const task = (async () => {
      const claimed = await this.#state.claimMigration(
        migration.id,
        this.#deps.runnerId,
        this.#deps.leaseMs ?? DEFAULT_LEASE_MS,
      );
      await this.#unhold(migration.id);
      // Another runner has it: the runner that parked it and holds it (it starts it itself when it reads the
      // deletion in the level's record), or one that took it over.
      if (claimed === null) return;
      if (claimed.status !== 'parked' && claimed.status !== 'running') {
        await this.#state.releaseLease(claimed.id, this.#deps.runnerId);
        return;
      }
      await this.#runGroup(claimed, level, { observed: observation });
      this.#finished++;
    })()
      .catch((error: unknown) =>
        this.#emitGroup(
          migration,
          level,
          migration.status,
          [],
          error instanceof Error ? error.message : String(error),
        ),
      )
      .finally(() => {
        this.#lane.leave(migration.id); // not claimed, or its run ended
        this.#started.delete(migration.id);
      });
    this.#started.set(migration.id, task);
  }

  // ── finishing ────────────────────────────────────────────────────────────────────────────────

  async #finish(level: number, record: BatchLevelRecord): Promise<void> {
    const seen = deletionsIn(record.data);
    const deadline = this.#deletionDeadlineOf(record.data);
    this.#attempts.clear();
    const notAtFinalSync = (m: MigrationRecord) => !awaitsLevelFinalSync(m);
    await this.#drain(level, ['parked', 'running'], notAtFinalSync, async (migration) => {
      // A group the level's watch saw deleted needs no sync of its own. One it did not see by the deadline (a
      // straggler) has had its deadline — the level's sync was its sync: its wait makes one last check and then rolls
      // back (or stays parked), instead of triggering a sync of its own and waiting a second full deadline; a
      // rollback's re-creation still gets a real trigger (levelSynced). Without a recorded trigger (the level parked
      // nothing the watch could follow) the group waits on its own.
      await (seen[migration.id] !== undefined
        ? this.#runGroup(migration, level, { observed: seen[migration.id] })
        : this.#runGroup(migration, level, {
            deletionSeen: deadline !== undefined,
            deletionDeadlineAt: deadline,
          }));
    });
  }

  /** How long a level's groups have for their deletion, from the level's sync trigger. */
  #deletionWindowMs(): number {
    return this.#options.deadlines.cloudDeletionMinutes * 60_000;
  }

  /** The level's deletion deadline (its sync trigger + the window), when the trigger was recorded. */
  #deletionDeadlineOf(data: JsonObject): number | undefined {
    const triggered = data['syncTriggeredAt'];
    if (typeof triggered !== 'string' || Number.isNaN(Date.parse(triggered))) return undefined;
    return Date.parse(triggered) + this.#deletionWindowMs();
  }

  // ── final sync ───────────────────────────────────────────────────────────────────────────────

  /**
   * The level's one final sync: once every group of the level has rewired its on-prem dependants (those with synced
   * copies to update wait at final-sync), one elected runner triggers it (unless the level's data says an earlier one
   * did), and every waiting group goes on from final-sync with the trigger's time.
   */
  async #finalSync(level: number): Promise<void> {
    let triggeredAt = finalSyncTriggeredAt((await this.#level(level)).data);
    if (triggeredAt === undefined) {
      const waiting = (
        await this.#state.listMigrations({ batchId: this.#batchId, batchLevel: level, status: 'parked' })
      ).filter(awaitsLevelFinalSync);
      if (waiting.length === 0) return;
      triggeredAt = await this.#triggerFinalSync(level, waiting.length);
      if (triggeredAt === undefined) return; // stopped while waiting for the coordination
    }
    const levelFinalSync = { triggeredAt };
    this.#attempts.clear();
    // Past await-deletion long since: nothing of the level's deletion sync applies any more (deletionSeen false).
    await this.#drain(level, ['parked'], awaitsLevelFinalSync, async (migration) => {
      await this.#runGroup(migration, level, { deletionSeen: false, levelFinalSync });
    });
  }

  /** Triggers the level's final sync once (elected through the state store, like the level's sync); its time. */
  async #triggerFinalSync(level: number, groups: number): Promise<string | undefined> {
    for (;;) {
      if (this.#stopping) return undefined;
      const before = finalSyncTriggeredAt((await this.#level(level)).data);
      if (before !== undefined) return before;
      if (await this.#state.claimLevelSync(this.#batchId, level, this.#deps.runnerId, this.#syncLeaseMs)) {
        try {
          // Read again under the claim: the runner that held it before may have triggered in between.
          const record = await this.#level(level);
          const earlier = finalSyncTriggeredAt(record.data);
          if (earlier !== undefined) return earlier;
          await this.#deps.sync.trigger();
          const at = new Date(this.#clock.now()).toISOString();
          await this.#state.updateBatchLevel(this.#batchId, level, {
            data: { ...record.data, finalSyncTriggeredAt: at },
          });
          this.#emit({ type: 'final-sync-triggered', batchId: this.#batchId, level, groups });
          return at;
        } finally {
          await this.#state.releaseLevelSync(this.#batchId, level, this.#deps.runnerId);
        }
      }
      await this.#clock.sleep(this.#waitMs);
    }
  }

  // ── shared ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Claims and works on every migration of the level in one of `statuses`, up to the concurrency bound, until none is
   * left that anyone is working on. Migrations other runners hold are waited for; expired leases (a dead runner) are
   * taken over. A group this runner already ran `resumeAttempts` times in this phase is left alone.
   */
  async #drain(
    level: number,
    statuses: readonly MigrationStatus[],
    include: (m: MigrationRecord) => boolean,
    work: (m: MigrationRecord) => Promise<void>,
  ): Promise<void> {
    const inFlight = new Map<string, Promise<void>>();
    for (;;) {
      const open = (
        await this.#state.listMigrations({
          batchId: this.#batchId,
          batchLevel: level,
          status: statuses,
        })
      ).filter(include);
      // The database clock, as above (#retryDeferred): a lease of another runner is live until its expiry by it.
      const now = await this.#state.now();
      const heldByOthers = open.filter(
        (m) =>
          m.lease !== null && m.lease.owner !== this.#deps.runnerId && Date.parse(m.lease.expiresAt) >= now,
      );
      const candidates = open.filter(
        (m) =>
          !inFlight.has(m.id) &&
          !this.#started.has(m.id) &&
          !this.#deferred.has(m.id) &&
          !heldByOthers.includes(m) &&
          (this.#attempts.get(m.id) ?? 0) < this.#resumeAttempts,
      );
      const window = this.#stopping ? 0 : Math.min(this.#maxGroups, this.#initialWindow + this.#finished);
      for (const candidate of shuffle(candidates).slice(0, Math.max(0, window - inFlight.size))) {
        // The same lease length the engine renews with while it runs the group.
        const claimed = await this.#state.claimMigration(
          candidate.id,
          this.#deps.runnerId,
          this.#deps.leaseMs ?? DEFAULT_LEASE_MS,
        );
        if (claimed === null || !statuses.includes(claimed.status) || !include(claimed)) {
          if (claimed !== null) await this.#state.releaseLease(claimed.id, this.#deps.runnerId);
          continue;
        }
        this.#attempts.set(claimed.id, (this.#attempts.get(claimed.id) ?? 0) + 1);
        const task = this.#limit(() => work(claimed)).finally(() => {
          inFlight.delete(claimed.id);
          this.#finished++;
        });
        inFlight.set(claimed.id, task);
      }
      const busy = [...inFlight.values(), ...this.#started.values()];
      if (busy.length === 0 && (this.#stopping || (candidates.length === 0 && heldByOthers.length === 0)))
        return;
      if (busy.length > 0) await Promise.race([...busy, this.#clock.sleep(this.#waitMs)]);
      else await this.#clock.sleep(this.#waitMs);
    }
  }

  /** Runs one group's migration (to park, or on from where it is) and reports how it ended as a group event. */
  async #runGroup(migration: MigrationRecord, level: number, run: GroupRun = {}): Promise<void> {
    const { until, deletionSeen = true, observed, deletionDeadlineAt, levelFinalSync = {} } = run;
    await this.#unhold(migration.id);
    // Seen deleted by the level's watch: await-deletion records that and asks nothing (so no trigger to skip either).
    // Otherwise a first trigger the level already ran is skipped, and the wait ends at the level's deadline if given.
    // Past the on-prem rewiring the group waits for the level's final sync (or, given, goes on with it) unless it runs
    // on its own ('own': a group deferred until every level was done).
    const base: EngineDeps = {
      ...this.#deps,
      takeOverLane: this.#lane,
      distributionGroupReads: this.#groupReads,
      gatheredGroupReads: this.#otherGroupReads,
      ...(until === 'park' || levelFinalSync === 'own' ? {} : { levelFinalSync }),
    };
    const deps: EngineDeps =
      until === 'park'
        ? { ...base, levelReads: this.#levelReadsOf(level) }
        : observed !== undefined
          ? { ...base, deletionObserved: observed }
          : until === undefined && deletionSeen && (await this.#awaitsDeletion(migration.id))
            ? {
                ...base,
                sync: levelSynced(this.#deps.sync),
                ...(deletionDeadlineAt === undefined ? {} : { deletionDeadlineAt }),
              }
            : base;
    // Its deletion was seen: its take-over is due, and the lane holds the later steps of every group until it ends.
    if (observed !== undefined) this.#lane.enter(migration.id);
    let outcome: MigrationOutcome;
    try {
      outcome = await runMigration(deps, migration.id, {
        ...(until === undefined ? {} : { until, keepLease: true }),
        ...(this.#signal === undefined ? {} : { signal: this.#signal }),
        onEvent: (event) => {
          // Its take-over ended (a later step of its own leaves the lane in the saga: TakeOverLane.afterTakeOver).
          if (event.step === 'take-over' && event.event !== 'started') this.#lane.leave(migration.id);
          this.#emit({ type: 'step', batchId: this.#batchId, level, ...event });
        },
      });
    } catch (error) {
      // The engine could not even start (lease taken over, store unreachable): the group stays open and claimable.
      if (until === 'park') await this.#hold(migration);
      this.#emitGroup(
        migration,
        level,
        migration.status,
        [],
        error instanceof Error ? error.message : String(error),
      );
      return;
    } finally {
      this.#lane.leave(migration.id); // whatever became of its take-over, the run is over
    }
    // Held (or let go) before the group is reported parked: whoever acts on that report finds the lease settled.
    if (until === 'park') await this.#hold(migration);
    const findings = await this.#state.listFindings(migration.id);
    this.#emitGroup(migration, level, outcome.status, codesOf(findings), outcome.error);
  }

  /** The level's shared reads: each one read on first use; a failed read is not kept (the next group reads again). */
  #levelReadsOf(level: number): LevelReads {
    const existing = this.#levelReads.get(level);
    if (existing !== undefined) return existing;
    const exchange = this.#deps.exchange;
    const reads: LevelReads = {
      cloudDependants: once(() => exchange.readCloudDependantsIndex()),
      tenant: once(() => readTenant(exchange)),
    };
    this.#levelReads.set(level, reads);
    return reads;
  }

  /** Will this run start with await-deletion (not yet run, or cut off while running) rather than resume an undo? */
  async #awaitsDeletion(migrationId: string): Promise<boolean> {
    const entries = await this.#state.listJournal(migrationId);
    const last = entries.findLast((e) => e.step === 'await-deletion');
    return last === undefined || last.event === 'started';
  }

  #emitGroup(
    migration: MigrationRecord,
    level: number,
    status: MigrationStatus,
    codes: readonly string[],
    error?: string,
  ): void {
    this.#emit({
      type: 'group',
      batchId: this.#batchId,
      level,
      migrationId: migration.id,
      address: migration.group.address,
      status,
      codes,
      ...(error === undefined ? {} : { error }),
    });
  }

  /** The level's record: its row alone (a runner holding parked groups reads it every handOffPollMs). */
  async #level(level: number): Promise<BatchLevelRecord> {
    const record = await this.#state.getBatchLevel(this.#batchId, level);
    if (record === null)
      throw new CoreError('CORE_BATCH_NOT_PLANNED', `batch ${this.#batchId} has no level ${level}`);
    return record;
  }

  async #setPhase(level: number, phase: LevelPhase): Promise<void> {
    const current = await this.#level(level);
    if (current.phase === phase || rank(current.phase) > rank(phase)) return; // phases only move forward
    await this.#state.updateBatchLevel(this.#batchId, level, { phase });
    const groups = (await this.#state.listMigrations({ batchId: this.#batchId, batchLevel: level })).length;
    this.#emit({ type: 'level', batchId: this.#batchId, level, phase, groups } satisfies BatchEvent);
  }

  async #conclude(): Promise<BatchOutcome> {
    // A group retried by `batch --resume` (retry.ts) is decided by its newest migration; the earlier ones are history.
    const records = newestPerGroup(await this.#state.listMigrations({ batchId: this.#batchId }));
    const groups: BatchGroupResult[] = [];
    for (const r of records) {
      const findings = await this.#state.listFindings(r.id);
      groups.push({
        migrationId: r.id,
        address: r.group.address,
        level: r.batchLevel ?? 0,
        status: r.status,
        codes: codesOf(findings),
      });
    }
    const allFinal = records.every((r) => isFinalStatus(r.status));
    const status: BatchStatus = !allFinal
      ? 'running'
      : records.every((r) => isSucceededStatus(r.status))
        ? 'completed'
        : 'completed_with_failures';
    if (status !== 'running') await this.#state.setBatchStatus(this.#batchId, status);
    const stopped = this.#stopping ? String(this.#signal!.reason ?? 'abort') : undefined;
    return { batchId: this.#batchId, status, groups, ...(stopped === undefined ? {} : { stopped }) };
  }
}

/**
 * The level's coordinator already ran the sync a group's await-deletion would trigger: skip exactly that first trigger
 * (the wait itself still polls). Any later one — an undo that moved the group back and needs it re-created — is real.
 */
function levelSynced(sync: SyncTrigger): SyncTrigger {
  let skipped = false;
  return {
    kind: sync.kind,
    trigger: async () => {
      if (skipped) return sync.trigger();
      skipped = true;
    },
  };
}

/** `read` done once and shared; a failure is forgotten, so the next caller reads again. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (value === undefined) {
      const reading = read();
      value = reading;
      reading.catch(() => {
        if (value === reading) value = undefined;
      });
    }
    return value;
  };
}

/** The deletions a level's watch saw, by migration id (stored in the level's data so another runner can go on). */
function deletionsIn(data: JsonObject): Record<string, DeletionObservation> {
  const raw = data['deletionsSeen'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, DeletionObservation> = {};
  for (const [id, value] of Object.entries(raw)) {
    const v = value as { lastPresentAt?: unknown; goneAt?: unknown } | null;
    if (typeof v?.goneAt !== 'string') continue;
    out[id] = {
      goneAt: v.goneAt,
      lastPresentAt: typeof v.lastPresentAt === 'string' ? v.lastPresentAt : null,
    };
  }
  return out;
}

/** How #runGroup runs one group. */
interface GroupRun {
  /** 'park': stage and park only (the level's first phase); otherwise on from where the group is. */
  readonly until?: 'park' | undefined;
  /**
   * The level's sync already ran for this group (default): a first trigger of its await-deletion is skipped. False when
   * nothing of the level's deletion sync applies (a deferred group, the level's final sync).
   */
  readonly deletionSeen?: boolean | undefined;
  /** The level's watch saw the group deleted: await-deletion records that and asks nothing. */
  readonly observed?: DeletionObservation | undefined;
  /** When the group's wait for its deletion ends (the level's deadline), when the level recorded its trigger. */
  readonly deletionDeadlineAt?: number | undefined;
  /** The level's final sync, to wait for or go on with; 'own': the group runs its final sync itself. */
  readonly levelFinalSync?: EngineDeps['levelFinalSync'] | 'own' | undefined;
}

/** Codes of what needs attention (blocking and needs-action findings), each once. */
const codesOf = (findings: readonly FindingRecord[]) => [
  ...new Set(findings.filter((e) => e.severity !== 'info').map((e) => e.code)),
];

const PHASES: readonly LevelPhase[] = ['pending', 'preparing', 'syncing', 'finishing', 'final-sync', 'done'];
const rank = (phase: string) => PHASES.indexOf(phase as LevelPhase);

const everyGroup = () => true;

/** A group stopped at final-sync until its level's final sync is triggered (steps/final-sync.ts suspends it). */
function awaitsLevelFinalSync(m: MigrationRecord): boolean {
  return m.status === 'parked' && m.currentStep === 'final-sync';
}

/** When the level's final sync was triggered (stored in the level's data so another runner goes on with it). */
function finalSyncTriggeredAt(data: JsonObject): string | undefined {
  const at = data['finalSyncTriggeredAt'];
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : undefined;
}

/** Runners that list the same candidates try them in different orders, so they rarely race for the same lease. */
function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
