// The Entra Connect server as the `ssh` sync trigger sees it: a real OpenSSH server (Debian's
// /usr/sbin/sshd, installed by scripts/services.sh) on 127.0.0.1 with its own config, host keys, port and
// authorized key, stopped by the PID it was started with. Every login runs a stand-in for the server's
// PowerShell (sshd's ForceCommand): it records the command it was asked to run and the environment it got,
// and answers like Start-ADSyncSyncCycle — success, "sync already running", or another failure — as told.
// On success it can start the simulated tenant's sync (cloud-sim's sync endpoint), so that a migration
// run with `sync.kind: "ssh"` in the lab goes through the whole path.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './local.js';

const SSHD = '/usr/sbin/sshd';

export interface StandInCall {
  readonly command: string;
  readonly envNames: readonly string[];
}

export interface EntraConnectSshOptions {
  /** Where a successful call POSTs to start a sync cycle (cloud-sim's /_sim/sync/run), and its CA. */
  readonly syncUrl?: string;
  readonly syncCaPem?: string;
}

export interface EntraConnectSsh {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly username: string;
  readonly dir: string;
  /** Owner-only private key whose public half is authorized. */
  readonly clientKeyFile: string;
  /** known_hosts lines of the server's two host keys. */
  readonly knownHostsEd25519: string;
  readonly knownHostsEcdsa: string;
  /** `SHA256:…` of the ed25519 host key, as ssh-keygen -lf prints it. */
  readonly fingerprintEd25519: string;
  /** The next `busy` calls answer "sync already running"; `fail` makes every call fail otherwise. */
  behave(behaviour: { busy?: number; fail?: boolean }): void;
  calls(): StandInCall[];
  /** A key pair sshd knows nothing about (owner-only private key file). */
  newKey(name: string): { privateKeyFile: string; publicKey: string };
  stop(): Promise<void>;
}

export async function startEntraConnectSsh(options: EntraConnectSshOptions = {}): Promise<EntraConnectSsh> {
  if (!existsSync(SSHD))
    throw new Error(`${SSHD} is missing: run bash scripts/services.sh (installs Debian's openssh-server)`);
  const dir = mkdtempSync(join(tmpdir(), 'dlmigrate-sshd-'));
  chmodSync(dir, 0o700);
  const keygen = (file: string, type: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `test-${type}`, '-f', file]);
  keygen(join(dir, 'host_ed25519'), 'ed25519');
  keygen(join(dir, 'host_ecdsa'), 'ecdsa');
  keygen(join(dir, 'client'), 'ed25519');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')), { mode: 0o600 });

  const standIn = join(dir, 'stand-in.mjs');
  writeFileSync(standIn, standInScript(dir, options), { mode: 0o700 });
  writeFileSync(join(dir, 'behaviour.json'), JSON.stringify({ busy: 0, fail: false }));
  writeFileSync(join(dir, 'calls.jsonl'), '');

  const port = await freeLoopbackPort();
  const username = userInfo().username;
  const config = [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `HostKey ${join(dir, 'host_ecdsa')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `AllowUsers ${username}`,
    `ForceCommand ${standIn}`,
    // Would let a client's environment through: the trigger must not send any.
    'AcceptEnv DLMIGRATE_* LANG LC_*',
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding no',
    'X11Forwarding no',
    'PrintMotd no',
    'LogLevel VERBOSE',
  ].join('\n');
  writeFileSync(join(dir, 'sshd_config'), `${config}\n`);
  // sshd refuses to start without its privilege separation folder (Debian creates it at service start).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let log = '';
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForBanner(port, () => log, child);
  } catch (error) {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const knownHosts = (name: string) =>
    `[127.0.0.1]:${port} ${readFileSync(join(dir, `${name}.pub`), 'utf8')
      .trim()
      .split(/\s+/)
      .slice(0, 2)
      .join(' ')}`;
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_ed25519.pub')])
    .toString()
    .split(/\s+/)[1]!;
  return {
    host: '127.0.0.1',
    port,
    username,
    dir,
    clientKeyFile: join(dir, 'client'),
    knownHostsEd25519: knownHosts('host_ed25519'),
    knownHostsEcdsa: knownHosts('host_ecdsa'),
    fingerprintEd25519: fingerprint,
    behave: (behaviour) =>
      writeFileSync(
        join(dir, 'behaviour.json'),
        JSON.stringify({ busy: behaviour.busy ?? 0, fail: behaviour.fail ?? false }),
      ),
    calls: () =>
      readFileSync(join(dir, 'calls.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StandInCall),
    newKey: (name) => {
      const file = join(dir, name);
      keygen(file, 'ed25519');
      return { privateKeyFile: file, publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The ForceCommand: a Node script (absolute interpreter path: sshd gives it a bare environment). */
function standInScript(dir: string, options: EntraConnectSshOptions): string {
  return `#!${process.execPath}
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as plainRequest } from 'node:http';
const dir = ${JSON.stringify(dir)};
const syncUrl = ${JSON.stringify(options.syncUrl ?? null)};
const syncCa = ${JSON.stringify(options.syncCaPem ?? null)};
appendFileSync(dir + '/calls.jsonl', JSON.stringify({
  command: process.env.SSH_ORIGINAL_COMMAND ?? '',
  envNames: Object.keys(process.env),
}) + '\\n');
const behaviour = JSON.parse(readFileSync(dir + '/behaviour.json', 'utf8'));
if (behaviour.busy > 0) {
  writeFileSync(dir + '/behaviour.json', JSON.stringify({ ...behaviour, busy: behaviour.busy - 1 }));
  process.stderr.write([
    'Start-ADSyncSyncCycle : System.InvalidOperationException: Sync is already running. Cannot start a new run till this one completes.',
    '   at Microsoft.MetadirectoryServices.Scheduler.Scheduler.StartSyncCycle(String overridePolicy, Boolean interactiveMode)',
    '    + CategoryInfo          : WriteError: (Microsoft.Ident...ADSyncSyncCycle:StartADSyncSyncCycle) [Start-ADSyncSyncCycle], InvalidOperationException',
    '',
  ].join('\\r\\n'));
  process.exit(1);
}
if (behaviour.fail) {
  process.stderr.write("Import-Module : The specified module 'ADSync' was not loaded because no valid module file was found in any module directory.\\r\\n");
  process.exit(1);
}
if (syncUrl !== null) {
  const url = new URL(syncUrl);
  const send = url.protocol === 'https:' ? request : plainRequest;
  const status = await new Promise((resolve) => {
    const req = send(url, { method: 'POST', ...(syncCa ? { ca: syncCa } : {}) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (error) => resolve(error.message));
    req.end();
  });
  if (status !== 200 && status !== 202) {
    process.stderr.write('Start-ADSyncSyncCycle : the simulated sync answered ' + status + '\\r\\n');
    process.exit(1);
  }
}
process.stdout.write('\\r\\nResult\\r\\n------\\r\\nSuccess\\r\\n\\r\\n');
`;
}

/** Ready when the server sends its "SSH-2.0-…" identification. */
async function waitForBanner(port: number, log: () => string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
    const banner = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString());
      });
      socket.once('error', () => resolve(''));
      socket.setTimeout(500, () => {
        socket.destroy();
        resolve('');
      });
    });
    if (banner.startsWith('SSH-2.0-')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port}:\n${log()}`);
}
