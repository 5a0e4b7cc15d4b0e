// The SSH sync trigger against a real sshd on 127.0.0.1 whose ForceCommand stands in for
// Start-ADSyncSyncCycle on the Entra Connect server (@dlmigrate/lab, src/entra-connect-ssh.ts).
import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncTrigger, probeSshTrigger, type SyncTriggerLogEntry } from '../src/index.js';
import { DEFAULT_SSH_SYNC_COMMAND, type SshTriggerConfig } from '../src/sync/ssh-trigger.js';
import { startEntraConnectSsh, type EntraConnectSsh } from '@dlmigrate/lab';

let sshd: EntraConnectSsh;

beforeAll(async () => {
  sshd = await startEntraConnectSsh();
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(() => sshd.behave({}));

function config(overrides: Partial<SshTriggerConfig> = {}): SshTriggerConfig {
  return {
    kind: 'ssh',
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKeyFile: sshd.clientKeyFile,
    hostKey: sshd.knownHostsEd25519,
    timeoutMs: 20_000,
    busyWaitMs: 50,
    ...overrides,
  };
}

function run(overrides: Partial<SshTriggerConfig> = {}) {
  const log: SyncTriggerLogEntry[] = [];
  const warnings: string[] = [];
  const trigger = createSyncTrigger(config(overrides), undefined, {
    onLog: (entry) => log.push(entry),
    onWarning: (message) => warnings.push(message),
  });
  return { trigger, log, warnings };
}

describe('ssh sync trigger against a local sshd', () => {
  it('runs Start-ADSyncSyncCycle once, logs its output and forwards no environment', async () => {
    const before = sshd.calls().length;
    process.env['DLMIGRATE_AD_PASSWORD'] = 'not-for-the-server';
    try {
      const { trigger, log } = run();
      await trigger.trigger();
      expect(log).toEqual([
        expect.objectContaining({
          kind: 'ssh',
          target: `${sshd.username}@127.0.0.1:${sshd.port}`,
          command: DEFAULT_SSH_SYNC_COMMAND,
          attempt: 1,
          outcome: 'accepted',
          exitCode: 0,
          stdout: expect.stringContaining('Success'),
        }),
      ]);
    } finally {
      delete process.env['DLMIGRATE_AD_PASSWORD'];
    }
    const calls = sshd.calls().slice(before);
    expect(calls.map((c) => c.command)).toEqual([
      'powershell.exe -NoProfile -NonInteractive -Command "Import-Module ADSync; Start-ADSyncSyncCycle -PolicyType Delta"',
    ]);
    // sshd accepts DLMIGRATE_* (AcceptEnv), so the secret would arrive if the client sent it.
    expect(calls[0]!.envNames.filter((name) => name.startsWith('DLMIGRATE_'))).toEqual([]);
  });

  it("pins by SHA256 fingerprint, and by a known_hosts line of another of the server's keys", async () => {
    await run({ hostKey: sshd.fingerprintEd25519 }).trigger.trigger();
    // The server has an ed25519 and an ECDSA key; the pinned ECDSA line must make it present the ECDSA one.
    await run({ hostKey: sshd.knownHostsEcdsa }).trigger.trigger();
  });

  it('refuses a server whose host key is not the pinned one, before sending anything', async () => {
    const before = sshd.calls().length;
    const other = sshd.newKey('impostor');
    const { trigger } = run({ hostKey: other.publicKey });
    const error = await trigger.trigger().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SYNC_SSH_HOST_KEY_MISMATCH',
      message: expect.stringContaining(sshd.fingerprintEd25519),
    });
    const wrongFingerprint = await run({ hostKey: 'SHA256:' + 'A'.repeat(43) })
      .trigger.trigger()
      .catch((e: unknown) => e);
    expect(wrongFingerprint).toMatchObject({ code: 'SYNC_SSH_HOST_KEY_MISMATCH' });
    expect(sshd.calls().length).toBe(before);
  });

  it('reports a refused key as an authentication failure', async () => {
    const before = sshd.calls().length;
    const stranger = sshd.newKey('stranger');
    const error = await run({ privateKeyFile: stranger.privateKeyFile })
      .trigger.trigger()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SYNC_SSH_AUTH_FAILED',
      message: expect.stringContaining('refused the SSH key'),
    });
    expect(sshd.calls().length).toBe(before);
  });

  it('waits while a sync cycle is running, then starts one', async () => {
    sshd.behave({ busy: 2 });
    const { trigger, log } = run({ busyRetries: 3 });
    await trigger.trigger();
    expect(log.map((entry) => [entry.attempt, entry.outcome])).toEqual([
      [1, 'busy'],
      [2, 'busy'],
      [3, 'accepted'],
    ]);
    expect(log[0]!.stderr).toContain('Sync is already running');
  });

  it('gives up with SYNC_ALREADY_RUNNING after the bounded retries', async () => {
    sshd.behave({ busy: 5 });
    const { trigger, log } = run({ busyRetries: 1 });
    await expect(trigger.trigger()).rejects.toMatchObject({ code: 'SYNC_ALREADY_RUNNING' });
    expect(log.map((entry) => entry.outcome)).toEqual(['busy', 'busy']);
  });

  it('fails with the remote error when the command fails otherwise (no retry)', async () => {
    sshd.behave({ fail: true });
    const { trigger, log } = run();
    await expect(trigger.trigger()).rejects.toMatchObject({
      code: 'SYNC_TRIGGER_FAILED',
      message: expect.stringMatching(/exited with 1: Import-Module : The specified module 'ADSync'/),
    });
    expect(log).toHaveLength(1);
  });

  it('refuses a private key file that others can read, without connecting', async () => {
    const before = sshd.calls().length;
    const loose = sshd.newKey('loose');
    chmodSync(loose.privateKeyFile, 0o644);
    const error = await run({ privateKeyFile: loose.privateKeyFile })
      .trigger.trigger()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SYNC_SSH_KEY_UNUSABLE',
      message: expect.stringContaining(`chmod 600 ${loose.privateKeyFile}`),
    });
    expect(sshd.calls().length).toBe(before);
  });

  it('probes (host key, key accepted) without running anything on the server', async () => {
    const before = sshd.calls().length;
    await expect(probeSshTrigger(config())).resolves.toEqual({
      target: `${sshd.username}@127.0.0.1:${sshd.port}`,
    });
    await expect(probeSshTrigger(config({ hostKey: sshd.newKey('other').publicKey }))).rejects.toMatchObject({
      code: 'SYNC_SSH_HOST_KEY_MISMATCH',
    });
    expect(sshd.calls().length).toBe(before);
  });
});
