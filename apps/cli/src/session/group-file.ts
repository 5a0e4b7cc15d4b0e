// The group list an administrator hands over as a file (one address a line, or a CSV export), read as text;
// @dlmigrate/core parses it, so `plan --file` and `batch --file` accept exactly the same files.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export function readGroupFile(file: string, cwd: string): string {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
