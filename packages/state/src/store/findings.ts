// A migration's findings (the `errors` table): appended in sequence, listed, cleared per step.
import type { Driver } from '../driver.js';
import { toError, type ErrorRow } from '../rows.js';
import type { ErrorRecord, MigrationError } from '../types.js';
import { checkError } from '../validate.js';
import { lockMigration } from './shared.js';

export async function addErrors(
  driver: Driver,
  migrationId: string,
  errors: readonly MigrationError[],
): Promise<ErrorRecord[]> {
  errors.forEach(checkError);
  return driver.transaction(async (tx) => {
    await lockMigration(tx, migrationId);
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

export async function listErrors(driver: Driver, migrationId: string): Promise<ErrorRecord[]> {
  const rows = await driver.query<ErrorRow>('SELECT * FROM errors WHERE migration_id = ? ORDER BY seq', [
    migrationId,
  ]);
  return rows.map(toError);
}

export async function clearErrors(driver: Driver, migrationId: string, step?: string): Promise<number> {
  return step === undefined
    ? driver.run('DELETE FROM errors WHERE migration_id = ?', [migrationId])
    : driver.run('DELETE FROM errors WHERE migration_id = ? AND step = ?', [migrationId, step]);
}
