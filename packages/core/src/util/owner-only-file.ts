// Reading a file that holds a secret (an SSH private key): refused unless only its owner — the user
// running dlmigrate — can read or write it, the rule OpenSSH applies to its own key files. Windows has no
// POSIX mode bits (Node reports 0o666 for every file), so there the check degrades to a warning that
// names the file; the ACLs are the administrator's to set.
import { readFileSync, statSync } from 'node:fs';
import { CoreError } from '../errors/core-error.js';

export class UnsafeFileError extends CoreError {
  declare readonly code: 'FILE_NOT_OWNER_ONLY';
  constructor(message: string) {
    super('FILE_NOT_OWNER_ONLY', message);
  }
}

export interface OwnerOnlyReadOptions {
  /** What the file is, for messages: "the SSH private key". */
  readonly what: string;
  readonly onWarning?: (message: string) => void;
  /** @defaultValue process.platform */
  readonly platform?: NodeJS.Platform;
}

export function readOwnerOnlyFile(path: string, options: OwnerOnlyReadOptions): Buffer {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UnsafeFileError(`cannot read ${options.what} ${path}: ${code}`);
  }
  if (!stat.isFile()) throw new UnsafeFileError(`${options.what} ${path} is not a file`);
  if ((options.platform ?? process.platform) === 'win32') {
    options.onWarning?.(
      `${options.what} ${path}: file permissions cannot be checked on Windows; make sure only you can read it`,
    );
  } else {
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid)
      throw new UnsafeFileError(
        `${options.what} ${path} belongs to user id ${stat.uid}, not to the user running dlmigrate (${uid})`,
      );
    if ((stat.mode & 0o077) !== 0)
      throw new UnsafeFileError(
        `${options.what} ${path} can be read or changed by others (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}); make it owner-only: chmod 600 ${path}`,
      );
  }
  return readFileSync(path);
}
