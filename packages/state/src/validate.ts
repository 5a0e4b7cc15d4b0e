// Input checks run before anything is written, so bad input changes nothing and says what to fix.
import { InvalidInputError } from './errors.js';
import { assertValidId } from './ids.js';
import { assertNoSecrets } from './secrets.js';
import {
  BATCH_STATUSES,
  FINDING_SEVERITIES,
  JOURNAL_EVENTS,
  MIGRATION_STATUSES,
  RECORD_KINDS,
  type BatchStatus,
  type NewFinding,
  type MigrationStatus,
  type NewJournalEntry,
  type NewMigration,
  type RecordKind,
} from './types.js';

function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(`${what} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function nonEmpty(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidInputError(`${what} must be a non-empty string; got ${JSON.stringify(value)}`);
  }
  return value;
}

function plainObject(what: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(`${what} must be a JSON object`);
  }
}

export const migrationStatus = (value: unknown): MigrationStatus =>
  oneOf('migration status', value, MIGRATION_STATUSES);

export const recordKindOf = (value: unknown): RecordKind => oneOf('strategy', value, RECORD_KINDS);

export const batchStatusOf = (value: unknown): BatchStatus => oneOf('batch status', value, BATCH_STATUSES);

export function checkNewMigration(input: NewMigration): void {
  if (input.id !== undefined) assertValidId('migration', input.id);
  nonEmpty('group address', input.group?.address);
  if (input.group.objectGuid != null) nonEmpty('group objectGuid', input.group.objectGuid);
  recordKindOf(input.strategy);
  if (input.status !== undefined) migrationStatus(input.status);
  if (input.options !== undefined) plainObject('migration options', input.options);
  assertNoSecrets('migration options', input.options ?? {}, 'settings');
  if (input.batch !== undefined) {
    assertValidId('batch', input.batch.id);
    checkLevel(input.batch.level);
  }
}

export function checkJournalEntry(entry: NewJournalEntry): void {
  nonEmpty('journal step', entry.step);
  oneOf('journal event', entry.event, JOURNAL_EVENTS);
  if (entry.data !== undefined) plainObject('journal data', entry.data);
  assertNoSecrets('journal data', entry.data ?? {}, 'record');
}

export function checkFinding(finding: NewFinding): void {
  nonEmpty('finding code', finding.code);
  oneOf('finding severity', finding.severity, FINDING_SEVERITIES);
  nonEmpty('finding message', finding.message);
}

// Backup kinds become file names in an export, hence the narrow form.
const BACKUP_KIND = /^[a-z][a-z0-9-]{0,63}$/;

export function checkBackupKind(kind: string): void {
  if (!BACKUP_KIND.test(kind)) {
    throw new InvalidInputError(
      `backup kind ${JSON.stringify(kind)} is not valid: use lower-case letters, digits and "-" (e.g. "onprem-group")`,
    );
  }
}

export function checkLeaseMs(leaseMs: number): void {
  if (!Number.isInteger(leaseMs) || leaseMs <= 0) {
    throw new InvalidInputError(
      `lease duration must be a positive whole number of milliseconds; got ${leaseMs}`,
    );
  }
}

export function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0) {
    throw new InvalidInputError(`batch level must be a whole number ≥ 0; got ${level}`);
  }
}
