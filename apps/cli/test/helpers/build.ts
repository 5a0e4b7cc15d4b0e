// vitest global setup: compile the workspace packages the command line imports, then the command line
// itself, so the tests run the real `dlmigrate` binary from dist/ exactly as it ships.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Workspace packages imported by apps/cli/src (their dist/ is what the built binary loads). */
const WORKSPACE_DEPENDENCIES = ['ad', 'cloud-sim', 'lab'];

export default function setup(): void {
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = (cwd: string) => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd, stdio: 'inherit' });
  for (const name of WORKSPACE_DEPENDENCIES) build(join(cli, '..', '..', 'packages', name));
  build(cli);
}
