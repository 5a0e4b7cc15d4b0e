// Conversions between database rows (snake_case, JSON as TEXT, epoch milliseconds) and records.
import { InvalidInputError } from './errors.js';
import { recordKindOf } from './validate.js';
import type {
  BackupRecord,
  BatchLevelRecord,
  JournalEntry,
  JsonObject,
  JsonValue,
  Lease,
  MigrationRecord,
  MigrationStatus,
  ReportRecord,
  JournalEvent,
  FindingRecord,
  Severity,
  PermissionRecord,
} from './types.js';

export interface MigrationRow {
  id: string;
  group_address: string;
  group_object_guid: string | null;
  strategy: string;
  options: string;
  status: string;
  current_step: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  batch_id: string | null;
  batch_level: number | null;
  created_at: number;
  updated_at: number;
  [column: string]: unknown;
}

export interface JournalRow {
  migration_id: string;
  seq: number;
  step: string;
  event: string;
  data: string;
  at: number;
  [column: string]: unknown;
}

export interface BackupRow {
  migration_id: string;
  kind: string;
  data: string;
  created_at: number;
  [column: string]: unknown;
}

export interface FindingRow {
  migration_id: string;
  seq: number;
  code: string;
  severity: string;
  attribute: string | null;
  subject: string | null;
  message: string;
  step: string | null;
  at: number;
  [column: string]: unknown;
}

export interface ReportRow {
  migration_id: string;
  report: string;
  updated_at: number;
  [column: string]: unknown;
}

export interface BatchRow {
  id: string;
  input: string;
  status: string;
  created_at: number;
  updated_at: number;
  [column: string]: unknown;
}

export interface BatchLevelRow {
  batch_id: string;
  level: number;
  phase: string;
  sync_owner: string | null;
  sync_expires_at: number | null;
  data: string;
  updated_at: number;
  [column: string]: unknown;
}

export const iso = (ms: number | string): string => new Date(Number(ms)).toISOString();

/** ISO string → epoch milliseconds (for imports); throws on anything that is not a date. */
export function epochMs(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError(`not a timestamp: ${JSON.stringify(value)}`);
  return ms;
}

function lease(owner: string | null, expiresAt: number | null): Lease | null {
  return owner === null || expiresAt === null ? null : { owner, expiresAt: iso(expiresAt) };
}

export function toMigration(row: MigrationRow): MigrationRecord {
  return {
    id: row.id,
    group: { address: row.group_address, objectGuid: row.group_object_guid },
    strategy: recordKindOf(row.strategy),
    options: JSON.parse(row.options) as JsonObject,
    status: row.status as MigrationStatus,
    currentStep: row.current_step,
    lease: lease(row.lease_owner, row.lease_expires_at),
    batchId: row.batch_id,
    batchLevel: row.batch_level === null ? null : Number(row.batch_level),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toJournalEntry(row: JournalRow): JournalEntry {
  return {
    migrationId: row.migration_id,
    seq: Number(row.seq),
    step: row.step,
    event: row.event as JournalEvent,
    data: JSON.parse(row.data) as JsonObject,
    at: iso(row.at),
  };
}

export function toBackup(row: BackupRow): BackupRecord {
  return {
    migrationId: row.migration_id,
    kind: row.kind,
    data: JSON.parse(row.data) as JsonValue,
    createdAt: iso(row.created_at),
  };
}

export function toFinding(row: FindingRow): FindingRecord {
  return {
    migrationId: row.migration_id,
    seq: Number(row.seq),
    code: row.code,
    severity: row.severity as Severity,
    attribute: row.attribute,
    subject: row.subject,
    message: row.message,
    step: row.step,
    at: iso(row.at),
  };
}

export function toReport(row: ReportRow): ReportRecord {
  return {
    migrationId: row.migration_id,
    report: JSON.parse(row.report) as JsonObject,
    updatedAt: iso(row.updated_at),
  };
}

export function toBatchLevel(row: BatchLevelRow): BatchLevelRecord {
  return {
    batchId: row.batch_id,
    level: Number(row.level),
    phase: row.phase,
    syncCoordinator: lease(row.sync_owner, row.sync_expires_at),
    data: JSON.parse(row.data) as JsonObject,
    updatedAt: iso(row.updated_at),
  };
}

export interface PermissionRow {
  mailbox: string;
  kind: string;
  folder: string;
  trustee: string;
  trustee_key: string;
  trustee_sid_key: string;
  access_rights: string;
  collected_at: number | string;
  [column: string]: unknown;
}

export function toPermission(row: PermissionRow): PermissionRecord {
  return {
    mailbox: row.mailbox,
    kind: row.kind as PermissionRecord['kind'],
    folder: row.folder,
    trustee: row.trustee,
    trusteeSid: row.trustee_sid_key,
    accessRights: JSON.parse(row.access_rights) as string[],
    collectedAt: iso(row.collected_at),
  };
}
