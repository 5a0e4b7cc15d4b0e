// The StateStore on SQL: a thin facade over the per-record-type query files in store/, each written once
// against the Driver for both engines.
import type { Driver } from './driver.js';
import { listAppliedSchemaMigrations } from './schema.js';
import * as backups from './store/backups.js';
import * as batches from './store/batches.js';
import * as bundle from './store/bundle.js';
import * as findings from './store/findings.js';
import * as journal from './store/journal.js';
import * as leases from './store/leases.js';
import * as migrations from './store/migrations.js';
import * as permissions from './store/permissions.js';
import * as reports from './store/reports.js';
import type {
  BackupRecord,
  BatchLevelPatch,
  BatchLevelRecord,
  BatchProgress,
  BatchRecord,
  BatchStatus,
  ClaimOptions,
  Fence,
  FindingRecord,
  JournalEntry,
  JsonObject,
  JsonValue,
  MigrationBundle,
  MigrationFilter,
  MigrationPatch,
  MigrationRecord,
  MigrationStatus,
  NewBatch,
  NewFinding,
  NewJournalEntry,
  NewMigration,
  PermissionCollectionInfo,
  PermissionEntry,
  PermissionRecord,
  ReportRecord,
  StateStore,
} from './types.js';

export class SqlStateStore implements StateStore {
  constructor(private readonly driver: Driver) {}

  get engine() {
    return this.driver.dialect.engine;
  }

  async schemaVersion(): Promise<number> {
    const applied = await listAppliedSchemaMigrations(this.driver);
    return applied.at(-1)?.version ?? 0;
  }

  // migrations (store/migrations.ts)
  openMigrationOf(address: string, except?: string): Promise<MigrationRecord | null> {
    return migrations.openMigrationOf(this.driver, address, except);
  }
  createMigration(input: NewMigration): Promise<MigrationRecord> {
    return migrations.createMigration(this.driver, input);
  }
  getMigration(id: string): Promise<MigrationRecord | null> {
    return migrations.getMigration(this.driver, id);
  }
  listMigrations(filter?: MigrationFilter): Promise<MigrationRecord[]> {
    return migrations.listMigrations(this.driver, filter);
  }
  updateMigration(id: string, patch: MigrationPatch, fence?: Fence): Promise<MigrationRecord> {
    return migrations.updateMigration(this.driver, id, patch, fence);
  }

  // journal (store/journal.ts)
  appendJournal(migrationId: string, entry: NewJournalEntry, fence?: Fence): Promise<JournalEntry> {
    return journal.appendJournal(this.driver, migrationId, entry, null, fence);
  }
  appendJournalAndSetStatus(
    migrationId: string,
    entry: NewJournalEntry,
    status: MigrationStatus,
    fence?: Fence,
  ): Promise<JournalEntry> {
    return journal.appendJournal(this.driver, migrationId, entry, status, fence);
  }
  listJournal(migrationId: string): Promise<JournalEntry[]> {
    return journal.listJournal(this.driver, migrationId);
  }

  // backups (store/backups.ts)
  putBackup(migrationId: string, kind: string, data: JsonValue, json?: string): Promise<BackupRecord> {
    return backups.putBackup(this.driver, migrationId, kind, data, json);
  }
  getBackup(migrationId: string, kind: string): Promise<BackupRecord | null> {
    return backups.getBackup(this.driver, migrationId, kind);
  }
  hasBackup(migrationId: string, kind: string): Promise<boolean> {
    return backups.hasBackup(this.driver, migrationId, kind);
  }
  listBackups(migrationId: string, kindPrefix?: string): Promise<BackupRecord[]> {
    return backups.listBackups(this.driver, migrationId, kindPrefix);
  }

  // findings (store/findings.ts)
  addFindings(migrationId: string, newFindings: readonly NewFinding[]): Promise<FindingRecord[]> {
    return findings.addFindings(this.driver, migrationId, newFindings);
  }
  listFindings(migrationId: string): Promise<FindingRecord[]> {
    return findings.listFindings(this.driver, migrationId);
  }
  clearFindings(migrationId: string, step?: string): Promise<number> {
    return findings.clearFindings(this.driver, migrationId, step);
  }
  dropFindings(migrationId: string, seqs: readonly number[]): Promise<number> {
    return findings.dropFindings(this.driver, migrationId, seqs);
  }

  // reports (store/reports.ts)
  putReport(migrationId: string, report: JsonObject): Promise<ReportRecord> {
    return reports.putReport(this.driver, migrationId, report);
  }
  getReport(migrationId: string): Promise<ReportRecord | null> {
    return reports.getReport(this.driver, migrationId);
  }

  // permission collection (store/permissions.ts)
  queuePermissionScan(mailboxes: readonly string[]): Promise<void> {
    return permissions.queuePermissionScan(this.driver, mailboxes);
  }
  pendingPermissionScan(): Promise<string[]> {
    return permissions.pendingPermissionScan(this.driver);
  }
  putMailboxPermissions(mailbox: string, entries: readonly PermissionEntry[]): Promise<void> {
    return permissions.putMailboxPermissions(this.driver, mailbox, entries);
  }
  findPermissionsHeldBy(trustees: readonly string[]): Promise<PermissionRecord[]> {
    return permissions.findPermissionsHeldBy(this.driver, trustees);
  }
  listPermissions(): Promise<PermissionRecord[]> {
    return permissions.listPermissions(this.driver);
  }
  permissionCollectionInfo(): Promise<PermissionCollectionInfo> {
    return permissions.permissionCollectionInfo(this.driver);
  }

  // batches (store/batches.ts)
  createBatch(input: NewBatch): Promise<{ batch: BatchRecord; migrations: MigrationRecord[] }> {
    return batches.createBatch(this.driver, input);
  }
  getBatch(id: string): Promise<BatchRecord | null> {
    return batches.readBatch(this.driver, id);
  }
  getBatchLevel(batchId: string, level: number): Promise<BatchLevelRecord | null> {
    return batches.readBatchLevel(this.driver, batchId, level);
  }
  listBatches(): Promise<BatchRecord[]> {
    return batches.listBatches(this.driver);
  }
  setBatchStatus(id: string, status: BatchStatus): Promise<BatchRecord> {
    return batches.setBatchStatus(this.driver, id, status);
  }
  updateBatchLevel(batchId: string, level: number, patch: BatchLevelPatch): Promise<BatchLevelRecord> {
    return batches.updateBatchLevel(this.driver, batchId, level, patch);
  }
  batchProgress(batchId: string): Promise<BatchProgress> {
    return batches.batchProgress(this.driver, batchId);
  }
  claimLevelSync(batchId: string, level: number, runnerId: string, leaseMs: number): Promise<boolean> {
    return batches.claimLevelSync(this.driver, batchId, level, runnerId, leaseMs);
  }
  releaseLevelSync(batchId: string, level: number, runnerId: string): Promise<void> {
    return batches.releaseLevelSync(this.driver, batchId, level, runnerId);
  }

  // leases (store/leases.ts)
  claimNext(
    batchId: string,
    runnerId: string,
    leaseMs: number,
    options?: ClaimOptions,
  ): Promise<MigrationRecord | null> {
    return leases.claimNext(this.driver, batchId, runnerId, leaseMs, options);
  }
  claimMigration(id: string, runnerId: string, leaseMs: number): Promise<MigrationRecord | null> {
    return leases.claimMigration(this.driver, id, runnerId, leaseMs);
  }
  renewLease(migrationId: string, runnerId: string, leaseMs: number): Promise<boolean> {
    return leases.renewLease(this.driver, migrationId, runnerId, leaseMs);
  }
  releaseLease(migrationId: string, runnerId: string): Promise<void> {
    return leases.releaseLease(this.driver, migrationId, runnerId);
  }
  batchRunners(batchId: string): Promise<string[]> {
    return leases.batchRunners(this.driver, batchId);
  }
  now(): Promise<number> {
    return leases.databaseNow(this.driver);
  }

  // export / import (store/bundle.ts)
  readMigrationBundle(migrationId: string): Promise<MigrationBundle> {
    return bundle.readMigrationBundle(this.driver, migrationId);
  }
  writeMigrationBundle(migrationBundle: MigrationBundle): Promise<MigrationRecord> {
    return bundle.writeMigrationBundle(this.driver, migrationBundle);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
