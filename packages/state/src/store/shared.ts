// What the per-record-type query files share: placeholders, the migration row lock, the runner id check.
import type { SqlExecutor } from '../driver.js';
import { InvalidInputError, LeaseLostError, NotFoundError } from '../errors.js';
import type { MigrationRow } from '../rows.js';
import type { Fence } from '../types.js';

export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** Locks the migration row for the rest of the transaction and checks the caller's lease. */
export async function lockMigration(tx: SqlExecutor, id: string, fence?: Fence): Promise<MigrationRow> {
  const [row] = await tx.query<MigrationRow>('SELECT * FROM migrations WHERE id = ? {forupdate}', [id]);
  if (!row) throw new NotFoundError('migration', id);
  // Ownership, not expiry, is what fences: a takeover changes the owner atomically, and while an
  // expired lease is not taken over nobody else is working on the migration.
  if (fence && row.lease_owner !== fence.runnerId) throw new LeaseLostError(id, fence.runnerId);
  return row;
}

export function nonEmptyRunner(runnerId: string): void {
  if (typeof runnerId !== 'string' || runnerId.trim() === '') {
    throw new InvalidInputError('runner id must be a non-empty string');
  }
}
