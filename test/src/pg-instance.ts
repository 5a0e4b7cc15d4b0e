// A PostgreSQL server of the test's own, which the test may stop and start again (the fault matrix's "PostgreSQL
// restarted mid-batch"): a cluster under `.lab/postgres-<name>/` started, restarted and stopped by the lab
// (packages/lab/src/postgres.ts — by PID, never by name; `lab down --all` stops it too), and databases made on it here.
import { randomBytes } from 'node:crypto';
import { startPostgresCluster } from '@dlmigrate/lab';
import pg from 'pg';

export interface PgInstance {
  readonly port: number;
  /** A new empty database on this server; `drop` removes it. */
  freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }>;
  /** Fast shutdown (SIGINT to the postmaster's PID: open connections are cut), then start again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the cluster `.lab/postgres-<name>` if needed and starts it on a free loopback port. */
export async function startPgInstance(name: string): Promise<PgInstance> {
  const cluster = await startPostgresCluster(name);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${cluster.port}/${database}`;
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
    port: cluster.port,
    async freshDatabase() {
      const database = `dlmigrate_matrix_${randomBytes(6).toString('hex')}`;
      await maintenance(`CREATE DATABASE ${database}`);
      return {
        url: url(database),
        drop: () => maintenance(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
      };
    },
    restart: () => cluster.restart(),
    stop: () => cluster.stop(),
  };
}
