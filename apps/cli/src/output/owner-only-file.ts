// Files the CLI writes for the administrator (HTML reports, CSV exports) hold directory data: owner-only, also when
// the file already existed with wider permissions (writeFileSync's `mode` applies only to a file it creates).
import { chmodSync, writeFileSync } from 'node:fs';

export function writeOwnerOnly(file: string, text: string): void {
  // Emptied and tightened first, so the content never sits in a file others may read.
  writeFileSync(file, '', { mode: 0o600 });
  chmodSync(file, 0o600);
  writeFileSync(file, text, { mode: 0o600 });
}
