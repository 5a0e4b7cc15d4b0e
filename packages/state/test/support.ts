// Test support: a fresh store location per test for each engine, and child processes that run
// TypeScript against the store (the way separate runners would).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';
import pg from 'pg';

import type { Engine } from '../src/index.js';
import {
  spawnWatched,
  throwawayPostgres,
  type ThrowawayDatabase,
  type WatchedProcess,
} from '../src/testing.js';

export interface EngineUnderTest {
  engine: Engine;
  /** A new, empty store location (SQLite file path in a temp folder, or a new PostgreSQL database URL). */
  fresh(): Promise<string>;
  /** Removes every location handed out. */
  cleanup(): Promise<void>;
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
  const databases: ThrowawayDatabase[] = [];
  return {
    engine: 'postgres',
    fresh: async () => {
      const database = await throwawayPostgres('dlmigrate_test');
      databases.push(database);
      return database.url;
    },
    cleanup: async () => {
      for (const database of databases.splice(0)) await database.drop();
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

/** A child process of test/children/; its stdout lines, every one of them. */
export type Child = WatchedProcess<string> & { readonly lines: string[] };

/** Runs test/children/<name>.ts as its own Node process. */
export function spawnChild(name: string, args: string[]): Child {
  const child = spawnWatched(join(here, 'children', `${name}.ts`), args, {
    cwd: join(here, '..'),
    label: `child ${name}`,
    parse: (line) => line,
  });
  return Object.assign(child, { lines: child.items });
}

/** Polls `probe` until it returns something other than null/undefined. The test timeout bounds it. */
export async function eventually<T>(probe: () => Promise<T | null | undefined>, everyMs = 100): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
