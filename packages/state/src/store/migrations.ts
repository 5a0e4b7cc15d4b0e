// Migration rows: create, read, list, patch, and the one-open-migration-per-group rule.
import type { Driver, SqlExecutor, SqlValue } from '../driver.js';
import { AlreadyExistsError, GroupHasOpenMigrationError } from '../errors.js';
import { newId } from '../ids.js';
import { toMigration, type MigrationRow } from '../rows.js';
import { ONE_OPEN_PER_GROUP_INDEX } from '../schema.js';
import { assertNoSecrets } from '../secrets.js';
import {
  GROUP_HOLDING_STATUSES,
  type Fence,
  type MigrationFilter,
  type MigrationPatch,
  type MigrationRecord,
  type NewMigration,
} from '../types.js';
import { checkNewMigration, migrationStatus } from '../validate.js';
import { lockMigration, placeholders } from './shared.js';

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

export async function insertMigration(
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
export async function holdingGroup<T>(
  driver: Driver,
  address: () => Promise<string | undefined>,
  id: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!violatesOneOpenPerGroup(error)) throw error;
    const group = (await address()) ?? '(unknown)';
    const open = await openMigrationOf(driver, group, id);
    throw new GroupHasOpenMigrationError(group, open?.id ?? null, open?.batchId ?? null);
  }
}

/** The group address of migration `id`, read when a write on it was refused. */
export const addressOf = (driver: Driver, id: string) => async (): Promise<string | undefined> =>
  (await getMigration(driver, id))?.group.address;

/** The migration that holds the group at `address`, other than `except`. */
export async function openMigrationOf(
  driver: Driver,
  address: string,
  except?: string,
): Promise<MigrationRecord | null> {
  const rows = await listMigrations(driver, { group: address, status: GROUP_HOLDING_STATUSES });
  return rows.find((m) => m.id !== except && m.group.address.toLowerCase() === address.toLowerCase()) ?? null;
}

export async function createMigration(driver: Driver, input: NewMigration): Promise<MigrationRecord> {
  checkNewMigration(input);
  return holdingGroup(
    driver,
    async () => input.group.address,
    input.id,
    () => driver.transaction((tx) => insertMigration(tx, input, input.batch ?? null)),
  );
}

export async function getMigration(driver: SqlExecutor, id: string): Promise<MigrationRecord | null> {
  const [row] = await driver.query<MigrationRow>('SELECT * FROM migrations WHERE id = ?', [id]);
  return row ? toMigration(row) : null;
}

export async function listMigrations(
  driver: Driver,
  filter: MigrationFilter = {},
): Promise<MigrationRecord[]> {
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
  return (await driver.query<MigrationRow>(sql, params)).map(toMigration);
}

export async function updateMigration(
  driver: Driver,
  id: string,
  patch: MigrationPatch,
  fence?: Fence,
): Promise<MigrationRecord> {
  if (patch.status !== undefined) migrationStatus(patch.status);
  if (patch.options !== undefined) assertNoSecrets('migration options', patch.options, 'settings');
  return holdingGroup(driver, addressOf(driver, id), id, () =>
    driver.transaction(async (tx) => {
      const current = await lockMigration(tx, id, fence);
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
    }),
  );
}
