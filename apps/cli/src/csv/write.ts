// Writing a CSV file for a command's --csv option: one call, the file owner-only (it names groups, members and
// findings, like the HTML report), the path relative to the working directory. Columns and rows come from
// tables.ts (or, for a new command, its own CsvColumn list: @dlmigrate/core's toCsv does the format).
import { toCsv, type CsvColumn } from '@dlmigrate/core';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { writeOwnerOnly } from '../output/owner-only-file.js';

/** Writes the rows under the columns' headers to `file` (relative to `cwd`) and returns the absolute path. */
export function writeCsvFile<Row>(
  file: string,
  cwd: string,
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row>,
): string {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    writeOwnerOnly(path, toCsv(columns, rows));
  } catch (error) {
    throw new UsageError(
      `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return path;
}
