// A migration's findings (the `findings` table): appended in sequence, listed, cleared per step.
import type { Driver } from '../driver.js';
import { toFinding, type FindingRow } from '../rows.js';
import type { FindingRecord, NewFinding } from '../types.js';
import { checkFinding } from '../validate.js';
import { lockMigration } from './shared.js';

export async function addFindings(
  driver: Driver,
  migrationId: string,
  findings: readonly NewFinding[],
): Promise<FindingRecord[]> {
  findings.forEach(checkFinding);
  return driver.transaction(async (tx) => {
    await lockMigration(tx, migrationId);
    const [last] = await tx.query<{ seq: number }>(
      'SELECT COALESCE(MAX(seq), 0) AS seq FROM findings WHERE migration_id = ?',
      [migrationId],
    );
    let seq = Number(last?.seq ?? 0);
    const records: FindingRecord[] = [];
    for (const finding of findings) {
      const [row] = await tx.query<FindingRow>(
        `INSERT INTO findings (migration_id, seq, code, severity, attribute, subject, message, step, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, {now}) RETURNING *`,
        [
          migrationId,
          ++seq,
          finding.code,
          finding.severity,
          finding.attribute ?? null,
          finding.subject ?? null,
          finding.message,
          finding.step ?? null,
        ],
      );
      records.push(toFinding(row as FindingRow));
    }
    return records;
  });
}

export async function listFindings(driver: Driver, migrationId: string): Promise<FindingRecord[]> {
  const rows = await driver.query<FindingRow>('SELECT * FROM findings WHERE migration_id = ? ORDER BY seq', [
    migrationId,
  ]);
  return rows.map(toFinding);
}

/**
 * Removes the findings of a migration numbered `seqs`, in one statement: a finding that no longer holds is dropped
 * without touching the others (core verify/members-of.ts), so no crash can lose a finding that still stands.
 */
export async function dropFindings(
  driver: Driver,
  migrationId: string,
  seqs: readonly number[],
): Promise<number> {
  if (seqs.length === 0) return 0;
  seqs.forEach((seq) => {
    if (!Number.isSafeInteger(seq) || seq < 1) throw new TypeError(`Not a finding number: ${seq}`);
  });
  return driver.run(
    `DELETE FROM findings WHERE migration_id = ? AND seq IN (${seqs.map(() => '?').join(', ')})`,
    [migrationId, ...seqs],
  );
}

export async function clearFindings(driver: Driver, migrationId: string, step?: string): Promise<number> {
  return step === undefined
    ? driver.run('DELETE FROM findings WHERE migration_id = ?', [migrationId])
    : driver.run('DELETE FROM findings WHERE migration_id = ? AND step = ?', [migrationId, step]);
}
