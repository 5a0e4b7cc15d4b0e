// The records of an audit folder (audit-folder.ts) read back field by field, not cast: a file edited by hand,
// damaged, or written by something else is refused with STATE_INVALID_INPUT naming the file and the field, before
// anything is written to the store. What a field may hold is then checked by the store's own input checks
// (validate.ts, store/bundle.ts).
import { InvalidInputError } from './errors.js';
import { isFields, isJson, type Fields } from './json.js';
import { migrationStatus, recordKindOf } from './validate.js';
import {
  FINDING_SEVERITIES,
  JOURNAL_EVENTS,
  type BackupRecord,
  type FindingRecord,
  type JournalEntry,
  type JsonObject,
  type MigrationRecord,
  type ReportRecord,
} from './types.js';

export function objectOf(what: string, value: unknown): Fields {
  if (!isFields(value)) throw new InvalidInputError(`${what} must hold a JSON object`);
  return value;
}

function stringOf(what: string, fields: Fields, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string') throw new InvalidInputError(`${what}: ${name} must be a string`);
  return value;
}

function nullableStringOf(what: string, fields: Fields, name: string): string | null {
  const value = fields[name] ?? null;
  if (value !== null && typeof value !== 'string')
    throw new InvalidInputError(`${what}: ${name} must be a string or null`);
  return value;
}

function integerOf(what: string, fields: Fields, name: string): number {
  const value = fields[name];
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new InvalidInputError(`${what}: ${name} must be an integer`);
  return value;
}

function oneOfField<T extends string>(what: string, fields: Fields, name: string, allowed: readonly T[]): T {
  const value = fields[name];
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new InvalidInputError(
      `${what}: ${name} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`,
    );
  return found;
}

function jsonObjectOf(what: string, fields: Fields, name: string): JsonObject {
  const value = fields[name];
  if (!isFields(value) || !isJson(value))
    throw new InvalidInputError(`${what}: ${name} must be a JSON object`);
  return value;
}

export function migrationOf(value: unknown): Omit<MigrationRecord, 'lease'> {
  const what = 'migration.json';
  const fields = objectOf(what, value);
  const group = objectOf(`${what}: group`, fields['group']);
  return {
    id: stringOf(what, fields, 'id'),
    group: {
      address: stringOf(`${what}: group`, group, 'address'),
      objectGuid: nullableStringOf(`${what}: group`, group, 'objectGuid'),
    },
    strategy: recordKindOf(fields['strategy']),
    options: jsonObjectOf(what, fields, 'options'),
    status: migrationStatus(fields['status']),
    currentStep: nullableStringOf(what, fields, 'currentStep'),
    batchId: nullableStringOf(what, fields, 'batchId'),
    batchLevel: fields['batchLevel'] == null ? null : integerOf(what, fields, 'batchLevel'),
    createdAt: stringOf(what, fields, 'createdAt'),
    updatedAt: stringOf(what, fields, 'updatedAt'),
  };
}

export function journalEntryOf(value: unknown, index: number): JournalEntry {
  const what = `journal.json entry ${index + 1}`;
  const fields = objectOf(what, value);
  return {
    migrationId: stringOf(what, fields, 'migrationId'),
    seq: integerOf(what, fields, 'seq'),
    step: stringOf(what, fields, 'step'),
    event: oneOfField(what, fields, 'event', JOURNAL_EVENTS),
    data: jsonObjectOf(what, fields, 'data'),
    at: stringOf(what, fields, 'at'),
  };
}

/** A finding of findings.json (format 2), or of errors.json (format 1: its subject under `target`). */
export function findingOf(value: unknown, index: number, format1: boolean): FindingRecord {
  const what = `${format1 ? 'errors.json' : 'findings.json'} entry ${index + 1}`;
  const fields = objectOf(what, value);
  return {
    migrationId: stringOf(what, fields, 'migrationId'),
    seq: integerOf(what, fields, 'seq'),
    code: stringOf(what, fields, 'code'),
    severity: oneOfField(what, fields, 'severity', FINDING_SEVERITIES),
    message: stringOf(what, fields, 'message'),
    attribute: nullableStringOf(what, fields, 'attribute'),
    subject: nullableStringOf(what, fields, format1 ? 'target' : 'subject'),
    step: nullableStringOf(what, fields, 'step'),
    at: stringOf(what, fields, 'at'),
  };
}

export function backupOf(value: unknown, file: string): BackupRecord {
  const fields = objectOf(file, value);
  const data = fields['data'];
  if (!isJson(data)) throw new InvalidInputError(`${file}: data must be JSON`);
  return {
    migrationId: stringOf(file, fields, 'migrationId'),
    kind: stringOf(file, fields, 'kind'),
    data,
    createdAt: stringOf(file, fields, 'createdAt'),
  };
}

export function reportOf(value: unknown): ReportRecord {
  const what = 'report.json';
  const fields = objectOf(what, value);
  return {
    migrationId: stringOf(what, fields, 'migrationId'),
    report: jsonObjectOf(what, fields, 'report'),
    updatedAt: stringOf(what, fields, 'updatedAt'),
  };
}
