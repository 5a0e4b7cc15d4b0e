// Several processes on one store, on both engines: a writer killed with SIGKILL mid-writes leaves
// a consistent store, competing runners never claim the same migration twice, and a dead runner's
// migration is taken over once its lease expires.
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, type StateStore } from '../src/index.js';
import { ENGINES, eventually, spawnChild, type Child } from './support.js';

const PROCESS_TEST_TIMEOUT_MS = 120_000;

describe.each(ENGINES)('processes sharing a $engine store', (engine) => {
  let target: string;
  let store: StateStore | undefined;
  const children: Child[] = [];
  const start = (name: string, args: string[]) => {
    const child = spawnChild(name, args);
    children.push(child);
    return child;
  };

  beforeEach(async () => {
    target = await engine.fresh();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    }
    await store?.close();
    store = undefined;
  });
  afterAll(() => engine.cleanup());

  it(
    'stays consistent when a writer is killed with SIGKILL in the middle of its writes',
    async () => {
      const writer = start('journal-writer', [target]);
      const acknowledged = (line: string) => Number(/^acknowledged (\d+)$/.exec(line)?.[1] ?? 0);
      await writer.waitFor((line) => acknowledged(line) >= 300);
      writer.process.kill('SIGKILL');
      expect(await writer.exited).toBe('SIGKILL');
      const lastAcknowledged = Math.max(...writer.lines.map(acknowledged));

      if (engine.engine === 'sqlite') {
        // Recovery of the WAL the killed writer left behind; the file itself is sound.
        const db = new Database(target);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        db.close();
      }

      store = await openStateStore(target);
      let committedWrites = 0;
      for (const migration of await store.listMigrations()) {
        const journal = await store.listJournal(migration.id);
        // Contiguous sequence numbers, and the current step is the last entry's.
        expect(journal.map((entry) => entry.seq)).toEqual(journal.map((_, index) => index + 1));
        expect(migration.currentStep).toBe(journal.at(-1)?.step ?? null);
        const findings = await store.listFindings(migration.id);
        expect(findings.length % 3).toBe(0); // the three findings of one write are all there or none is
        committedWrites += journal.length + findings.length / 3;
      }
      const batches = await store.listBatches();
      for (const batch of batches) {
        expect(batch.levels.map((level) => level.level)).toEqual([0, 1]);
        expect(await store.listMigrations({ batchId: batch.id, batchLevel: 0 })).toHaveLength(2);
        expect(await store.listMigrations({ batchId: batch.id, batchLevel: 1 })).toHaveLength(1);
      }
      committedWrites += batches.length;
      // Every write the writer saw acknowledged is durable (a few more may have committed since).
      expect(committedWrites).toBeGreaterThanOrEqual(lastAcknowledged);
      console.log(
        `${engine.engine}: killed after ${lastAcknowledged} acknowledged writes, ${committedWrites} committed`,
      );
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'never lets two of three competing runners claim the same migration',
    async () => {
      store = await openStateStore(target);
      const groups = Array.from({ length: 60 }, (_, index) => ({
        group: { address: `g${index}@contoso.com` },
        strategy: 'recreate' as const,
      }));
      const { migrations } = await store.createBatch({
        id: 'contest',
        input: {},
        levels: [groups.slice(0, 30), groups.slice(30)],
      });
      const runners = ['r1', 'r2', 'r3'].map((id) =>
        start('runner', [target, 'contest', id, 'drain', '60000']),
      );
      await Promise.all(runners.map((runner) => runner.waitFor((line) => line === 'ready')));
      for (const runner of runners) runner.process.stdin.write('go\n');
      await Promise.all(runners.map((runner) => runner.waitFor((line) => line === 'done')));

      const claims = runners.map((runner) =>
        runner.lines
          .filter((line) => line.startsWith('{'))
          .map((line) => (JSON.parse(line) as { claimed: string }).claimed),
      );
      const all = claims.flat();
      expect(all.sort()).toEqual(migrations.map((migration) => migration.id).sort());
      expect(new Set(all).size).toBe(all.length);
      for (const migration of migrations) {
        const journal = await store.listJournal(migration.id);
        expect(journal).toHaveLength(1);
        expect((await store.getMigration(migration.id))?.status).toBe('completed');
      }
      console.log(`${engine.engine}: claims per runner ${claims.map((list) => list.length).join(' / ')}`);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'lets another runner take over once the lease of a killed runner expires',
    async () => {
      store = await openStateStore(target);
      await store.createBatch({
        id: 'takeover',
        input: {},
        levels: [[{ id: 'held', group: { address: 'held@contoso.com' }, strategy: 'recreate' }]],
      });
      const holder = start('runner', [target, 'takeover', 'holder', 'hold', '3000']);
      const claim = JSON.parse(await holder.waitFor((line) => line.startsWith('{'))) as {
        claimed: string;
        expiresAt: string;
      };
      expect(claim.claimed).toBe('held');

      // While the holder lives its heartbeat keeps the lease: it moves past the first expiry.
      await eventually(async () => {
        const lease = (await store!.getMigration('held'))?.lease;
        return lease && lease.owner === 'holder' && lease.expiresAt > claim.expiresAt ? lease : null;
      });
      expect(await store.claimNext('takeover', 'rescuer', 60_000)).toBeNull();

      holder.process.kill('SIGKILL');
      await holder.exited;
      const taken = await eventually(() => store!.claimNext('takeover', 'rescuer', 60_000), 200);
      expect(taken).toMatchObject({
        id: 'held',
        status: 'running',
        currentStep: 'stage',
        lease: { owner: 'rescuer' },
      });
      // The rescuer resumes from the holder's journal.
      expect((await store.listJournal('held')).map((entry) => [entry.step, entry.event])).toEqual([
        ['stage', 'started'],
      ]);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
