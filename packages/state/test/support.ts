// Test support: a fresh store location per test for each engine, and child processes that run
// TypeScript against the store (the way separate runners would).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';
import pg from 'pg';

import type { Engine } from '../src/index.js';

/** The maintenance database used only to create and drop the per-test databases. */
const MAINTENANCE_URL = process.env.DLMIGRATE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface EngineUnderTest {
  engine: Engine;
  /** A new, empty store location (SQLite file path in a temp folder, or a new PostgreSQL database URL). */
  fresh(): Promise<string>;
  /** Removes every location handed out. */
  cleanup(): Promise<void>;
}

async function withMaintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: MAINTENANCE_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${MAINTENANCE_URL} (${(error as Error).message}); start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function sqliteEngine(): EngineUnderTest {
  const folders: string[] = [];
  return {
    engine: 'sqlite',
    fresh: async () => {
      const folder = mkdtempSync(join(tmpdir(), 'dlmigrate-state-'));
      folders.push(folder);
      return join(folder, 'state', 'dlmigrate.db');
    },
    cleanup: async () => {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    },
  };
}

function postgresEngine(): EngineUnderTest {
  const databases: string[] = [];
  return {
    engine: 'postgres',
    fresh: async () => {
      const name = `dlmigrate_test_${randomBytes(6).toString('hex')}`;
      await withMaintenance((client) => client.query(`CREATE DATABASE ${name}`));
      databases.push(name);
      const url = new URL(MAINTENANCE_URL);
      url.pathname = `/${name}`;
      return url.toString();
    },
    cleanup: async () => {
      const names = databases.splice(0);
      if (names.length === 0) return;
      await withMaintenance(async (client) => {
        for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

export const ENGINES: EngineUnderTest[] = [sqliteEngine(), postgresEngine()];

/**
 * Runs one statement ("?" placeholders) on the store at `location` on a connection of its own, past the store's code:
 * to write rows as an older dlmigrate did, or to look at the schema. Returns the rows (none for a write).
 */
export async function rawSql(
  location: string,
  sql: string,
  params: readonly (string | number | null)[] = [],
): Promise<Record<string, unknown>[]> {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      let n = 0;
      const result = await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        [...params],
      );
      return result.rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(location);
  try {
    const statement = db.prepare(sql);
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}

const here = dirname(fileURLToPath(import.meta.url));

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first line (past or future) that satisfies the predicate; rejects if the child exits first. */
  waitFor(predicate: (line: string) => boolean): Promise<string>;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals>;
  stderr(): string;
}

/** Runs test/children/<name>.ts as its own Node process. */
export function spawnChild(name: string, args: string[]): Child {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=dlmigrate-source', join(here, 'children', `${name}.ts`), ...args],
    { cwd: join(here, '..'), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let stderr = '';
  const waiters: {
    predicate: (line: string) => boolean;
    resolve: (line: string) => void;
    reject: (error: Error) => void;
  }[] = [];
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(`child ${name} exited (${code ?? signal}) before the expected line; stderr:\n${stderr}`),
        );
      }
      resolve(code ?? (signal as NodeJS.Signals));
    }),
  );
  return {
    process: child,
    lines,
    exited,
    stderr: () => stderr,
    waitFor: (predicate) => {
      const seen = lines.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(`child ${name} already exited; stderr:\n${stderr}`));
      }
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
}

/** Polls `probe` until it returns something other than null/undefined. The test timeout bounds it. */
export async function eventually<T>(probe: () => Promise<T | null | undefined>, everyMs = 100): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
