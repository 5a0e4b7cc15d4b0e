// Shared by the batch end-to-end tests and the runner child process: mail-enabled groups created in the lab the way
// Exchange stamps them, runner processes started as separate Node processes, and per-test PostgreSQL databases.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childDn, type ActiveDirectory } from '@dlmigrate/ad';
import type { BatchEvent } from '@dlmigrate/core';
import pg from 'pg';
import type { ChildConfig } from './world.js';

export interface NewGroup {
  readonly name: string;
  readonly alias: string;
  /** DNs of the members. */
  readonly members: readonly string[];
}

/** Creates mail-enabled universal distribution groups (Exchange's stamps) in `ou`; returns their DNs. */
export async function createMailGroups(
  ad: ActiveDirectory,
  ou: string,
  groups: readonly NewGroup[],
): Promise<string[]> {
  const dns: string[] = [];
  for (const g of groups) {
    const dn = childDn('CN', g.name, ou);
    await ad.connection.add(dn, {
      objectClass: ['top', 'group'],
      sAMAccountName: [g.alias.slice(0, 20)],
      groupType: ['8'],
      displayName: [g.name],
      mail: [`${g.alias}@contoso.com`],
      mailNickname: [g.alias],
      proxyAddresses: [`SMTP:${g.alias}@contoso.com`, `smtp:${g.alias}@contoso.mail.onmicrosoft.com`],
      legacyExchangeDN: [
        `/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${randomBytes(16).toString('hex')}-${g.alias}`,
      ],
      msExchRecipientDisplayType: ['1'],
      msExchRecipientTypeDetails: ['256'],
      ...(g.members.length > 0 ? { member: [...g.members] } : {}),
    });
    dns.push(dn);
  }
  return dns;
}

// ── runner processes ─────────────────────────────────────────────────────────────────────────────

/** `statePath` may be a SQLite path or a postgres:// URL. */
export interface RunnerConfig extends ChildConfig {
  readonly batchId: string;
  readonly runnerId: string;
  /** Lease of the runner's migrations (short in tests, so a killed runner's work is taken over soon). */
  readonly leaseMs: number;
}

export interface RunnerProcess {
  readonly process: ChildProcessWithoutNullStreams;
  readonly events: BatchEvent[];
  /** Resolves with the first event (past or future) that satisfies the predicate; rejects if the runner exits first. */
  waitFor(predicate: (event: BatchEvent) => boolean): Promise<BatchEvent>;
  readonly exited: Promise<number | NodeJS.Signals>;
  stderr(): string;
  /** The runner's last line: `done <status>` when it finished. */
  result(): string | undefined;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Starts test/src/batch-runner.ts as its own Node process, the way a second machine would run the batch. */
export function startRunner(config: RunnerConfig): RunnerProcess {
  // The config holds the test app's private key: owner-only file.
  const file = join(mkdtempSync(join(tmpdir(), 'dlmigrate-runner-')), 'config.json');
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=dlmigrate-source', join(here, 'batch-runner.ts'), file],
    {
      cwd: join(here, '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const events: BatchEvent[] = [];
  let last: string | undefined;
  let stderr = '';
  const waiters: {
    predicate: (e: BatchEvent) => boolean;
    resolve: (e: BatchEvent) => void;
    reject: (error: Error) => void;
  }[] = [];
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) {
      last = line;
      return;
    }
    const event = JSON.parse(line) as BatchEvent;
    events.push(event);
    for (const w of [...waiters]) {
      if (w.predicate(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(new Error(`runner ${config.runnerId} exited (${code ?? signal}) first; stderr:\n${stderr}`));
      resolve(code ?? (signal as NodeJS.Signals));
    }),
  );
  return {
    process: child,
    events,
    exited,
    stderr: () => stderr,
    result: () => last,
    waitFor: (predicate) => {
      const seen = events.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.reject(new Error(`runner already exited; stderr:\n${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
}

// ── PostgreSQL: one database per test run ──────────────────────────────────────────────────────────

const MAINTENANCE_URL = process.env['DLMIGRATE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function maintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: MAINTENANCE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (`<prefix>_<random>`) and returns its URL and a function that drops it. */
export async function freshPostgres(
  prefix = 'dlmigrate_batch',
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`not a database name prefix: ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await maintenance((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(MAINTENANCE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      maintenance(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
