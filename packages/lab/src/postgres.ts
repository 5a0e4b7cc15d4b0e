// PostgreSQL servers of the tests' own (the fault matrix's "PostgreSQL restarted mid-batch", test/src/pg-instance.ts):
// initdb and pg_ctl of the installed PostgreSQL 15, a cluster under the lab folder (`.lab/postgres-<name>/`, next to the
// Samba instances, git-ignored), listening on 127.0.0.1 only at a free port. The machine's own PostgreSQL
// (scripts/services.sh), shared by everyone, is never touched. Started here and stopped here — by the PID in the
// cluster's postmaster.pid, checked to be that cluster's server, never by name — so `lab down --all` and `lab stop --all`
// (cli.ts) stop them too: a test run killed mid-way otherwise leaves its server running. The server runs as the postgres
// user (it refuses root); only loopback connections reach it, trusted (a throw-away test cluster holding no secret).
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort, isAlive } from './local.js';
import { labsRoot } from './paths.js';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';
/** A cluster's folder under the labs root: `postgres-<name>`. */
const CLUSTER_FOLDER = /^postgres-[a-z0-9][a-z0-9-]{0,30}$/;

export interface PostgresCluster {
  /** `.lab/postgres-<name>` */
  readonly dir: string;
  readonly port: number;
  /** Fast shutdown (SIGINT to the postmaster: open connections are cut), then start again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const asPostgres = (command: string, args: readonly string[]) =>
  run('runuser', ['-u', 'postgres', '--', path.join(BIN, command), ...args]);

const dataOf = (dir: string) => path.join(dir, 'data');

/**
 * The PID in the cluster's postmaster.pid, when that process is alive and is this cluster's server: its command line
 * names the data folder (pg_ctl starts `postgres -D <data>`). A stale file whose PID now belongs to another process
 * gives undefined, so nothing else is ever signalled.
 */
function serverPid(data: string): number | undefined {
  const file = path.join(data, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes(data) ? pid : undefined;
  } catch {
    return undefined; // gone in between
  }
}

/** Stops the cluster's server if it runs; true when there was one to stop. */
export async function stopPostgresCluster(dir: string): Promise<boolean> {
  const pid = serverPid(dataOf(dir));
  if (pid === undefined) return false;
  process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
  for (let i = 0; i < 600 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) did not stop within 60 s`);
  return true;
}

/** The folders of every test cluster under the labs root (`.lab/postgres-*` holding a data folder). */
export async function postgresClusters(root = labsRoot()): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await fs.readdir(root, { withFileTypes: true });
  return entries
    .filter(
      (e) => e.isDirectory() && CLUSTER_FOLDER.test(e.name) && existsSync(dataOf(path.join(root, e.name))),
    )
    .map((e) => path.join(root, e.name))
    .sort();
}

/** Creates the cluster `.lab/postgres-<name>` if needed and starts it on a free loopback port. */
export async function startPostgresCluster(name: string): Promise<PostgresCluster> {
  const dir = path.join(labsRoot(), `postgres-${name}`);
  if (!CLUSTER_FOLDER.test(path.basename(dir)))
    throw new Error(`invalid PostgreSQL cluster name ${JSON.stringify(name)}`);
  const data = dataOf(dir);
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  mkdirSync(dir, { recursive: true });
  chownSync(dir, uid, gid);
  if (!existsSync(path.join(data, 'PG_VERSION')))
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  await stopPostgresCluster(dir); // a server a killed test run left behind
  const port = await freeLoopbackPort();
  const start = () =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`,
      'start',
    ]);
  await start();
  return {
    dir,
    port,
    async restart() {
      await stopPostgresCluster(dir);
      await start();
    },
    stop: async () => void (await stopPostgresCluster(dir)),
  };
}
