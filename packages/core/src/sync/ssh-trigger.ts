// The `ssh` sync trigger: runs `Start-ADSyncSyncCycle -PolicyType Delta` on the Entra Connect server over
// SSH (Windows Server's OpenSSH server), the way an administrator would from a jump host.
//
// Why the ssh2 library rather than the system's `ssh` client: the outcome must be told apart exactly —
// the server's key is not the pinned one, the key was refused, the sync is busy, the command failed —
// and ssh2 reports these as structured events (our host key callback, authentication errors with a
// level, the remote exit code) instead of stderr text that varies between OpenSSH versions and
// platforms. It also needs no client binary on the jump host, and nothing of the running user's
// ~/.ssh/config, agent or known_hosts can silently change where or how it connects (a ProxyCommand, a
// different identity, trust-on-first-use). The process environment is never forwarded: ssh2 sends
// environment variables only when asked to, and this trigger asks for none.
//
// Safety: the host key must match the pin in the configuration before anything is sent (see
// ssh-host-key.ts); only public-key authentication is attempted (no password, keyboard-interactive or
// agent); the private key file must be owner-only (util/owner-only-file.ts).
//
// "Sync already running": Start-ADSyncSyncCycle refuses to start a cycle while one is in progress with a
// System.InvalidOperationException — "Sync is already running. Cannot start a new run till this one
// completes." or, while the Entra connector exports, "Connector: <tenant> - AAD is busy." (public
// reports and scripts that call it remotely; Microsoft's "Microsoft Entra Connect Sync: Scheduler" page,
// MicrosoftDocs/entra-docs docs/identity/hybrid/connect/how-to-connect-sync-feature-scheduler.md,
// documents Start-ADSyncSyncCycle and Get-ADSyncConnectorRunStatus for a busy engine but not the
// message). The cycle in progress may have started before our change reached the directory, so a new
// one is still needed: the trigger waits and tries again, a bounded number of times.
import ssh2 from 'ssh2';
import { readOwnerOnlyFile, UnsafeFileError } from '../util/owner-only-file.js';
import {
  hostKeyAlgorithmsFor,
  keyTypeOf,
  matchesPin,
  parseHostKeyPin,
  sha256Fingerprint,
  type HostKeyPin,
} from './ssh-host-key.js';
import { SyncTriggerError, type SyncTriggerLogEntry } from './trigger-types.js';

/** What runs on the Entra Connect server: Windows PowerShell, whichever default shell sshd uses. */
export const DEFAULT_SSH_SYNC_COMMAND =
  'powershell.exe -NoProfile -NonInteractive -Command "Import-Module ADSync; Start-ADSyncSyncCycle -PolicyType Delta"';

export interface SshTriggerConfig {
  readonly kind: 'ssh';
  readonly host: string;
  /** @defaultValue 22 */
  readonly port?: number;
  readonly username: string;
  /** An OpenSSH, PEM or PuTTY private key; must be owner-only. */
  readonly privateKeyFile: string;
  readonly privateKeyPassphrase?: string;
  /** known_hosts line, public key line or SHA256:… fingerprint of the server's host key. */
  readonly hostKey: string;
  /** @defaultValue DEFAULT_SSH_SYNC_COMMAND */
  readonly command?: string;
  /** One attempt: connect, authenticate, run. @defaultValue 120_000 */
  readonly timeoutMs?: number;
  /** Further attempts while the sync engine is busy. @defaultValue 10 */
  readonly busyRetries?: number;
  /** Wait between those attempts. @defaultValue 30_000 */
  readonly busyWaitMs?: number;
}

export interface SshTriggerHooks {
  readonly onLog?: (entry: SyncTriggerLogEntry) => void;
  readonly onWarning?: (message: string) => void;
}

/** Whether the command's output says a sync cycle is already in progress (see the header). */
export function saysSyncAlreadyRunning(output: string): boolean {
  return (
    /Sync is already running/i.test(output) ||
    (/InvalidOperationException/.test(output) && /\b(is busy|already running|in progress)\b/i.test(output))
  );
}

const OUTPUT_LIMIT = 16_384;
const DEFAULT_TIMEOUT_MS = 120_000;

interface Attempt {
  readonly exitCode: number | null;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runSshTrigger(config: SshTriggerConfig, hooks: SshTriggerHooks = {}): Promise<void> {
  const retries = config.busyRetries ?? 10;
  const waitMs = config.busyWaitMs ?? 30_000;
  const command = config.command ?? DEFAULT_SSH_SYNC_COMMAND;
  const target = `${config.username}@${config.host}:${config.port ?? 22}`;
  const pin = parseHostKeyPin(config.hostKey);
  const key = loadPrivateKey(config, hooks);
  for (let attempt = 1; ; attempt += 1) {
    const result = await runOnce(config, pin, key, command);
    const busy = result.exitCode !== 0 && saysSyncAlreadyRunning(`${result.stdout}\n${result.stderr}`);
    const outcome = result.exitCode === 0 ? 'accepted' : busy ? 'busy' : 'failed';
    hooks.onLog?.({
      kind: 'ssh',
      target,
      command,
      attempt,
      outcome,
      exitCode: result.exitCode,
      ...(result.signal !== undefined ? { signal: result.signal } : {}),
      stdout: result.stdout,
      stderr: result.stderr,
    });
    if (outcome === 'accepted') return;
    if (outcome === 'busy') {
      if (attempt > retries)
        throw new SyncTriggerError(
          `the sync engine on ${config.host} was still running a cycle after ${attempt} attempts ${waitMs / 1000} s apart; run dlmigrate resume once it is idle (Get-ADSyncConnectorRunStatus returns nothing)`,
          { code: 'SYNC_ALREADY_RUNNING' },
        );
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      continue;
    }
    const why =
      result.exitCode === null
        ? `was ended by signal ${result.signal ?? '?'}`
        : `exited with ${result.exitCode}`;
    const detail = lastLines(result.stderr || result.stdout);
    throw new SyncTriggerError(`the sync command on ${config.host} ${why}${detail ? `: ${detail}` : ''}`);
  }
}

function loadPrivateKey(config: SshTriggerConfig, hooks: SshTriggerHooks): Buffer {
  let data: Buffer;
  try {
    data = readOwnerOnlyFile(config.privateKeyFile, {
      what: 'the SSH private key',
      ...(hooks.onWarning !== undefined ? { onWarning: hooks.onWarning } : {}),
    });
  } catch (error) {
    if (error instanceof UnsafeFileError)
      throw new SyncTriggerError(error.message, { code: 'SYNC_SSH_KEY_UNUSABLE', cause: error });
    throw error;
  }
  const parsed = ssh2.utils.parseKey(data, config.privateKeyPassphrase);
  if (parsed instanceof Error)
    throw new SyncTriggerError(
      `the SSH private key ${config.privateKeyFile} cannot be used: ${parsed.message}${/passphrase/i.test(parsed.message) ? ' (set DLMIGRATE_SSH_KEY_PASSPHRASE)' : ''}`,
      { code: 'SYNC_SSH_KEY_UNUSABLE', cause: parsed },
    );
  if (Array.isArray(parsed) || parsed.isPrivateKey() !== true)
    throw new SyncTriggerError(`${config.privateKeyFile} does not hold one SSH private key`, {
      code: 'SYNC_SSH_KEY_UNUSABLE',
    });
  return data;
}

/** Connects, checks the pinned host key and authenticates; nothing is run. */
function connect(config: SshTriggerConfig, pin: HostKeyPin, key: Buffer): Promise<ssh2.Client> {
  const algorithms = hostKeyAlgorithmsFor(pin);
  const where = `${config.host}:${config.port ?? 22}`;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented: Buffer | undefined;
    client.once('ready', () => resolve(client));
    // `on`, not `once`: a connection that fails later must not throw an unhandled 'error' event.
    client.on('error', (error: Error & { level?: string }) => {
      client.end();
      if (presented !== undefined && !matchesPin(pin, presented)) {
        reject(
          new SyncTriggerError(
            `the SSH host key of ${where} does not match the pinned key: the server presented ${keyTypeOf(presented)} ${sha256Fingerprint(presented)}. Nothing was sent. If the server's key was really replaced, verify the new fingerprint on the server (ssh-keygen -lf) and update sync.hostKey`,
            { code: 'SYNC_SSH_HOST_KEY_MISMATCH', cause: error },
          ),
        );
      } else if (error.level === 'client-authentication') {
        reject(
          new SyncTriggerError(
            `${where} refused the SSH key for ${config.username}: add its public key to the account's authorized_keys on the Entra Connect server (for administrators: C:\\ProgramData\\ssh\\administrators_authorized_keys)`,
            { code: 'SYNC_SSH_AUTH_FAILED', cause: error },
          ),
        );
      } else {
        reject(new SyncTriggerError(`cannot reach ${where} over SSH: ${error.message}`, { cause: error }));
      }
    });
    client.connect({
      host: config.host,
      port: config.port ?? 22,
      username: config.username,
      privateKey: key,
      ...(config.privateKeyPassphrase !== undefined ? { passphrase: config.privateKeyPassphrase } : {}),
      // Public key only: no password, no keyboard-interactive, no agent.
      authHandler: ['publickey'],
      tryKeyboard: false,
      readyTimeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      hostVerifier: (hostKey: Buffer) => {
        presented = hostKey;
        return matchesPin(pin, hostKey);
      },
      ...(algorithms !== undefined
        ? { algorithms: { serverHostKey: algorithms as ssh2.ServerHostKeyAlgorithm[] } }
        : {}),
    });
  });
}

async function runOnce(
  config: SshTriggerConfig,
  pin: HostKeyPin,
  key: Buffer,
  command: string,
): Promise<Attempt> {
  const client = await connect(config, pin, key);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = `${config.host}:${config.port ?? 22}`;
  return new Promise<Attempt>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new SyncTriggerError(`the sync command on ${where} did not finish within ${timeoutMs / 1000} s`),
        ),
      timeoutMs,
    );
    client.on('error', (error: Error) =>
      reject(
        new SyncTriggerError(`the SSH connection to ${where} broke: ${error.message}`, { cause: error }),
      ),
    );
    client.exec(command, (error, stream) => {
      if (error) {
        clearTimeout(timer);
        reject(
          new SyncTriggerError(`${where} did not run the sync command: ${error.message}`, { cause: error }),
        );
        return;
      }
      let stdout = '';
      let stderr = '';
      let exitCode: number | null = null;
      let signal: string | undefined;
      stream.on('data', (chunk: Buffer) => (stdout = keepTail(stdout + chunk.toString('utf8'))));
      stream.stderr.on('data', (chunk: Buffer) => (stderr = keepTail(stderr + chunk.toString('utf8'))));
      stream.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code;
        signal = signalName;
      });
      stream.on('close', () => {
        clearTimeout(timer);
        resolve({ exitCode, signal, stdout, stderr });
      });
    });
  }).finally(() => client.end());
}

/**
 * What `doctor` checks: the key file, the server's host key against the pin, and that the key is
 * accepted — without running anything on the server (a sync cycle is a change).
 */
export async function probeSshTrigger(
  config: SshTriggerConfig,
  hooks: SshTriggerHooks = {},
): Promise<{ readonly target: string }> {
  const pin = parseHostKeyPin(config.hostKey);
  const key = loadPrivateKey(config, hooks);
  const client = await connect(config, pin, key);
  client.end();
  return { target: `${config.username}@${config.host}:${config.port ?? 22}` };
}

function keepTail(text: string): string {
  return text.length > OUTPUT_LIMIT ? text.slice(-OUTPUT_LIMIT) : text;
}

function lastLines(text: string): string {
  return text.trim().split(/\r?\n/).slice(-3).join(' | ');
}
