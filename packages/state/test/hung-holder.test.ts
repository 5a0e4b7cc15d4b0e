// A runner that hangs inside a transaction — a frozen machine, a process paused with SIGSTOP — holds the row lock of
// the migration it was writing. The other runners must not wait for it for as long as it hangs: PostgreSQL ends a
// session that stays idle inside a transaction (src/postgres-driver.ts, IDLE_IN_TRANSACTION_MS) and its lock goes with
// it. Seen in CI as the fault matrix's slow runner (test/src/fault-matrix.batch.test.ts) paused mid-write: the other
// runner waited on its claim until the test's 15-minute timeout.
import { afterAll, describe, expect, it } from 'vitest';

import { openStateStore, type StateStore } from '../src/index.js';
import { openPostgresDriver } from '../src/postgres-driver.js';
import { ENGINES } from './support.js';

const postgres = ENGINES.find((e) => e.engine === 'postgres')!;

describe('a runner hung inside a PostgreSQL transaction', () => {
  const stores: StateStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
    await postgres.cleanup();
  });

  it('loses its row lock to the idle-in-transaction timeout: another runner claims the migration', async () => {
    const url = await postgres.fresh();
    const setup = await openStateStore(url);
    stores.push(setup);
    const {
      migrations: [migration],
    } = await setup.createBatch({
      id: 'hung',
      input: {},
      levels: [[{ group: { address: 'hung@contoso.com' }, strategy: 'recreate' }]],
    });

    // The hung runner: its transaction locks the row as every fenced write does (store/shared.ts lockMigration), then
    // awaits something that does not come. The short timeout stands in for IDLE_IN_TRANSACTION_MS.
    const hung = openPostgresDriver(url, 1, 1_000);
    let wake!: () => void;
    const asleep = new Promise<void>((resolve) => (wake = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const transaction = hung.transaction(async (tx) => {
      await tx.query('SELECT id FROM migrations WHERE id = ? {forupdate}', [migration!.id]);
      locked();
      await asleep;
    });
    const outcome = transaction.then(
      () => 'committed',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    await holding;

    // Claiming locks the same row (store/leases.ts claimMigration): without the timeout this waits for ever.
    const other = await openStateStore(url);
    stores.push(other);
    const claimed = await other.claimMigration(migration!.id, 'other', 60_000);
    expect(claimed?.lease?.owner).toBe('other');

    // The hung runner wakes to a session the server has ended: nothing it had begun is committed.
    wake();
    expect(await outcome).toMatch(/idle-in-transaction|terminat|Connection/i);
    await hung.close();
  }, 60_000);
});
