// Starting a provisioned DC and knowing when it answers.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'ldapts';
import type { InstancePaths } from './paths.js';
import { runningPid } from './processes.js';
import { run } from './run.js';

const LDAP_PORTS = [389, 636, 3268, 3269] as const;

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when any of the LDAP ports answers on `host`. */
export async function addressAnswers(host: string): Promise<boolean> {
  const answers = await Promise.all(LDAP_PORTS.map((port) => portAnswers(host, port)));
  return answers.some(Boolean);
}

/** Samba fails to bind (and only says so in its log) when another server holds a port; say it first. */
export async function assertPortsFree(host: string): Promise<void> {
  const busy: number[] = [];
  for (const port of LDAP_PORTS) if (await portAnswers(host, port)) busy.push(port);
  if (busy.length > 0) {
    throw new Error(
      `cannot start the lab on ${host}: port(s) ${busy.join(', ')} already answer there (another LDAP server?)`,
    );
  }
}

export async function startSamba(paths: InstancePaths): Promise<number> {
  const already = await runningPid(paths.pidFile);
  if (already !== null) return already;
  await fs.rm(paths.pidFile, { force: true });
  // TDB_NO_FSYNC: lab data is disposable, and without fsync every write is 2-3 times faster.
  await run('samba', ['-s', paths.smbConf, '-D'], {
    step: 'starting samba',
    env: { ...process.env, TDB_NO_FSYNC: '1' },
  });
  // -D returns once the daemon has forked; the pid file follows shortly after.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pid = await runningPid(paths.pidFile);
    if (pid !== null) return pid;
    if (Date.now() > deadline) throw new Error(`samba did not write ${paths.pidFile}; see ${paths.logFile}`);
    await sleep(25);
  }
}

export interface ReadyCheck {
  url: string; // ldaps://127.0.0.N:636
  caPem: string;
  bindDn: string;
  bindPassword: string;
  pidFile: string;
  logFile: string;
}

async function tailOf(file: string, lines = 20): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Ready means: an LDAPS simple bind with certificate verification on succeeds. That proves the
 * listener, the certificate chain and SANs, and the directory all at once. Fails early if samba died.
 */
export async function waitForLdaps(check: ReadyCheck, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    const client = new Client({
      url: check.url,
      connectTimeout: 2000,
      timeout: 5000,
      tlsOptions: { ca: [check.caPem] },
    });
    try {
      await client.bind(check.bindDn, check.bindPassword);
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await client.unbind().catch(() => undefined);
    }
    if ((await runningPid(check.pidFile)) === null) {
      throw new Error(
        `samba is not running (it stopped or never started); last lines of ${check.logFile}:\n${await tailOf(check.logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `lab not ready on ${check.url} after ${timeoutMs} ms: ${String((lastError as Error)?.message ?? lastError)}\n${await tailOf(check.logFile)}`,
      );
    }
    await sleep(100);
  }
}
