// Migration leases: a runner claims the next open migration of a batch (or one by id), renews and releases it.
import type { Driver, SqlExecutor, SqlValue } from '../driver.js';
import { NotFoundError } from '../errors.js';
import { toMigration, type MigrationRow } from '../rows.js';
import { OPEN_STATUSES, type ClaimOptions, type MigrationRecord } from '../types.js';
import { checkLeaseMs, checkLevel } from '../validate.js';
import { nonEmptyRunner, placeholders } from './shared.js';

export async function claimNext(
  driver: Driver,
  batchId: string,
  runnerId: string,
  leaseMs: number,
  options: ClaimOptions = {},
): Promise<MigrationRecord | null> {
  checkLeaseMs(leaseMs);
  nonEmptyRunner(runnerId);
  if (options.level !== undefined) checkLevel(options.level);
  return driver.transaction(async (tx) => {
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
    return takeLease(tx, candidate.id, runnerId, leaseMs);
  });
}

/**
 * The runners working on a batch now: the distinct owners of its unexpired leases (a group's, or a level's sync
 * coordination). A runner between two groups holds none for a moment and is not counted then.
 */
export async function batchRunners(driver: SqlExecutor, batchId: string): Promise<string[]> {
  const rows = await driver.query<{ owner: string }>(
    `SELECT lease_owner AS owner FROM migrations
       WHERE batch_id = ? AND lease_owner IS NOT NULL AND lease_expires_at >= {now}
     UNION
     SELECT sync_owner AS owner FROM batch_levels
       WHERE batch_id = ? AND sync_owner IS NOT NULL AND sync_expires_at >= {now}`,
    [batchId, batchId],
  );
  return rows.map((row) => row.owner).sort();
}

/**
 * The database clock in epoch milliseconds: the clock every lease time is written and judged by ({now} in claimNext,
 * claimMigration, renewLease, claimLevelSync), so that runners on several machines, whose own clocks drift, agree on
 * whether a lease has run out.
 */
export async function databaseNow(driver: SqlExecutor): Promise<number> {
  const [row] = await driver.query<{ now_ms: number | string }>('SELECT {now} AS now_ms');
  return Number(row!.now_ms);
}

async function takeLease(
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

export async function claimMigration(
  driver: Driver,
  id: string,
  runnerId: string,
  leaseMs: number,
): Promise<MigrationRecord | null> {
  checkLeaseMs(leaseMs);
  nonEmptyRunner(runnerId);
  return driver.transaction(async (tx) => {
    const [row] = await tx.query<MigrationRow & { now_ms: number }>(
      'SELECT *, {now} AS now_ms FROM migrations WHERE id = ? {forupdate}',
      [id],
    );
    if (!row) throw new NotFoundError('migration', id);
    const heldByOther =
      row.lease_owner !== null &&
      row.lease_owner !== runnerId &&
      Number(row.lease_expires_at) >= Number(row.now_ms);
    return heldByOther ? null : takeLease(tx, id, runnerId, leaseMs);
  });
}

export async function renewLease(
  driver: Driver,
  migrationId: string,
  runnerId: string,
  leaseMs: number,
): Promise<boolean> {
  checkLeaseMs(leaseMs);
  const changed = await driver.run(
    'UPDATE migrations SET lease_expires_at = {now} + ? WHERE id = ? AND lease_owner = ?',
    [leaseMs, migrationId, runnerId],
  );
  return changed > 0;
}

export async function releaseLease(driver: Driver, migrationId: string, runnerId: string): Promise<void> {
  await driver.run(
    'UPDATE migrations SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?',
    [migrationId, runnerId],
  );
}
