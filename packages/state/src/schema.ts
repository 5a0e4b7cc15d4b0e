// Schema versioning: an ordered list of forward migrations. Each store records what it applied in
// schema_version; opening a store applies the missing ones in one transaction (under a lock, so
// several runners opening one PostgreSQL database at once apply each migration exactly once).
// The DDL below is the one text both engines run: TEXT, INTEGER and BIGINT mean the same to both,
// JSON is kept as TEXT and times as epoch milliseconds.
import type { Driver } from './driver.js';
import { InvalidInputError, SchemaTooNewError } from './errors.js';

export interface SchemaMigration {
  version: number;
  name: string;
  statements: readonly string[];
}

const STATUS_CHECK =
  "status IN ('planned','running','parked','completed','completed_with_warnings','failed','rolled_back','blocked')";

function journalTable(name: string, events: string): string {
  return `CREATE TABLE ${name} (
    migration_id TEXT NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    step TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN (${events})),
    data TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (migration_id, seq)
  )`;
}

export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'migrations, journal, backups, errors, reports, batches',
    statements: [
      `CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        input TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('planned','running','completed','completed_with_failures','cancelled')),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE batch_levels (
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        level INTEGER NOT NULL,
        phase TEXT NOT NULL,
        sync_owner TEXT,
        sync_expires_at BIGINT,
        data TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (batch_id, level)
      )`,
      // batch_id is deliberately no foreign key: an exported migration can be imported into a
      // store that never saw its batch.
      `CREATE TABLE migrations (
        id TEXT PRIMARY KEY,
        group_address TEXT NOT NULL,
        group_object_guid TEXT,
        strategy TEXT NOT NULL CHECK (strategy IN ('recreate','convert')),
        options TEXT NOT NULL,
        status TEXT NOT NULL CHECK (${STATUS_CHECK}),
        current_step TEXT,
        lease_owner TEXT,
        lease_expires_at BIGINT,
        batch_id TEXT,
        batch_level INTEGER,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      'CREATE INDEX migrations_by_batch ON migrations (batch_id, batch_level, id)',
      'CREATE INDEX migrations_by_address ON migrations (lower(group_address))',
      journalTable('journal', "'started','completed','undone','failed'"),
      `CREATE TABLE backups (
        migration_id TEXT NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (migration_id, kind)
      )`,
      `CREATE TABLE errors (
        migration_id TEXT NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        code TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('blocking','needs-action','info')),
        attribute TEXT,
        target TEXT,
        message TEXT NOT NULL,
        step TEXT,
        at BIGINT NOT NULL,
        PRIMARY KEY (migration_id, seq)
      )`,
      `CREATE TABLE reports (
        migration_id TEXT PRIMARY KEY REFERENCES migrations (id) ON DELETE CASCADE,
        report TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'journal events skipped, suspended, undo-started, undo-failed',
    // SQLite cannot change a CHECK constraint in place, so the table is rebuilt, the same way on both engines.
    statements: [
      journalTable(
        'journal_v2',
        "'started','completed','undone','failed','skipped','suspended','undo-started','undo-failed'",
      ),
      'INSERT INTO journal_v2 (migration_id, seq, step, event, data, at) SELECT migration_id, seq, step, event, data, at FROM journal',
      'DROP TABLE journal',
      'ALTER TABLE journal_v2 RENAME TO journal',
    ],
  },
];

function assertOrdered(migrations: readonly SchemaMigration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new InvalidInputError(
        `schema migrations must be numbered 1, 2, 3 … in order; found version ${migration.version} at position ${index + 1}`,
      );
    }
  });
}

/** Applies the missing migrations; returns the schema version the store has afterwards. */
export async function migrateSchema(
  driver: Driver,
  migrations: readonly SchemaMigration[] = SCHEMA_MIGRATIONS,
): Promise<number> {
  assertOrdered(migrations);
  return driver.transaction(async (tx) => {
    if (driver.dialect.schemaLock) await tx.query(driver.dialect.schemaLock);
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const [row] = await tx.query<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_version',
    );
    const current = row?.version ?? 0;
    if (current > migrations.length) throw new SchemaTooNewError(current, migrations.length);
    for (const migration of migrations.slice(current)) {
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, {now})', [
        migration.version,
        migration.name,
      ]);
    }
    return migrations.length;
  });
}

export interface AppliedSchemaMigration {
  version: number;
  name: string;
  appliedAt: string;
}

export async function listAppliedSchemaMigrations(driver: Driver): Promise<AppliedSchemaMigration[]> {
  const rows = await driver.query<{ version: number; name: string; applied_at: number }>(
    'SELECT version, name, applied_at FROM schema_version ORDER BY version',
  );
  return rows.map((row) => ({
    version: Number(row.version),
    name: row.name,
    appliedAt: new Date(Number(row.applied_at)).toISOString(),
  }));
}
