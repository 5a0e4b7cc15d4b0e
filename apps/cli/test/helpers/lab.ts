// The lab instance "cli" in its freshly seeded state, brought up through the binary itself, and an LDAPS
// connection to it for checking what the commands did in the directory.
import { ActiveDirectory } from '@dlmigrate/ad';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { dlmigrate } from './cli.js';

interface FreshLab {
  /** What a command needs to run against the lab: its config and its password file. */
  readonly env: Record<string, string>;
  readonly config: string;
  readonly adPasswordFile: string;
}

async function freshLab(cwd: string): Promise<FreshLab> {
  const up = await dlmigrate(['lab', 'up', '--name', 'cli'], { cwd });
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr}`);
  const fresh = await dlmigrate(['lab', 'reset', '--name', 'cli', '--json'], { cwd });
  if (fresh.code !== 0) throw new Error(`lab reset failed: ${fresh.stderr}`);
  const lab = JSON.parse(fresh.stdout) as { config: string; adPasswordFile: string };
  return { env: { DLMIGRATE_CONFIG: lab.config, DLMIGRATE_AD_PASSWORD_FILE: lab.adPasswordFile }, ...lab };
}

function labDirectory(lab: FreshLab): ActiveDirectory {
  const config = JSON.parse(readFileSync(lab.config, 'utf8')) as {
    ad: { url: string; caFile: string; bindDn: string };
  };
  return new ActiveDirectory({
    url: config.ad.url,
    caFile: config.ad.caFile,
    bindDn: config.ad.bindDn,
    password: readFileSync(lab.adPasswordFile, 'utf8').trim(),
  });
}

/**
 * For a test file that works on the lab: a fresh lab before its tests, an LDAPS connection to check the
 * directory, and the lab stopped afterwards (never left running, even after a failure).
 */
export function useFreshLab(cwd: string): {
  readonly env: () => Record<string, string>;
  readonly ad: () => ActiveDirectory;
} {
  let lab: FreshLab | undefined;
  let directory: ActiveDirectory | undefined;
  beforeAll(async () => {
    lab = await freshLab(cwd);
    directory = labDirectory(lab);
  }, 600_000);
  afterAll(async () => {
    await directory?.close();
    await dlmigrate(['lab', 'down', '--name', 'cli'], { cwd });
  });
  return {
    env: () => lab!.env,
    ad: () => directory!,
  };
}
