// Writing a CSV file for a command's --csv option: one call, the file owner-only (it names groups, members and
// findings, like the HTML report), the path relative to the working directory. Columns and rows come from
// tables.ts (or, for a new command, its own CsvColumn list: @dlmigrate/core's toCsv does the format).
import { toCsv, type CsvColumn } from '@dlmigrate/core';
import { writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Writes the rows under the columns' headers to `file` (relative to `cwd`) and returns the absolute path. */
export function writeCsvFile<Row>(
  file: string,
  cwd: string,
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row>,
): string {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    writeFileSync(path, toCsv(columns, rows), { mode: 0o600 });
  } catch (error) {
    throw new UsageError(
      `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return path;
}
