// A migration's journal: entries appended in sequence under the migration's row lock.
import type { Driver } from '../driver.js';
import { toJournalEntry, type JournalRow } from '../rows.js';
import type { Fence, JournalEntry, MigrationStatus, NewJournalEntry } from '../types.js';
import { checkJournalEntry, migrationStatus } from '../validate.js';
import { addressOf, holdingGroup } from './migrations.js';
import { lockMigration } from './shared.js';

/** Appends the next entry, sets the current step and (unless null) the status, in one transaction. */
export async function appendJournal(
  driver: Driver,
  migrationId: string,
  entry: NewJournalEntry,
  status: MigrationStatus | null,
  fence?: Fence,
): Promise<JournalEntry> {
  checkJournalEntry(entry);
  if (status !== null) migrationStatus(status);
  return holdingGroup(driver, addressOf(driver, migrationId), migrationId, () =>
    driver.transaction(async (tx) => {
      // The row lock serialises appenders of one migration, so last + 1 cannot be taken twice.
      await lockMigration(tx, migrationId, fence);
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
    }),
  );
}

export async function listJournal(driver: Driver, migrationId: string): Promise<JournalEntry[]> {
  const rows = await driver.query<JournalRow>('SELECT * FROM journal WHERE migration_id = ? ORDER BY seq', [
    migrationId,
  ]);
  return rows.map(toJournalEntry);
}
