// Throw-away PostgreSQL databases for tests: each gets a new, empty database on the machine's shared server
// (scripts/services.sh; DLMIGRATE_TEST_PG names another maintenance URL), named `<prefix>_<random>` so that test runs
// never meet each other's, and dropped (WITH FORCE: a killed runner may hold connections) when the test is done.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const MAINTENANCE_URL = process.env['DLMIGRATE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

export interface ThrowawayDatabase {
  readonly name: string;
  /** Its connection URL (the maintenance URL's server and user). */
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database `<prefix>_<random>` and returns its URL and a function that drops it. */
export async function throwawayPostgres(prefix: string): Promise<ThrowawayDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`not a database name prefix: ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withMaintenance((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(MAINTENANCE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withMaintenance(
        async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
      ),
  };
}
