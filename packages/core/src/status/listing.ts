// What `dlmigrate status` shows, read from the state store: every migration (or a batch's), one migration with its
// journal and findings, a batch level by level. The command line renders these rows (text, JSON, CSV) and reads the
// store no further (issue #18: a thin CLI).
import type {
  BatchStatus,
  FindingRecord,
  JournalEntry,
  MigrationRecord,
  MigrationStatus,
  StateStore,
} from '@dlmigrate/state';

/** How a line about a migration is marked on a terminal (the CLI's Output.status marks). */
export type MigrationStatusMark = 'ok' | 'warn' | 'fail' | 'info';

/**
 * The mark of a migration's status, the same in `status`, a batch's progress lines and `report` (issue #18: they had
 * two mappings that disagreed on rolled_back and undo_failed). Read by an Exchange administrator going down a list of
 * groups, the mark answers "do I have to act on this one?":
 * - completed: ok. completed_with_warnings: warn — the group is migrated and works; its findings need a look.
 * - failed, blocked, rolled_back, undo_failed: fail — the group is not migrated. A rollback leaves the on-prem group
 *   as it was, so nothing is broken, but the migration did not happen and has to be run again once its cause is
 *   fixed; marked warn it read like "migrated, with warnings". These are the final statuses that are not a success
 *   (packages/state/src/types.ts FINAL_STATUSES, SUCCEEDED_STATUSES).
 * - planned, running, parked: info — still open; a runner works on it.
 * A table, not a chain of ifs, so a status added to MIGRATION_STATUSES does not compile until it has a mark.
 */
const MARK_OF: Readonly<Record<MigrationStatus, MigrationStatusMark>> = {
  completed: 'ok',
  completed_with_warnings: 'warn',
  failed: 'fail',
  blocked: 'fail',
  rolled_back: 'fail',
  undo_failed: 'fail',
  planned: 'info',
  running: 'info',
  parked: 'info',
};

export function migrationStatusMark(status: MigrationStatus): MigrationStatusMark {
  return MARK_OF[status];
}

/** Every migration of the store, or of one batch (in the store's order: by id); null when there is no such batch. */
export async function listMigrationStatus(
  store: StateStore,
  batchId?: string,
): Promise<MigrationRecord[] | null> {
  if (batchId === undefined) return store.listMigrations();
  if ((await store.getBatch(batchId)) === null) return null;
  return store.listMigrations({ batchId });
}

/** One migration step by step. */
export interface MigrationStatusDetail {
  readonly migration: MigrationRecord;
  /** In journal order. */
  readonly journal: readonly JournalEntry[];
  readonly findings: readonly FindingRecord[];
}

/** One migration with its journal and findings; null when the store has no migration of that id. */
export async function migrationStatus(store: StateStore, id: string): Promise<MigrationStatusDetail | null> {
  const migration = await store.getMigration(id);
  if (migration === null) return null;
  const [journal, findings] = await Promise.all([store.listJournal(id), store.listFindings(id)]);
  return { migration, journal, findings };
}

/** A group of a batch level, as status lists it. */
export interface BatchStatusGroup {
  readonly migrationId: string;
  readonly address: string;
  readonly status: MigrationStatus;
  readonly currentStep: string | null;
}

export interface BatchStatusLevel {
  readonly level: number;
  readonly phase: string;
  readonly total: number;
  /** Only the statuses some group of the level has. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly groups: readonly BatchStatusGroup[];
}

export interface BatchStatusView {
  readonly batchId: string;
  readonly status: BatchStatus;
  /** Groups of every level. */
  readonly groupCount: number;
  readonly levels: readonly BatchStatusLevel[];
}

/** A batch level by level: each level's phase and counts, and its groups with their status; null when there is none. */
export async function batchStatus(store: StateStore, batchId: string): Promise<BatchStatusView | null> {
  if ((await store.getBatch(batchId)) === null) return null;
  const [progress, migrations] = await Promise.all([
    store.batchProgress(batchId),
    store.listMigrations({ batchId }),
  ]);
  return {
    batchId,
    status: progress.status,
    groupCount: migrations.length,
    levels: progress.levels.map((level) => ({
      level: level.level,
      phase: level.phase,
      total: level.total,
      byStatus: Object.fromEntries(Object.entries(level.byStatus).filter(([, n]) => n > 0)),
      groups: migrations
        .filter((m) => m.batchLevel === level.level)
        .map((m) => ({
          migrationId: m.id,
          address: m.group.address,
          status: m.status,
          currentStep: m.currentStep,
        })),
    })),
  };
}
