// A migration's report: one row per migration, replaced on every write.
import type { Driver } from '../driver.js';
import { toReport, type ReportRow } from '../rows.js';
import type { JsonObject, ReportRecord } from '../types.js';
import { lockMigration } from './shared.js';

export async function putReport(
  driver: Driver,
  migrationId: string,
  report: JsonObject,
): Promise<ReportRecord> {
  return driver.transaction(async (tx) => {
    await lockMigration(tx, migrationId);
    const [row] = await tx.query<ReportRow>(
      `INSERT INTO reports (migration_id, report, updated_at) VALUES (?, ?, {now})
       ON CONFLICT (migration_id) DO UPDATE SET report = excluded.report, updated_at = excluded.updated_at
       RETURNING *`,
      [migrationId, JSON.stringify(report)],
    );
    return toReport(row as ReportRow);
  });
}

export async function getReport(driver: Driver, migrationId: string): Promise<ReportRecord | null> {
  const [row] = await driver.query<ReportRow>('SELECT * FROM reports WHERE migration_id = ?', [migrationId]);
  return row ? toReport(row) : null;
}
