// Export / import: everything about one migration read out, or written back keeping ids, sequences and times.
import type { Driver } from '../driver.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { epochMs, toMigration, type MigrationRow } from '../rows.js';
import type { MigrationBundle, MigrationRecord } from '../types.js';
import {
  checkBackupKind,
  checkFinding,
  checkJournalEntry,
  checkLevel,
  checkNewMigration,
} from '../validate.js';
import { listBackups } from './backups.js';
import { listFindings } from './findings.js';
import { listJournal } from './journal.js';
import { getMigration, holdingGroup, insertMigration } from './migrations.js';
import { getReport } from './reports.js';

export async function readMigrationBundle(driver: Driver, migrationId: string): Promise<MigrationBundle> {
  const migration = await getMigration(driver, migrationId);
  if (!migration) throw new NotFoundError('migration', migrationId);
  const { lease: _lease, ...withoutLease } = migration;
  return {
    migration: withoutLease,
    journal: await listJournal(driver, migrationId),
    backups: await listBackups(driver, migrationId),
    findings: await listFindings(driver, migrationId),
    report: await getReport(driver, migrationId),
  };
}

export async function writeMigrationBundle(
  driver: Driver,
  bundle: MigrationBundle,
): Promise<MigrationRecord> {
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
  bundle.findings.forEach(checkFinding);
  bundle.backups.forEach((backup) => checkBackupKind(backup.kind));
  return holdingGroup(
    driver,
    async () => migration.group.address,
    migration.id,
    () => writeBundle(driver, bundle),
  );
}

async function writeBundle(driver: Driver, bundle: MigrationBundle): Promise<MigrationRecord> {
  const { migration } = bundle;
  return driver.transaction(async (tx) => {
    const batch =
      migration.batchId === null ? null : { id: migration.batchId, level: migration.batchLevel ?? 0 };
    await insertMigration(
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
    for (const finding of bundle.findings) {
      await tx.run(
        `INSERT INTO findings (migration_id, seq, code, severity, attribute, subject, message, step, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          migration.id,
          finding.seq,
          finding.code,
          finding.severity,
          finding.attribute,
          finding.subject,
          finding.message,
          finding.step,
          epochMs(finding.at),
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
