// Write-once backups: the same data again is a no-op, different data is refused.
import type { Driver } from '../driver.js';
import { BackupExistsError } from '../errors.js';
import { iso, toBackup, type BackupRow } from '../rows.js';
import type { BackupRecord, JsonValue } from '../types.js';
import { checkBackupKind } from '../validate.js';
import { lockMigration } from './shared.js';

/** JSON with object keys sorted, so equal data compares equal whatever order it was built in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export async function putBackup(
  driver: Driver,
  migrationId: string,
  kind: string,
  data: JsonValue,
  json: string = JSON.stringify(data),
): Promise<BackupRecord> {
  checkBackupKind(kind);
  return driver.transaction(async (tx) => {
    await lockMigration(tx, migrationId);
    // The stored text is not returned and parsed back: for a 100,000-member snapshot part that was one more copy of
    // the whole part in memory (issue 17); the record carries the data it was given, which is what was stored.
    const [inserted] = await tx.query<Pick<BackupRow, 'migration_id' | 'kind' | 'created_at'>>(
      `INSERT INTO backups (migration_id, kind, data, created_at) VALUES (?, ?, ?, {now})
       ON CONFLICT (migration_id, kind) DO NOTHING RETURNING migration_id, kind, created_at`,
      [migrationId, kind, json],
    );
    if (inserted)
      return {
        migrationId: inserted.migration_id,
        kind: inserted.kind,
        data,
        createdAt: iso(inserted.created_at),
      };
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

export async function getBackup(
  driver: Driver,
  migrationId: string,
  kind: string,
): Promise<BackupRecord | null> {
  const [row] = await driver.query<BackupRow>('SELECT * FROM backups WHERE migration_id = ? AND kind = ?', [
    migrationId,
    kind,
  ]);
  return row ? toBackup(row) : null;
}

/** Whether a backup of this kind exists, without reading (and parsing) its data. */
export async function hasBackup(driver: Driver, migrationId: string, kind: string): Promise<boolean> {
  const rows = await driver.query('SELECT 1 AS present FROM backups WHERE migration_id = ? AND kind = ?', [
    migrationId,
    kind,
  ]);
  return rows.length > 0;
}

/**
 * The migration's backups in kind order, or only those whose kind starts with `kindPrefix`: the others' data is not
 * read (a 100,000-member group's member pages are 20 backups no reader of journaled writes needs, issue 17).
 */
export async function listBackups(
  driver: Driver,
  migrationId: string,
  kindPrefix?: string,
): Promise<BackupRecord[]> {
  if (kindPrefix !== undefined) checkBackupKind(kindPrefix);
  // substr rather than LIKE: a kind's "-" needs no escaping, and both engines have it.
  const rows = await driver.query<BackupRow>(
    kindPrefix === undefined
      ? 'SELECT * FROM backups WHERE migration_id = ? ORDER BY kind'
      : 'SELECT * FROM backups WHERE migration_id = ? AND substr(kind, 1, ?) = ? ORDER BY kind',
    kindPrefix === undefined ? [migrationId] : [migrationId, kindPrefix.length, kindPrefix],
  );
  return rows.map(toBackup);
}
