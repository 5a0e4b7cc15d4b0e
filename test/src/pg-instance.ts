// A PostgreSQL server of the test's own, which the test may stop and start again (the fault matrix's "PostgreSQL
// restarted mid-batch"): initdb and pg_ctl of the installed PostgreSQL 15, a cluster under the lab folder
// (`.lab/postgres-<name>/`, next to the Samba instances, git-ignored), listening on 127.0.0.1 only at a free port.
// The machine's own PostgreSQL (scripts/services.sh), shared by everyone, is never touched. Stopped by the PID in the
// cluster's postmaster.pid, never by name. The server runs as the postgres user (it refuses root); only loopback
// connections reach it, trusted (a throw-away test cluster holding no secret).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { freeLoopbackPort, isAlive, labsRoot } from '@dlmigrate/lab';
import pg from 'pg';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface PgInstance {
  readonly port: number;
  /** A new empty database on this server; `drop` removes it. */
  freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }>;
  /** Fast shutdown (SIGINT to the postmaster's PID: open connections are cut), then start again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const asPostgres = (command: string, args: readonly string[]) =>
  run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args]);

function postmasterPid(data: string): number | undefined {
  const file = join(data, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function stopByPid(data: string): Promise<void> {
  const pid = postmasterPid(data);
  if (pid === undefined || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
  for (let i = 0; i < 600 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) did not stop within 60 s`);
}

/** Creates the cluster `.lab/postgres-<name>` if needed and starts it on a free loopback port. */
export async function startPgInstance(name: string): Promise<PgInstance> {
  const dir = join(labsRoot(), `postgres-${name}`);
  const data = join(dir, 'data');
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  mkdirSync(dir, { recursive: true });
  chownSync(dir, uid, gid);
  if (!existsSync(join(data, 'PG_VERSION')))
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  await stopByPid(data); // a server a killed test run left behind
  const port = await freeLoopbackPort();
  const start = () =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`,
      'start',
    ]);
  await start();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const maintenance = async (sql: string) => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    port,
    async freshDatabase() {
      const database = `dlmigrate_matrix_${randomBytes(6).toString('hex')}`;
      await maintenance(`CREATE DATABASE ${database}`);
      return {
        url: url(database),
        drop: () => maintenance(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
      };
    },
    async restart() {
      await stopByPid(data);
      await start();
    },
    stop: () => stopByPid(data),
  };
}
