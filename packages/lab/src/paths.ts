// Where lab instances live: `<repo>/.lab/<name>/` (git-ignored), or `$DLMIGRATE_LAB_DIR/<name>/`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function assertInstanceName(name: string): void {
  if (!NAME.test(name)) {
    throw new Error(
      `invalid lab name ${JSON.stringify(name)}: use 1-31 lower-case letters, digits and dashes, starting with a letter or digit`,
    );
  }
}

/** The folder holding pnpm-workspace.yaml, found by walking up from `start`. */
function findRepoRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The folder that holds every lab instance, the IP registry and the locks. */
export function labsRoot(): string {
  const override = process.env.DLMIGRATE_LAB_DIR;
  if (override) return path.resolve(override);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = findRepoRoot(here) ?? findRepoRoot(process.cwd());
  if (!root) {
    throw new Error(
      'cannot find the repository root (pnpm-workspace.yaml); set DLMIGRATE_LAB_DIR to choose where labs live',
    );
  }
  return path.join(root, '.lab');
}

/** Every path of one instance. The live DC and its golden copy sit side by side. */
export interface InstancePaths {
  root: string; // .lab/<name>
  config: string; // lab.json: host, realm, password (0600)
  seed: string; // seed.json: the SeedResult of the golden state
  dc: string; // the live Samba DC (targetdir)
  golden: string; // stopped copy of dc taken after seeding
  smbConf: string;
  pidFile: string;
  logFile: string;
  tls: string;
  caFile: string;
  lock: string; // .lab/<name>.lock, outside root so destroy can remove root while holding it
}

export function instancePaths(name: string, root = labsRoot()): InstancePaths {
  assertInstanceName(name);
  const dir = path.join(root, name);
  const dc = path.join(dir, 'dc');
  return {
    root: dir,
    config: path.join(dir, 'lab.json'),
    seed: path.join(dir, 'seed.json'),
    dc,
    golden: path.join(dir, 'golden'),
    smbConf: path.join(dc, 'etc', 'smb.conf'),
    pidFile: path.join(dc, 'run', 'samba.pid'),
    logFile: path.join(dc, 'log', 'samba.log'),
    tls: path.join(dc, 'tls'),
    caFile: path.join(dc, 'tls', 'ca.pem'),
    lock: path.join(root, `${name}.lock`),
  };
}
