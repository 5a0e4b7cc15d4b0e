// Files holding state are owner-only: folders 0700, files 0600, whatever the umask says.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { chmod, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_DIR = 0o700;

/** Creates the missing folders of `dir` owner-only; folders that already exist are left as they are. */
export function makeOwnerOnlyDir(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; !existsSync(current); current = dirname(current)) missing.unshift(current);
  for (const folder of missing) {
    mkdirSync(folder, { mode: OWNER_ONLY_DIR });
    chmodSync(folder, OWNER_ONLY_DIR); // mkdir's mode is filtered by the umask
  }
}

/** Writes the file whole (temporary file + rename), so a reader never sees half of it. */
export async function writeOwnerOnlyFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: OWNER_ONLY_FILE });
  await chmod(temporary, OWNER_ONLY_FILE);
  await rename(temporary, path);
}
