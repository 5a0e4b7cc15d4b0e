// The tests' own PostgreSQL servers (src/postgres.ts) under a labs folder of this test: `lab down --all` stops a
// running one by its PID and removes its folder; a stale postmaster.pid naming a process that is not the cluster's
// server never gets that process signalled.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../src/local.js';
import { postgresClusters, startPostgresCluster, stopPostgresCluster } from '../src/postgres.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const run = promisify(execFile);
let root: string;
const saved = process.env.DLMIGRATE_LAB_DIR;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lab-postgres-'));
  chmodSync(root, 0o755); // the server runs as postgres and must reach its folder
  process.env.DLMIGRATE_LAB_DIR = root;
});
afterAll(async () => {
  for (const dir of await postgresClusters(root)) await stopPostgresCluster(dir);
  if (saved === undefined) delete process.env.DLMIGRATE_LAB_DIR;
  else process.env.DLMIGRATE_LAB_DIR = saved;
  rmSync(root, { recursive: true, force: true });
});

const lab = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', '--conditions=dlmigrate-source', CLI, ...args], {
    env: { ...process.env, DLMIGRATE_LAB_DIR: root },
  });

describe('the tests’ PostgreSQL servers', () => {
  it('lab down --all stops a running one by its PID and removes its folder', async () => {
    const cluster = await startPostgresCluster('down');
    const pid = Number(readFileSync(path.join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(isAlive(pid)).toBe(true);
    expect(await postgresClusters(root)).toEqual([cluster.dir]);

    const { stderr } = await lab('down', '--all');
    expect(stderr).toContain('PostgreSQL postgres-down stopped and removed');
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(cluster.dir)).toBe(false);
  }, 120_000);

  it('never signals a process a stale postmaster.pid names when it is not the cluster’s server', async () => {
    const dir = path.join(root, 'postgres-stale');
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    // This very process: alive, but its command line does not name the cluster's data folder.
    writeFileSync(path.join(dir, 'data', 'postmaster.pid'), `${process.pid}\n${path.join(dir, 'data')}\n`);
    expect(await stopPostgresCluster(dir)).toBe(false);
    const { stderr } = await lab('down', '--all');
    expect(stderr).toContain('PostgreSQL postgres-stale removed');
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});
