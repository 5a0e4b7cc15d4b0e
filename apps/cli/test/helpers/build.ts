// vitest global setup: compile the workspace packages the command line imports, then the command line
// itself, so the tests run the real `dlmigrate` binary from dist/ exactly as it ships.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Workspace packages imported by apps/cli/src (their dist/ is what the built binary loads). */
const WORKSPACE_DEPENDENCIES = ['state', 'ad', 'exo', 'core', 'cloud-sim', 'lab'];

export default function setup(): void {
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = (cwd: string) =>
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd, stdio: 'pipe' });
  for (const name of WORKSPACE_DEPENDENCIES) {
    const folder = join(cli, '..', '..', 'packages', name);
    try {
      build(folder);
    } catch (error) {
      // The shared tree may hold another package mid-edit; its last good build still serves the binary.
      if (!existsSync(join(folder, 'dist', 'index.js'))) throw error;
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
      console.warn(
        `@dlmigrate/${name} does not compile right now; testing with its previous build.\n${output.slice(0, 2000)}`,
      );
    }
  }
  build(cli);
}
