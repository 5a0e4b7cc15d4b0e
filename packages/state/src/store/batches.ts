// Batches and their levels: creation with one migration per group, status, level phase, progress, the level's sync lease.
import type { Driver, SqlExecutor } from '../driver.js';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../errors.js';
import { assertValidId, newId } from '../ids.js';
import { iso, toBatchLevel, type BatchLevelRow, type BatchRow } from '../rows.js';
import { assertNoSecrets } from '../secrets.js';
import {
  MIGRATION_STATUSES,
  type BatchLevelPatch,
  type BatchLevelRecord,
  type BatchProgress,
  type BatchRecord,
  type BatchStatus,
  type JsonObject,
  type MigrationRecord,
  type MigrationStatus,
  type NewBatch,
} from '../types.js';
import { batchStatusOf, checkLeaseMs, checkLevel, checkNewMigration } from '../validate.js';
import { insertMigration } from './migrations.js';
import { nonEmptyRunner } from './shared.js';

export async function createBatch(
  driver: Driver,
  input: NewBatch,
): Promise<{ batch: BatchRecord; migrations: MigrationRecord[] }> {
  if (input.id !== undefined) assertValidId('batch', input.id);
  assertNoSecrets('batch input', input.input, 'settings');
  if (input.levels.length === 0 || input.levels.some((level) => level.length === 0)) {
    throw new InvalidInputError('a batch needs at least one level and every level at least one group');
  }
  input.levels.flat().forEach(checkNewMigration);
  const batchId = input.id ?? newId();
  return driver.transaction(async (tx) => {
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
      for (const group of groups) migrations.push(await insertMigration(tx, group, { id: batchId, level }));
    }
    return { batch: (await readBatch(tx, batchId)) as BatchRecord, migrations };
  });
}

export async function readBatch(executor: SqlExecutor, id: string): Promise<BatchRecord | null> {
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

export async function readBatchLevel(
  executor: SqlExecutor,
  batchId: string,
  level: number,
): Promise<BatchLevelRecord | null> {
  checkLevel(level);
  const [row] = await executor.query<BatchLevelRow>(
    'SELECT * FROM batch_levels WHERE batch_id = ? AND level = ?',
    [batchId, level],
  );
  return row ? toBatchLevel(row) : null;
}

export async function listBatches(driver: Driver): Promise<BatchRecord[]> {
  const rows = await driver.query<{ id: string }>('SELECT id FROM batches ORDER BY id');
  const batches = await Promise.all(rows.map((row) => readBatch(driver, row.id)));
  return batches.filter((batch): batch is BatchRecord => batch !== null);
}

export async function setBatchStatus(driver: Driver, id: string, status: BatchStatus): Promise<BatchRecord> {
  batchStatusOf(status);
  return driver.transaction(async (tx) => {
    const changed = await tx.run('UPDATE batches SET status = ?, updated_at = {now} WHERE id = ?', [
      status,
      id,
    ]);
    if (changed === 0) throw new NotFoundError('batch', id);
    return (await readBatch(tx, id)) as BatchRecord;
  });
}

export async function updateBatchLevel(
  driver: Driver,
  batchId: string,
  level: number,
  patch: BatchLevelPatch,
): Promise<BatchLevelRecord> {
  checkLevel(level);
  if (patch.phase !== undefined && patch.phase.trim() === '')
    throw new InvalidInputError('level phase must not be empty');
  if (patch.data !== undefined) assertNoSecrets('batch level data', patch.data, 'record');
  const [row] = await driver.query<BatchLevelRow>(
    `UPDATE batch_levels SET phase = COALESCE(?, phase), data = COALESCE(?, data), updated_at = {now}
     WHERE batch_id = ? AND level = ? RETURNING *`,
    [patch.phase ?? null, patch.data !== undefined ? JSON.stringify(patch.data) : null, batchId, level],
  );
  if (!row) throw new NotFoundError('batch level', `${batchId}#${level}`);
  return toBatchLevel(row);
}

export async function batchProgress(driver: Driver, batchId: string): Promise<BatchProgress> {
  const batch = await readBatch(driver, batchId);
  if (!batch) throw new NotFoundError('batch', batchId);
  const counts = await driver.query<{ batch_level: number; status: MigrationStatus; n: number }>(
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

export async function claimLevelSync(
  driver: Driver,
  batchId: string,
  level: number,
  runnerId: string,
  leaseMs: number,
): Promise<boolean> {
  checkLevel(level);
  checkLeaseMs(leaseMs);
  nonEmptyRunner(runnerId);
  // One statement, so the check and the take are atomic on both engines.
  const changed = await driver.run(
    `UPDATE batch_levels SET sync_owner = ?, sync_expires_at = {now} + ?
     WHERE batch_id = ? AND level = ? AND (sync_owner IS NULL OR sync_owner = ? OR sync_expires_at < {now})`,
    [runnerId, leaseMs, batchId, level, runnerId],
  );
  if (changed > 0) return true;
  const [exists] = await driver.query('SELECT 1 AS one FROM batch_levels WHERE batch_id = ? AND level = ?', [
    batchId,
    level,
  ]);
  if (!exists) throw new NotFoundError('batch level', `${batchId}#${level}`);
  return false;
}

export async function releaseLevelSync(
  driver: Driver,
  batchId: string,
  level: number,
  runnerId: string,
): Promise<void> {
  checkLevel(level);
  nonEmptyRunner(runnerId);
  await driver.run(
    'UPDATE batch_levels SET sync_owner = NULL, sync_expires_at = NULL WHERE batch_id = ? AND level = ? AND sync_owner = ?',
    [batchId, level, runnerId],
  );
}
