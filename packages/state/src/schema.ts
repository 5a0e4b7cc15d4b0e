// Schema versioning: an ordered list of forward migrations. Each store records what it applied in
// schema_version; opening a store applies the missing ones in one transaction (under a lock, so
// several runners opening one PostgreSQL database at once apply each migration exactly once).
// The DDL below is the one text both engines run: TEXT, INTEGER and BIGINT mean the same to both,
// JSON is kept as TEXT and times as epoch milliseconds.
import type { Driver, SqlExecutor } from './driver.js';
import { InvalidInputError, SchemaTooNewError } from './errors.js';
import { recordAddressUpdatesAsTheirOwnKind } from './address-update-kind.js';
import { setAsideOlderOpenMigrations } from './one-open-per-group.js';
import type { Engine } from './types.js';

export interface SchemaMigration {
  version: number;
  name: string;
  /** The DDL: one text both engines run, or each engine's own where they differ (a CHECK constraint changed). */
  statements: readonly string[] | Readonly<Record<Engine, readonly string[]>>;
  /** Runs in the same transaction before the statements: data the statements could not take as it is made to fit. */
  prepare?: (tx: SqlExecutor) => Promise<unknown>;
  /** Runs in the same transaction after the statements: rows rewritten to what the new schema means. */
  finish?: (tx: SqlExecutor) => Promise<unknown>;
}

function statementsFor(migration: SchemaMigration, engine: Engine): readonly string[] {
  const { statements } = migration;
  return 'sqlite' in statements && 'postgres' in statements
    ? statements[engine]
    : (statements as readonly string[]);
}

const STATUS_CHECK_V1 =
  "status IN ('planned','running','parked','completed','completed_with_warnings','failed','rolled_back','blocked')";
const STATUS_CHECK_V3 =
  "status IN ('planned','running','parked','completed','completed_with_warnings','failed','rolled_back','blocked','undo_failed')";

/**
 * The statuses in which a migration holds its group (it has changed, or may still change, the directory or the
 * tenant): at most one migration per group may be in one of them, enforced by the unique index below, so two runs
 * started at once, in two processes or on two runners, cannot both be admitted. Kept in step with
 * GROUP_HOLDING_STATUSES in types.ts.
 */
const GROUP_HOLDING = "status IN ('running','parked','undo_failed')";
export const ONE_OPEN_PER_GROUP_INDEX = 'migrations_one_open_per_group';

const STRATEGY_CHECK_V1 = "strategy IN ('recreate','convert')";
const STRATEGY_CHECK_V5 = "strategy IN ('recreate','convert','address-update')";

const MIGRATION_COLUMNS =
  'id, group_address, group_object_guid, strategy, options, status, current_step, lease_owner, lease_expires_at, batch_id, batch_level, created_at, updated_at';

const JOURNAL_EVENTS_V2 =
  "'started','completed','undone','failed','skipped','suspended','undo-started','undo-failed'";

function migrationsTable(name: string, statusCheck: string, strategyCheck = STRATEGY_CHECK_V1): string {
  return `CREATE TABLE ${name} (
        id TEXT PRIMARY KEY,
        group_address TEXT NOT NULL,
        group_object_guid TEXT,
        strategy TEXT NOT NULL CHECK (${strategyCheck}),
        options TEXT NOT NULL,
        status TEXT NOT NULL CHECK (${statusCheck}),
        current_step TEXT,
        lease_owner TEXT,
        lease_expires_at BIGINT,
        batch_id TEXT,
        batch_level INTEGER,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`;
}

function backupsTable(name: string, parent: string): string {
  return `CREATE TABLE ${name} (
        migration_id TEXT NOT NULL REFERENCES ${parent} (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (migration_id, kind)
      )`;
}

/** The findings table as versions 1–5 named it (`errors`, its subject column `target`); version 6 renames both. */
function errorsTable(name: string, parent: string): string {
  return `CREATE TABLE ${name} (
        migration_id TEXT NOT NULL REFERENCES ${parent} (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        code TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('blocking','needs-action','info')),
        attribute TEXT,
        target TEXT,
        message TEXT NOT NULL,
        step TEXT,
        at BIGINT NOT NULL,
        PRIMARY KEY (migration_id, seq)
      )`;
}

function reportsTable(name: string, parent: string): string {
  return `CREATE TABLE ${name} (
        migration_id TEXT PRIMARY KEY REFERENCES ${parent} (id) ON DELETE CASCADE,
        report TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`;
}

function journalTable(name: string, events: string, parent = 'migrations'): string {
  return `CREATE TABLE ${name} (
    migration_id TEXT NOT NULL REFERENCES ${parent} (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    step TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN (${events})),
    data TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (migration_id, seq)
  )`;
}

/**
 * Rebuilds migrations with new CHECKs and every table that points at it (their rows copied, the children dropped
 * before the parent so the drop cascades into nothing), then renames them back and recreates the indexes. Written for
 * version 5, with the table names of then (`errors`, renamed `findings` by version 6).
 */
function rebuildMigrations(suffix: string, statusCheck: string, strategyCheck: string): string[] {
  const copy = (table: string, columns: string): string =>
    `INSERT INTO ${table}_${suffix} (${columns}) SELECT ${columns} FROM ${table}`;
  const parent = `migrations_${suffix}`;
  return [
    migrationsTable(parent, statusCheck, strategyCheck),
    copy('migrations', MIGRATION_COLUMNS),
    journalTable(`journal_${suffix}`, JOURNAL_EVENTS_V2, parent),
    copy('journal', 'migration_id, seq, step, event, data, at'),
    backupsTable(`backups_${suffix}`, parent),
    copy('backups', 'migration_id, kind, data, created_at'),
    errorsTable(`errors_${suffix}`, parent),
    copy('errors', 'migration_id, seq, code, severity, attribute, target, message, step, at'),
    reportsTable(`reports_${suffix}`, parent),
    copy('reports', 'migration_id, report, updated_at'),
    ...['journal', 'backups', 'errors', 'reports', 'migrations'].map((table) => `DROP TABLE ${table}`),
    ...['migrations', 'journal', 'backups', 'errors', 'reports'].map(
      (table) => `ALTER TABLE ${table}_${suffix} RENAME TO ${table}`,
    ),
    'CREATE INDEX migrations_by_batch ON migrations (batch_id, batch_level, id)',
    'CREATE INDEX migrations_by_address ON migrations (lower(group_address))',
    `CREATE UNIQUE INDEX ${ONE_OPEN_PER_GROUP_INDEX} ON migrations (lower(group_address)) WHERE ${GROUP_HOLDING}`,
  ];
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
      migrationsTable('migrations', STATUS_CHECK_V1),
      'CREATE INDEX migrations_by_batch ON migrations (batch_id, batch_level, id)',
      'CREATE INDEX migrations_by_address ON migrations (lower(group_address))',
      journalTable('journal', "'started','completed','undone','failed'"),
      backupsTable('backups', 'migrations'),
      errorsTable('errors', 'migrations'),
      reportsTable('reports', 'migrations'),
    ],
  },
  {
    version: 2,
    name: 'journal events skipped, suspended, undo-started, undo-failed',
    // SQLite cannot change a CHECK constraint in place, so the table is rebuilt, the same way on both engines.
    statements: [
      journalTable('journal_v2', JOURNAL_EVENTS_V2),
      'INSERT INTO journal_v2 (migration_id, seq, step, event, data, at) SELECT migration_id, seq, step, event, data, at FROM journal',
      'DROP TABLE journal',
      'ALTER TABLE journal_v2 RENAME TO journal',
    ],
  },
  {
    version: 3,
    name: 'status undo_failed; one open migration per group',
    // The status CHECK changes, so migrations is rebuilt; its child tables are rebuilt with it (pointing at the new
    // table) and dropped before it, so dropping the old table cascades into nothing. A store holding two open
    // migrations of one group (written before the index) has the older ones set aside first (one-open-per-group.ts).
    prepare: setAsideOlderOpenMigrations,
    statements: [
      migrationsTable('migrations_v3', STATUS_CHECK_V3),
      `INSERT INTO migrations_v3 SELECT ${MIGRATION_COLUMNS} FROM migrations`,
      journalTable('journal_v3', JOURNAL_EVENTS_V2, 'migrations_v3'),
      'INSERT INTO journal_v3 (migration_id, seq, step, event, data, at) SELECT migration_id, seq, step, event, data, at FROM journal',
      backupsTable('backups_v3', 'migrations_v3'),
      'INSERT INTO backups_v3 (migration_id, kind, data, created_at) SELECT migration_id, kind, data, created_at FROM backups',
      errorsTable('errors_v3', 'migrations_v3'),
      'INSERT INTO errors_v3 (migration_id, seq, code, severity, attribute, target, message, step, at) SELECT migration_id, seq, code, severity, attribute, target, message, step, at FROM errors',
      reportsTable('reports_v3', 'migrations_v3'),
      'INSERT INTO reports_v3 (migration_id, report, updated_at) SELECT migration_id, report, updated_at FROM reports',
      'DROP TABLE journal',
      'DROP TABLE backups',
      'DROP TABLE errors',
      'DROP TABLE reports',
      'DROP TABLE migrations',
      'ALTER TABLE migrations_v3 RENAME TO migrations',
      'ALTER TABLE journal_v3 RENAME TO journal',
      'ALTER TABLE backups_v3 RENAME TO backups',
      'ALTER TABLE errors_v3 RENAME TO errors',
      'ALTER TABLE reports_v3 RENAME TO reports',
      'CREATE INDEX migrations_by_batch ON migrations (batch_id, batch_level, id)',
      'CREATE INDEX migrations_by_address ON migrations (lower(group_address))',
      `CREATE UNIQUE INDEX ${ONE_OPEN_PER_GROUP_INDEX} ON migrations (lower(group_address)) WHERE ${GROUP_HOLDING}`,
    ],
  },
  {
    version: 4,
    name: 'permission collection (mailboxes scanned, rights held on them)',
    // `dlmigrate collect permissions`: one row per mailbox of the scope (scanned_at NULL = still to scan, so an
    // interrupted collection resumes), one row per right a trustee holds on it. trustee_key and trustee_sid_key are
    // lower-cased for the lookup by group a migration makes.
    statements: [
      `CREATE TABLE permission_mailboxes (
        mailbox TEXT PRIMARY KEY,
        scanned_at BIGINT
      )`,
      `CREATE TABLE permissions (
        mailbox TEXT NOT NULL REFERENCES permission_mailboxes (mailbox) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('FullAccess','SendAs','SendOnBehalf','Folder')),
        folder TEXT NOT NULL,
        trustee TEXT NOT NULL,
        trustee_key TEXT NOT NULL,
        trustee_sid_key TEXT NOT NULL,
        access_rights TEXT NOT NULL,
        collected_at BIGINT NOT NULL,
        PRIMARY KEY (mailbox, kind, folder, trustee_key)
      )`,
      'CREATE INDEX permissions_by_trustee ON permissions (trustee_key)',
      'CREATE INDEX permissions_by_trustee_sid ON permissions (trustee_sid_key)',
    ],
  },
  {
    version: 5,
    name: 'address updates are records of their own kind (strategy address-update)',
    // The strategy CHECK admits the new kind. SQLite cannot change a CHECK in place: migrations is rebuilt with the
    // tables that point at it, as in version 3. PostgreSQL alters the constraint, which carries the name of the table
    // version 3 created (a column CHECK is named <table>_<column>_check). Then the address updates written before,
    // 'recreate' records flagged in their options, are rewritten as what they are (address-update-kind.ts).
    statements: {
      sqlite: rebuildMigrations('v5', STATUS_CHECK_V3, STRATEGY_CHECK_V5),
      postgres: [
        'ALTER TABLE migrations DROP CONSTRAINT migrations_v3_strategy_check',
        `ALTER TABLE migrations ADD CONSTRAINT migrations_strategy_check CHECK (${STRATEGY_CHECK_V5})`,
      ],
    },
    finish: recordAddressUpdatesAsTheirOwnKind,
  },
  {
    version: 6,
    name: 'findings: the errors table is findings, its target column subject',
    // One vocabulary (issue 18): what the table holds are findings, and what a finding is about its subject. Both
    // engines rename a table and a column in place (rows, keys and the cascade untouched). PostgreSQL also renames the
    // table's constraints, which still carry the name version 3 gave the table (errors_v3_*), so that a later
    // migration can name them as findings_<column>_check and so on; SQLite's constraints have no names.
    statements: {
      sqlite: [
        'ALTER TABLE errors RENAME TO findings',
        'ALTER TABLE findings RENAME COLUMN target TO subject',
      ],
      postgres: [
        'ALTER TABLE errors RENAME TO findings',
        'ALTER TABLE findings RENAME COLUMN target TO subject',
        'ALTER TABLE findings RENAME CONSTRAINT errors_v3_pkey TO findings_pkey',
        'ALTER TABLE findings RENAME CONSTRAINT errors_v3_migration_id_fkey TO findings_migration_id_fkey',
        'ALTER TABLE findings RENAME CONSTRAINT errors_v3_severity_check TO findings_severity_check',
      ],
    },
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
      await migration.prepare?.(tx);
      for (const statement of statementsFor(migration, driver.dialect.engine)) await tx.run(statement);
      await migration.finish?.(tx);
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
