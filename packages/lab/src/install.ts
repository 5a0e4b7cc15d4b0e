// Installing Samba on a Debian 12 machine (figures in packages/lab/README.md).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { withLock } from './lock.js';
import { labsRoot } from './paths.js';
import { assertRoot, hasCommand, run } from './run.js';

/**
 * samba-ad-provision is only a Recommends of samba-ad-dc, but it holds /usr/share/samba/setup,
 * without which provisioning fails, so it is listed explicitly.
 */
export const SAMBA_PACKAGES = [
  'samba',
  'samba-ad-dc',
  'samba-ad-provision',
  'samba-dsdb-modules',
  'samba-vfs-modules',
  'winbind',
  'ldb-tools',
  'ldap-utils',
  'krb5-user',
  'openssl',
] as const;

const REQUIRED_COMMANDS = ['samba', 'samba-tool', 'ldbmodify', 'openssl', 'cp'];
const PROVISION_SETUP_DIR = '/usr/share/samba/setup';
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

export async function missingPieces(): Promise<string[]> {
  const missing: string[] = [];
  for (const command of REQUIRED_COMMANDS) {
    if (!(await hasCommand(command))) missing.push(command);
  }
  if (!existsSync(PROVISION_SETUP_DIR)) missing.push(PROVISION_SETUP_DIR);
  return missing;
}

export interface InstallResult {
  installed: boolean;
  missingBefore: string[];
}

/** Install the Samba packages if anything is missing. Safe to call from several processes at once. */
export async function install(log: (line: string) => void = () => undefined): Promise<InstallResult> {
  const before = await missingPieces();
  if (before.length === 0) return { installed: false, missingBefore: [] };
  assertRoot('installing Samba');
  if (!(await hasCommand('apt-get'))) {
    throw new Error(
      `Samba is not installed (missing: ${before.join(', ')}) and this is not a Debian-like system with apt-get`,
    );
  }
  return withLock(path.join(labsRoot(), 'install.lock'), async () => {
    const stillMissing = await missingPieces();
    if (stillMissing.length === 0) return { installed: false, missingBefore: before };
    log(`installing Samba (missing: ${stillMissing.join(', ')})`);
    // Debian's maintainer scripts would start smbd/nmbd/samba-ad-dc with the system configuration;
    // a policy-rc.d that answers 101 ("action forbidden") stops that. Only while we install, and
    // only if the machine has none of its own.
    let addedPolicy = false;
    if (!existsSync(POLICY_RC_D)) {
      await fs.writeFile(POLICY_RC_D, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
      addedPolicy = true;
    }
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      await run('apt-get', ['update', '-qq'], { step: 'apt-get update', env });
      await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...SAMBA_PACKAGES], {
        step: 'apt-get install',
        env,
      });
    } finally {
      if (addedPolicy) await fs.rm(POLICY_RC_D, { force: true });
    }
    const after = await missingPieces();
    if (after.length > 0) throw new Error(`Samba install finished but still missing: ${after.join(', ')}`);
    log('Samba installed');
    return { installed: true, missingBefore: before };
  });
}
