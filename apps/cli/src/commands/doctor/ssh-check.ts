// doctor's check of the `ssh` sync trigger: the key file is owner-only and usable, the Entra Connect
// server presents the pinned host key and accepts the key. Nothing runs on the server (a sync cycle
// would be a change); whether the account may run Start-ADSyncSyncCycle shows on the first migration.
import { probeSshTrigger, SyncTriggerError } from '@dlmigrate/core';
import type { SyncConfig } from '../../config/schema.js';
import { syncTriggerConfig } from '../../session/open-engine.js';
import type { CheckResult } from './checks.js';

const FIXES: Record<string, string> = {
  SYNC_SSH_HOST_KEY_MISMATCH:
    "compare with the server's key (ssh-keygen -lf C:\\ProgramData\\ssh\\ssh_host_ed25519_key.pub on the Entra Connect server) and update sync.hostKey only if the change is expected",
  SYNC_SSH_AUTH_FAILED:
    "put the key's public half in the account's authorized_keys on the server (administrators: C:\\ProgramData\\ssh\\administrators_authorized_keys)",
  SYNC_SSH_KEY_UNUSABLE:
    'make the key file owner-only (chmod 600), or set DLMIGRATE_SSH_KEY_PASSPHRASE for an encrypted key',
  SYNC_TRIGGER_FAILED:
    'check sync.host and sync.port, and that the OpenSSH server runs on the Entra Connect server',
};

export async function checkSshTrigger(
  sync: SyncConfig,
  sshKeyPassphrase: string | undefined,
  warnings: (message: string) => void,
): Promise<CheckResult> {
  const title = 'sync trigger "ssh" is usable';
  const config = syncTriggerConfig(sync, sshKeyPassphrase);
  if (config.kind !== 'ssh') throw new Error('checkSshTrigger needs sync.kind "ssh"');
  try {
    const { target } = await probeSshTrigger(config, { onWarning: warnings });
    return {
      id: 'sync-trigger',
      title,
      status: 'ok',
      detail: `${target}: host key matches the pin, key accepted`,
    };
  } catch (error) {
    const code = error instanceof SyncTriggerError ? error.code : 'SYNC_TRIGGER_FAILED';
    return {
      id: 'sync-trigger',
      title,
      status: 'fail',
      detail: `${code}: ${(error as Error).message}`,
      fix: FIXES[code] ?? FIXES['SYNC_TRIGGER_FAILED']!,
    };
  }
}
