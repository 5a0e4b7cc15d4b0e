// What the project dashboard is built from: every batch and every migration of a state store with its journal, its
// findings and its stored report, read through the StateStore interface (so SQLite and PostgreSQL give the same
// records). buildProject (project.ts) turns them into the page's model without touching the store again.
import type {
  BatchRecord,
  FindingRecord,
  JournalEntry,
  JsonObject,
  MigrationRecord,
  StateStore,
} from '@dlmigrate/state';
import pLimit from 'p-limit';

export interface ProjectMigrationRecords {
  readonly migration: MigrationRecord;
  /** In journal order (seq). */
  readonly journal: readonly JournalEntry[];
  readonly findings: readonly FindingRecord[];
  /** The stored report (null before the report step ran). */
  readonly report: JsonObject | null;
}

export interface ProjectRecords {
  readonly batches: readonly BatchRecord[];
  readonly migrations: readonly ProjectMigrationRecords[];
}

/**
 * How many migrations are read at once: three queries each, so a PostgreSQL pool (4 connections by default) always has
 * work queued instead of waiting on one round trip after another; SQLite answers synchronously either way.
 */
const READ_CONCURRENCY = 8;

/** Reads every batch and migration of the store (migrations in the store's order: by id). */
export async function loadProjectRecords(store: StateStore): Promise<ProjectRecords> {
  const batches = await store.listBatches();
  const limit = pLimit(READ_CONCURRENCY);
  const migrations = await Promise.all(
    (await store.listMigrations()).map((migration) =>
      limit(async (): Promise<ProjectMigrationRecords> => {
        const [journal, findings, report] = await Promise.all([
          store.listJournal(migration.id),
          store.listFindings(migration.id),
          store.getReport(migration.id),
        ]);
        return { migration, journal, findings, report: report?.report ?? null };
      }),
    ),
  );
  return { batches, migrations };
}
