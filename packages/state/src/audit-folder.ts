// A migration's audit trail as a folder of pretty JSON files an operator can read, archive and
// hand to `restore`; importing the folder into any store gives back the same records.
//   manifest.json        format and the list of files
//   migration.json       the migration (without a runner's lease)
//   journal.json         every step event, in order
//   findings.json        blocking / needs-action / info findings
//   report.json          the final report (only if there is one)
//   backups/<kind>.json  one file per backup, as captured
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { backupOf, findingOf, journalEntryOf, migrationOf, objectOf, reportOf } from './audit-records.js';
import { InvalidInputError } from './errors.js';
import { makeOwnerOnlyDir, writeOwnerOnlyFile } from './owner-only.js';
import { checkBackupKind } from './validate.js';
import type { BackupRecord, MigrationBundle, MigrationRecord, StateStore } from './types.js';

const EXPORT_FORMAT = 'dlmigrate-state-export/2';
/** Folders written before schema version 6 kept the findings in errors.json, each one's subject under `target`. */
const EXPORT_FORMAT_1 = 'dlmigrate-state-export/1';

interface Manifest {
  format: string;
  migrationId: string;
  files: string[];
}

const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the migration's files into `dir` (created 0700 if missing); returns the files' paths. */
export async function exportMigration(
  store: StateStore,
  migrationId: string,
  dir: string,
): Promise<string[]> {
  const bundle = await store.readMigrationBundle(migrationId);
  const files = new Map<string, unknown>([
    ['migration.json', bundle.migration],
    ['journal.json', bundle.journal],
    ['findings.json', bundle.findings],
  ]);
  if (bundle.report) files.set('report.json', bundle.report);
  for (const backup of bundle.backups) files.set(`backups/${backup.kind}.json`, backup);

  makeOwnerOnlyDir(dir);
  if (bundle.backups.length > 0) makeOwnerOnlyDir(join(dir, 'backups'));
  const written: string[] = [];
  for (const [name, content] of files) {
    await writeOwnerOnlyFile(join(dir, name), pretty(content));
    written.push(join(dir, name));
  }
  // The manifest goes last: a folder with a manifest is a complete export.
  const manifest: Manifest = { format: EXPORT_FORMAT, migrationId, files: [...files.keys()] };
  await writeOwnerOnlyFile(join(dir, 'manifest.json'), pretty(manifest));
  written.push(join(dir, 'manifest.json'));
  return written;
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function expectArray(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError(`${name} must hold a JSON array`);
  return value;
}

/** Reads an exported folder back into `store`, all or nothing; refuses if the migration exists there. */
export async function importMigration(store: StateStore, dir: string): Promise<MigrationRecord> {
  const manifest = objectOf('manifest.json', await readJson(dir, 'manifest.json'));
  if (manifest.format !== EXPORT_FORMAT && manifest.format !== EXPORT_FORMAT_1) {
    throw new InvalidInputError(
      `${join(dir, 'manifest.json')} has format ${JSON.stringify(manifest.format)}; this dlmigrate reads ${EXPORT_FORMAT} and ${EXPORT_FORMAT_1}`,
    );
  }
  const files = expectArray('manifest.json files', manifest.files).map(String);
  const migration = migrationOf(await readJson(dir, 'migration.json'));
  if (migration.id !== manifest.migrationId) {
    throw new InvalidInputError(
      `migration.json is about ${String(migration.id)}, the manifest about ${String(manifest.migrationId)}`,
    );
  }
  const backups: BackupRecord[] = [];
  for (const name of files.filter((file) => file.startsWith('backups/'))) {
    const kind = name.slice('backups/'.length, -'.json'.length);
    checkBackupKind(kind); // also keeps the path inside the folder
    backups.push(backupOf(await readJson(dir, name), name));
  }
  // A format 1 folder kept the findings in errors.json, each one's subject under `target`.
  const format1 = manifest.format === EXPORT_FORMAT_1;
  const findingsFile = format1 ? 'errors.json' : 'findings.json';
  const bundle: MigrationBundle = {
    migration,
    journal: expectArray('journal.json', await readJson(dir, 'journal.json')).map(journalEntryOf),
    findings: expectArray(findingsFile, await readJson(dir, findingsFile)).map((f, i) =>
      findingOf(f, i, format1),
    ),
    backups,
    report: files.includes('report.json') ? reportOf(await readJson(dir, 'report.json')) : null,
  };
  return store.writeMigrationBundle(bundle);
}
