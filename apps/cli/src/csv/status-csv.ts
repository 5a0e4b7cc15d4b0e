// `status --csv`: one row per migration in the state store, or of one batch.
import type { StateStore } from '@dlmigrate/state';
import { UsageError } from '../errors.js';
import { STATUS_COLUMNS } from './tables.js';
import { writeCsvFile } from './write.js';

export async function writeStatusCsv(
  file: string,
  cwd: string,
  store: StateStore,
  batchId: string | undefined,
): Promise<string> {
  if (batchId !== undefined && (await store.getBatch(batchId)) === null)
    throw new UsageError(`There is no batch ${batchId}.`, [
      'dlmigrate status lists the migrations, with the batch each belongs to',
    ]);
  const migrations = await store.listMigrations(batchId === undefined ? undefined : { batchId });
  return writeCsvFile(file, cwd, STATUS_COLUMNS, migrations);
}
