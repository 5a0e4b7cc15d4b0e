// The one query layer: every StateStore operation written once against the Driver, for both engines.
import type { Driver, SqlExecutor, SqlValue } from './driver.js';
import {
  AlreadyExistsError,
  BackupExistsError,
  GroupHasOpenMigrationError,
  InvalidInputError,
  LeaseLostError,
  NotFoundError,
} from './errors.js';
import { assertValidId, newId } from './ids.js';
import {
  epochMs,
  toBackup,
  toBatchLevel,
  toError,
  toJournalEntry,
  toMigration,
  toReport,
  iso,
  type BackupRow,
  type BatchLevelRow,
  type BatchRow,
  type ErrorRow,
  type JournalRow,
  type MigrationRow,
  type ReportRow,
  type PermissionRow,
  toPermission,
} from './rows.js';
import { assertNoSecrets } from './secrets.js';
import { listAppliedSchemaMigrations, ONE_OPEN_PER_GROUP_INDEX } from './schema.js';
import {
  GROUP_HOLDING_STATUSES,
  MIGRATION_STATUSES,
  OPEN_STATUSES,
  type BackupRecord,
  type BatchLevelPatch,
  type BatchLevelRecord,
  type BatchProgress,
  type BatchRecord,
  type BatchStatus,
  type ClaimOptions,
  type ErrorRecord,
  type Fence,
  type JournalEntry,
  type JsonObject,
  type JsonValue,
  type MigrationBundle,
  type PermissionCollectionInfo,
  type PermissionEntry,
  type PermissionRecord,
  type MigrationError,
  type MigrationFilter,
  type MigrationPatch,
  type MigrationRecord,
  type MigrationStatus,
  type NewBatch,
  type NewJournalEntry,
  type NewMigration,
  type ReportRecord,
  type StateStore,
} from './types.js';
import {
  batchStatusOf,
  checkBackupKind,
  checkError,
  checkJournalEntry,
  checkLeaseMs,
  checkLevel,
  checkNewMigration,
  migrationStatus,
} from './validate.js';

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** JSON with object keys sorted, so equal data compares equal whatever order it was built in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

const INSERT_MIGRATION = `INSERT INTO migrations
  (id, group_address, group_object_guid, strategy, options, status, current_step, lease_owner, lease_expires_at,
   batch_id, batch_level, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, COALESCE(?, {now}), COALESCE(?, {now}))
  ON CONFLICT (id) DO NOTHING RETURNING *`;

/** A write refused by the one-open-migration-per-group index (SQLite names the index in its message, PostgreSQL in `constraint`). */
function violatesOneOpenPerGroup(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e?.code === '23505') return e.constraint === ONE_OPEN_PER_GROUP_INDEX;
  return (
    typeof e?.code === 'string' &&
    e.code.startsWith('SQLITE_CONSTRAINT') &&
    typeof e.message === 'string' &&
    e.message.includes(ONE_OPEN_PER_GROUP_INDEX)
  );
}

export class SqlStateStore implements StateStore {
  constructor(private readonly driver: Driver) {}

  get engine() {
    return this.driver.dialect.engine;
  }

  async schemaVersion(): Promise<number> {
    const applied = await listAppliedSchemaMigrations(this.driver);
    return applied.at(-1)?.version ?? 0;
  }

  // ── migrations ────────────────────────────────────────────────────────────────────────────────

  private async insertMigration(
    tx: SqlExecutor,
    input: NewMigration,
    batch: { id: string; level: number } | null,
    kept: { currentStep: string | null; createdAt: number; updatedAt: number } | null = null,
  ): Promise<MigrationRecord> {
    const id = input.id ?? newId();
    const [row] = await tx.query<MigrationRow>(INSERT_MIGRATION, [
      id,
      input.group.address,
      input.group.objectGuid ?? null,
      input.strategy,
      JSON.stringify(input.options ?? {}),
      input.status ?? 'planned',
      kept?.currentStep ?? null,
      batch?.id ?? null,
      batch?.level ?? null,
      kept?.createdAt ?? null,
      kept?.updatedAt ?? null,
    ]);
    if (!row) throw new AlreadyExistsError('migration', id);
    return toMigration(row);
  }

  /**
   * Runs a write that may make migration `id` hold its group; when the unique index refuses it because another
   * migration holds the group, throws GroupHasOpenMigrationError naming that one (read outside the failed
   * transaction, which PostgreSQL has aborted).
   */
  private async holdingGroup<T>(
    address: () => Promise<string | undefined>,
    id: string | undefined,
    write: () => Promise<T>,
  ): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!violatesOneOpenPerGroup(error)) throw error;
      const group = (await address()) ?? '(unknown)';
      const open = await this.openMigrationOf(group, id);
      throw new GroupHasOpenMigrationError(group, open?.id ?? null);
    }
  }

  /** The migration that holds the group at `address`, other than `except`. */
  async openMigrationOf(address: string, except?: string): Promise<MigrationRecord | null> {
    const rows = await this.listMigrations({ group: address, status: GROUP_HOLDING_STATUSES });
    return (
      rows.find((m) => m.id !== except && m.group.address.toLowerCase() === address.toLowerCase()) ?? null
    );
  }

  async createMigration(input: NewMigration): Promise<MigrationRecord> {
    checkNewMigration(input);
    return this.holdingGroup(
      async () => input.group.address,
      input.id,
      () => this.driver.transaction((tx) => this.insertMigration(tx, input, null)),
    );
  }

  async getMigration(id: string): Promise<MigrationRecord | null> {
    const [row] = await this.driver.query<MigrationRow>('SELECT * FROM migrations WHERE id = ?', [id]);
    return row ? toMigration(row) : null;
  }

  async listMigrations(filter: MigrationFilter = {}): Promise<MigrationRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.batchId !== undefined) {
      where.push('batch_id = ?');
      params.push(filter.batchId);
    }
    if (filter.batchLevel !== undefined) {
      where.push('batch_level = ?');
      params.push(filter.batchLevel);
    }
    if (filter.status !== undefined) {
      const statuses = (typeof filter.status === 'string' ? [filter.status] : [...filter.status]).map(
        migrationStatus,
      );
      if (statuses.length === 0) return [];
      where.push(`status IN (${placeholders(statuses.length)})`);
      params.push(...statuses);
    }
    if (filter.group !== undefined) {
      where.push('(lower(group_address) = lower(?) OR lower(group_object_guid) = lower(?))');
      params.push(filter.group, filter.group);
    }
    const sql = `SELECT * FROM migrations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    return (await this.driver.query<MigrationRow>(sql, params)).map(toMigration);
  }

  /** Locks the migration row for the rest of the transaction and checks the caller's lease. */
  private async lockMigration(tx: SqlExecutor, id: string, fence?: Fence): Promise<MigrationRow> {
    const [row] = await tx.query<MigrationRow>('SELECT * FROM migrations WHERE id = ? {forupdate}', [id]);
    if (!row) throw new NotFoundError('migration', id);
    // Ownership, not expiry, is what fences: a takeover changes the owner atomically, and while an
    // expired lease is not taken over nobody else is working on the migration.
    if (fence && row.lease_owner !== fence.runnerId) throw new LeaseLostError(id, fence.runnerId);
    return row;
  }

  async updateMigration(id: string, patch: MigrationPatch, fence?: Fence): Promise<MigrationRecord> {
    if (patch.status !== undefined) migrationStatus(patch.status);
    if (patch.options !== undefined) assertNoSecrets('migration options', patch.options);
    const address = async () => (await this.getMigration(id))?.group.address;
    return this.holdingGroup(address, id, () => this.#update(id, patch, fence));
  }

  #update(id: string, patch: MigrationPatch, fence?: Fence): Promise<MigrationRecord> {
    return this.driver.transaction(async (tx) => {
      const current = await this.lockMigration(tx, id, fence);
      const [row] = await tx.query<MigrationRow>(
        `UPDATE migrations SET status = ?, options = ?, group_object_guid = ?, updated_at = {now}
         WHERE id = ? RETURNING *`,
        [
          patch.status ?? current.status,
          patch.options !== undefined ? JSON.stringify(patch.options) : current.options,
          patch.objectGuid !== undefined ? patch.objectGuid : current.group_object_guid,
          id,
        ],
      );
      return toMigration(row as MigrationRow);
    });
  }

  // ── journal ───────────────────────────────────────────────────────────────────────────────────

  private async append(
    migrationId: string,
    entry: NewJournalEntry,
    status: MigrationStatus | null,
    fence?: Fence,
  ): Promise<JournalEntry> {
    checkJournalEntry(entry);
    if (status !== null) migrationStatus(status);
    const address = async () => (await this.getMigration(migrationId))?.group.address;
    return this.holdingGroup(address, migrationId, () => this.#append(migrationId, entry, status, fence));
  }

  #append(
    migrationId: string,
    entry: NewJournalEntry,
    status: MigrationStatus | null,
    fence?: Fence,
  ): Promise<JournalEntry> {
    return this.driver.transaction(async (tx) => {
      // The row lock serialises appenders of one migration, so last + 1 cannot be taken twice.
      await this.lockMigration(tx, migrationId, fence);
      const [last] = await tx.query<{ seq: number }>(
        'SELECT COALESCE(MAX(seq), 0) AS seq FROM journal WHERE migration_id = ?',
        [migrationId],
      );
      const [row] = await tx.query<JournalRow>(
        'INSERT INTO journal (migration_id, seq, step, event, data, at) VALUES (?, ?, ?, ?, ?, {now}) RETURNING *',
        [migrationId, Number(last?.seq ?? 0) + 1, entry.step, entry.event, JSON.stringify(entry.data ?? {})],
      );
      await tx.run(
        'UPDATE migrations SET current_step = ?, status = COALESCE(?, status), updated_at = {now} WHERE id = ?',
        [entry.step, status, migrationId],
      );
      return toJournalEntry(row as JournalRow);
    });
  }

  appendJournal(migrationId: string, entry: NewJournalEntry, fence?: Fence): Promise<JournalEntry> {
    return this.append(migrationId, entry, null, fence);
  }

  appendJournalAndSetStatus(
    migrationId: string,
    entry: NewJournalEntry,
    status: MigrationStatus,
    fence?: Fence,
  ): Promise<JournalEntry> {
    return this.append(migrationId, entry, status, fence);
  }

  async listJournal(migrationId: string): Promise<JournalEntry[]> {
    const rows = await this.driver.query<JournalRow>(
      'SELECT * FROM journal WHERE migration_id = ? ORDER BY seq',
      [migrationId],
    );
    return rows.map(toJournalEntry);
  }

  // ── backups ───────────────────────────────────────────────────────────────────────────────────

  async putBackup(migrationId: string, kind: string, data: JsonValue): Promise<BackupRecord> {
    checkBackupKind(kind);
    return this.driver.transaction(async (tx) => {
      await this.lockMigration(tx, migrationId);
      const [inserted] = await tx.query<BackupRow>(
        `INSERT INTO backups (migration_id, kind, data, created_at) VALUES (?, ?, ?, {now})
         ON CONFLICT (migration_id, kind) DO NOTHING RETURNING *`,
        [migrationId, kind, JSON.stringify(data)],
      );
      if (inserted) return toBackup(inserted);
      // Capturing again after a crash must be harmless, but a backup is never overwritten.
      const [existing] = await tx.query<BackupRow>(
        'SELECT * FROM backups WHERE migration_id = ? AND kind = ?',
        [migrationId, kind],
      );
      const record = toBackup(existing as BackupRow);
      if (canonicalJson(record.data) !== canonicalJson(data)) throw new BackupExistsError(migrationId, kind);
      return record;
    });
  }

  async getBackup(migrationId: string, kind: string): Promise<BackupRecord | null> {
    const [row] = await this.driver.query<BackupRow>(
      'SELECT * FROM backups WHERE migration_id = ? AND kind = ?',
      [migrationId, kind],
    );
    return row ? toBackup(row) : null;
  }

  async listBackups(migrationId: string): Promise<BackupRecord[]> {
    const rows = await this.driver.query<BackupRow>(
      'SELECT * FROM backups WHERE migration_id = ? ORDER BY kind',
      [migrationId],
    );
    return rows.map(toBackup);
  }

  // ── errors ────────────────────────────────────────────────────────────────────────────────────

  async addErrors(migrationId: string, errors: readonly MigrationError[]): Promise<ErrorRecord[]> {
    errors.forEach(checkError);
    return this.driver.transaction(async (tx) => {
      await this.lockMigration(tx, migrationId);
      const [last] = await tx.query<{ seq: number }>(
        'SELECT COALESCE(MAX(seq), 0) AS seq FROM errors WHERE migration_id = ?',
        [migrationId],
      );
      let seq = Number(last?.seq ?? 0);
      const records: ErrorRecord[] = [];
      for (const error of errors) {
        const [row] = await tx.query<ErrorRow>(
          `INSERT INTO errors (migration_id, seq, code, severity, attribute, target, message, step, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, {now}) RETURNING *`,
          [
            migrationId,
            ++seq,
            error.code,
            error.severity,
            error.attribute ?? null,
            error.target ?? null,
            error.message,
            error.step ?? null,
          ],
        );
        records.push(toError(row as ErrorRow));
      }
      return records;
    });
  }

  async listErrors(migrationId: string): Promise<ErrorRecord[]> {
    const rows = await this.driver.query<ErrorRow>(
      'SELECT * FROM errors WHERE migration_id = ? ORDER BY seq',
      [migrationId],
    );
    return rows.map(toError);
  }

  clearErrors(migrationId: string, step?: string): Promise<number> {
    return step === undefined
      ? this.driver.run('DELETE FROM errors WHERE migration_id = ?', [migrationId])
      : this.driver.run('DELETE FROM errors WHERE migration_id = ? AND step = ?', [migrationId, step]);
  }

  // ── report ────────────────────────────────────────────────────────────────────────────────────

  async putReport(migrationId: string, report: JsonObject): Promise<ReportRecord> {
    return this.driver.transaction(async (tx) => {
      await this.lockMigration(tx, migrationId);
      const [row] = await tx.query<ReportRow>(
        `INSERT INTO reports (migration_id, report, updated_at) VALUES (?, ?, {now})
         ON CONFLICT (migration_id) DO UPDATE SET report = excluded.report, updated_at = excluded.updated_at
         RETURNING *`,
        [migrationId, JSON.stringify(report)],
      );
      return toReport(row as ReportRow);
    });
  }

  async getReport(migrationId: string): Promise<ReportRecord | null> {
    const [row] = await this.driver.query<ReportRow>('SELECT * FROM reports WHERE migration_id = ?', [
      migrationId,
    ]);
    return row ? toReport(row) : null;
  }

  // ── permission collection ─────────────────────────────────────────────────────────────────────

  async queuePermissionScan(mailboxes: readonly string[]): Promise<void> {
    await this.driver.transaction(async (tx) => {
      for (const mailbox of new Set(mailboxes.map((m) => m.toLowerCase())))
        await tx.run(
          `INSERT INTO permission_mailboxes (mailbox, scanned_at) VALUES (?, NULL)
           ON CONFLICT (mailbox) DO UPDATE SET scanned_at = NULL`,
          [mailbox],
        );
    });
  }

  async pendingPermissionScan(): Promise<string[]> {
    const rows = await this.driver.query<{ mailbox: string }>(
      'SELECT mailbox FROM permission_mailboxes WHERE scanned_at IS NULL ORDER BY mailbox',
    );
    return rows.map((r) => r.mailbox);
  }

  async putMailboxPermissions(mailbox: string, entries: readonly PermissionEntry[]): Promise<void> {
    const key = mailbox.toLowerCase();
    await this.driver.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO permission_mailboxes (mailbox, scanned_at) VALUES (?, {now})
         ON CONFLICT (mailbox) DO UPDATE SET scanned_at = excluded.scanned_at`,
        [key],
      );
      await tx.run('DELETE FROM permissions WHERE mailbox = ?', [key]);
      const seen = new Set<string>();
      for (const e of entries) {
        const id = `${e.kind}\u0000${e.folder}\u0000${e.trustee.toLowerCase()}`;
        if (seen.has(id)) continue;
        seen.add(id);
        await tx.run(
          `INSERT INTO permissions (mailbox, kind, folder, trustee, trustee_key, trustee_sid_key, access_rights, collected_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, {now})`,
          [
            key,
            e.kind,
            e.folder,
            e.trustee,
            e.trustee.toLowerCase(),
            e.trusteeSid.toLowerCase(),
            JSON.stringify([...e.accessRights]),
          ],
        );
      }
    });
  }

  async findPermissionsHeldBy(trustees: readonly string[]): Promise<PermissionRecord[]> {
    const keys = [...new Set(trustees.filter((t) => t !== '').map((t) => t.toLowerCase()))];
    if (keys.length === 0) return [];
    const marks = keys.map(() => '?').join(', ');
    const rows = await this.driver.query<PermissionRow>(
      `SELECT * FROM permissions WHERE trustee_key IN (${marks}) OR trustee_sid_key IN (${marks})
       ORDER BY mailbox, kind, folder, trustee_key`,
      [...keys, ...keys],
    );
    return rows.map(toPermission);
  }

  async listPermissions(): Promise<PermissionRecord[]> {
    const rows = await this.driver.query<PermissionRow>(
      'SELECT * FROM permissions ORDER BY mailbox, kind, folder, trustee_key',
    );
    return rows.map(toPermission);
  }

  async permissionCollectionInfo(): Promise<PermissionCollectionInfo> {
    const [mailboxes] = await this.driver.query<{
      n: number | string;
      pending: number | string | null;
      oldest: number | string | null;
    }>(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN scanned_at IS NULL THEN 1 ELSE 0 END) AS pending, MIN(scanned_at) AS oldest
       FROM permission_mailboxes`,
    );
    const [rights] = await this.driver.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM permissions');
    return {
      mailboxes: Number(mailboxes?.n ?? 0),
      pending: Number(mailboxes?.pending ?? 0),
      rights: Number(rights?.n ?? 0),
      oldestScan:
        mailboxes?.oldest === null || mailboxes?.oldest === undefined ? null : iso(mailboxes.oldest),
    };
  }

  // ── batches ───────────────────────────────────────────────────────────────────────────────────

  async createBatch(input: NewBatch): Promise<{ batch: BatchRecord; migrations: MigrationRecord[] }> {
    if (input.id !== undefined) assertValidId('batch', input.id);
    assertNoSecrets('batch input', input.input);
    if (input.levels.length === 0 || input.levels.some((level) => level.length === 0)) {
      throw new InvalidInputError('a batch needs at least one level and every level at least one group');
    }
    input.levels.flat().forEach(checkNewMigration);
    const batchId = input.id ?? newId();
    return this.driver.transaction(async (tx) => {
      const [created] = await tx.query<BatchRow>(
        `INSERT INTO batches (id, input, status, created_at, updated_at) VALUES (?, ?, 'planned', {now}, {now})
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [batchId, JSON.stringify(input.input)],
      );
      if (!created) throw new AlreadyExistsError('batch', batchId);
      const migrations: MigrationRecord[] = [];
      for (const [level, groups] of input.levels.entries()) {
        await tx.run(
          `INSERT INTO batch_levels (batch_id, level, phase, sync_owner, sync_expires_at, data, updated_at)
           VALUES (?, ?, 'pending', NULL, NULL, '{}', {now})`,
          [batchId, level],
        );
        for (const group of groups)
          migrations.push(await this.insertMigration(tx, group, { id: batchId, level }));
      }
      return { batch: (await this.readBatch(tx, batchId)) as BatchRecord, migrations };
    });
  }

  private async readBatch(executor: SqlExecutor, id: string): Promise<BatchRecord | null> {
    const [row] = await executor.query<BatchRow>('SELECT * FROM batches WHERE id = ?', [id]);
    if (!row) return null;
    const levels = await executor.query<BatchLevelRow>(
      'SELECT * FROM batch_levels WHERE batch_id = ? ORDER BY level',
      [id],
    );
    return {
      id: row.id,
      input: JSON.parse(row.input) as JsonObject,
      status: row.status as BatchStatus,
      levels: levels.map(toBatchLevel),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  getBatch(id: string): Promise<BatchRecord | null> {
    return this.readBatch(this.driver, id);
  }

  async listBatches(): Promise<BatchRecord[]> {
    const rows = await this.driver.query<{ id: string }>('SELECT id FROM batches ORDER BY id');
    const batches = await Promise.all(rows.map((row) => this.readBatch(this.driver, row.id)));
    return batches.filter((batch): batch is BatchRecord => batch !== null);
  }

  async setBatchStatus(id: string, status: BatchStatus): Promise<BatchRecord> {
    batchStatusOf(status);
    return this.driver.transaction(async (tx) => {
      const changed = await tx.run('UPDATE batches SET status = ?, updated_at = {now} WHERE id = ?', [
        status,
        id,
      ]);
      if (changed === 0) throw new NotFoundError('batch', id);
      return (await this.readBatch(tx, id)) as BatchRecord;
    });
  }

  async updateBatchLevel(batchId: string, level: number, patch: BatchLevelPatch): Promise<BatchLevelRecord> {
    checkLevel(level);
    if (patch.phase !== undefined && patch.phase.trim() === '')
      throw new InvalidInputError('level phase must not be empty');
    if (patch.data !== undefined) assertNoSecrets('batch level data', patch.data);
    const [row] = await this.driver.query<BatchLevelRow>(
      `UPDATE batch_levels SET phase = COALESCE(?, phase), data = COALESCE(?, data), updated_at = {now}
       WHERE batch_id = ? AND level = ? RETURNING *`,
      [patch.phase ?? null, patch.data !== undefined ? JSON.stringify(patch.data) : null, batchId, level],
    );
    if (!row) throw new NotFoundError('batch level', `${batchId}#${level}`);
    return toBatchLevel(row);
  }

  async batchProgress(batchId: string): Promise<BatchProgress> {
    const batch = await this.getBatch(batchId);
    if (!batch) throw new NotFoundError('batch', batchId);
    const counts = await this.driver.query<{ batch_level: number; status: MigrationStatus; n: number }>(
      'SELECT batch_level, status, COUNT(*) AS n FROM migrations WHERE batch_id = ? GROUP BY batch_level, status',
      [batchId],
    );
    return {
      batchId,
      status: batch.status,
      levels: batch.levels.map((level) => {
        const byStatus = Object.fromEntries(MIGRATION_STATUSES.map((status) => [status, 0])) as Record<
          MigrationStatus,
          number
        >;
        for (const count of counts) {
          if (Number(count.batch_level) === level.level) byStatus[count.status] = Number(count.n);
        }
        return {
          level: level.level,
          phase: level.phase,
          total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
          byStatus,
          syncCoordinator: level.syncCoordinator,
        };
      }),
    };
  }

  async claimLevelSync(batchId: string, level: number, runnerId: string, leaseMs: number): Promise<boolean> {
    checkLevel(level);
    checkLeaseMs(leaseMs);
    nonEmptyRunner(runnerId);
    // One statement, so the check and the take are atomic on both engines.
    const changed = await this.driver.run(
      `UPDATE batch_levels SET sync_owner = ?, sync_expires_at = {now} + ?
       WHERE batch_id = ? AND level = ? AND (sync_owner IS NULL OR sync_owner = ? OR sync_expires_at < {now})`,
      [runnerId, leaseMs, batchId, level, runnerId],
    );
    if (changed > 0) return true;
    const [exists] = await this.driver.query(
      'SELECT 1 AS one FROM batch_levels WHERE batch_id = ? AND level = ?',
      [batchId, level],
    );
    if (!exists) throw new NotFoundError('batch level', `${batchId}#${level}`);
    return false;
  }

  // ── leases ────────────────────────────────────────────────────────────────────────────────────

  async claimNext(
    batchId: string,
    runnerId: string,
    leaseMs: number,
    options: ClaimOptions = {},
  ): Promise<MigrationRecord | null> {
    checkLeaseMs(leaseMs);
    nonEmptyRunner(runnerId);
    if (options.level !== undefined) checkLevel(options.level);
    return this.driver.transaction(async (tx) => {
      const params: SqlValue[] = [batchId, ...OPEN_STATUSES];
      let levelClause = '';
      if (options.level !== undefined) {
        levelClause = ' AND batch_level = ?';
        params.push(options.level);
      }
      // SKIP LOCKED: a row another runner is claiming right now is passed over, not waited for.
      const [candidate] = await tx.query<{ id: string }>(
        `SELECT id FROM migrations
         WHERE batch_id = ? AND status IN (${placeholders(OPEN_STATUSES.length)})
           AND (lease_owner IS NULL OR lease_expires_at < {now})${levelClause}
         ORDER BY batch_level, id LIMIT 1 {skiplocked}`,
        params,
      );
      if (!candidate) return null;
      return this.takeLease(tx, candidate.id, runnerId, leaseMs);
    });
  }

  private async takeLease(
    tx: SqlExecutor,
    id: string,
    runnerId: string,
    leaseMs: number,
  ): Promise<MigrationRecord> {
    const [row] = await tx.query<MigrationRow>(
      'UPDATE migrations SET lease_owner = ?, lease_expires_at = {now} + ? WHERE id = ? RETURNING *',
      [runnerId, leaseMs, id],
    );
    return toMigration(row as MigrationRow);
  }

  async claimMigration(id: string, runnerId: string, leaseMs: number): Promise<MigrationRecord | null> {
    checkLeaseMs(leaseMs);
    nonEmptyRunner(runnerId);
    return this.driver.transaction(async (tx) => {
      const [row] = await tx.query<MigrationRow & { now_ms: number }>(
        'SELECT *, {now} AS now_ms FROM migrations WHERE id = ? {forupdate}',
        [id],
      );
      if (!row) throw new NotFoundError('migration', id);
      const heldByOther =
        row.lease_owner !== null &&
        row.lease_owner !== runnerId &&
        Number(row.lease_expires_at) >= Number(row.now_ms);
      return heldByOther ? null : this.takeLease(tx, id, runnerId, leaseMs);
    });
  }

  async renewLease(migrationId: string, runnerId: string, leaseMs: number): Promise<boolean> {
    checkLeaseMs(leaseMs);
    const changed = await this.driver.run(
      'UPDATE migrations SET lease_expires_at = {now} + ? WHERE id = ? AND lease_owner = ?',
      [leaseMs, migrationId, runnerId],
    );
    return changed > 0;
  }

  async releaseLease(migrationId: string, runnerId: string): Promise<void> {
    await this.driver.run(
      'UPDATE migrations SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?',
      [migrationId, runnerId],
    );
  }

  // ── export / import ───────────────────────────────────────────────────────────────────────────

  async readMigrationBundle(migrationId: string): Promise<MigrationBundle> {
    const migration = await this.getMigration(migrationId);
    if (!migration) throw new NotFoundError('migration', migrationId);
    const { lease: _lease, ...withoutLease } = migration;
    return {
      migration: withoutLease,
      journal: await this.listJournal(migrationId),
      backups: await this.listBackups(migrationId),
      errors: await this.listErrors(migrationId),
      report: await this.getReport(migrationId),
    };
  }

  async writeMigrationBundle(bundle: MigrationBundle): Promise<MigrationRecord> {
    const { migration } = bundle;
    checkNewMigration({ ...migration, options: migration.options });
    if (migration.batchLevel !== null) checkLevel(migration.batchLevel);
    bundle.journal.forEach(checkJournalEntry);
    bundle.journal.forEach((entry, index) => {
      if (entry.seq !== index + 1) {
        throw new InvalidInputError(
          `journal of ${migration.id} is not contiguous: entry ${index + 1} has seq ${entry.seq}`,
        );
      }
    });
    bundle.errors.forEach(checkError);
    bundle.backups.forEach((backup) => checkBackupKind(backup.kind));
    return this.holdingGroup(
      async () => migration.group.address,
      migration.id,
      () => this.#writeBundle(bundle),
    );
  }

  #writeBundle(bundle: MigrationBundle): Promise<MigrationRecord> {
    const { migration } = bundle;
    return this.driver.transaction(async (tx) => {
      const batch =
        migration.batchId === null ? null : { id: migration.batchId, level: migration.batchLevel ?? 0 };
      await this.insertMigration(
        tx,
        {
          id: migration.id,
          group: migration.group,
          strategy: migration.strategy,
          options: migration.options,
          status: migration.status,
        },
        batch,
        {
          currentStep: migration.currentStep,
          createdAt: epochMs(migration.createdAt),
          updatedAt: epochMs(migration.updatedAt),
        },
      );
      for (const entry of bundle.journal) {
        await tx.run(
          'INSERT INTO journal (migration_id, seq, step, event, data, at) VALUES (?, ?, ?, ?, ?, ?)',
          [migration.id, entry.seq, entry.step, entry.event, JSON.stringify(entry.data), epochMs(entry.at)],
        );
      }
      for (const backup of bundle.backups) {
        await tx.run('INSERT INTO backups (migration_id, kind, data, created_at) VALUES (?, ?, ?, ?)', [
          migration.id,
          backup.kind,
          JSON.stringify(backup.data),
          epochMs(backup.createdAt),
        ]);
      }
      for (const error of bundle.errors) {
        await tx.run(
          `INSERT INTO errors (migration_id, seq, code, severity, attribute, target, message, step, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            migration.id,
            error.seq,
            error.code,
            error.severity,
            error.attribute,
            error.target,
            error.message,
            error.step,
            epochMs(error.at),
          ],
        );
      }
      if (bundle.report) {
        await tx.run('INSERT INTO reports (migration_id, report, updated_at) VALUES (?, ?, ?)', [
          migration.id,
          JSON.stringify(bundle.report.report),
          epochMs(bundle.report.updatedAt),
        ]);
      }
      const [row] = await tx.query<MigrationRow>('SELECT * FROM migrations WHERE id = ?', [migration.id]);
      return toMigration(row as MigrationRow);
    });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

function nonEmptyRunner(runnerId: string): void {
  if (typeof runnerId !== 'string' || runnerId.trim() === '') {
    throw new InvalidInputError('runner id must be a non-empty string');
  }
}
