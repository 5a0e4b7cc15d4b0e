// A runner process working on one batch.
//   drain: after "go" on stdin, claims until nothing is left; each claimed migration gets one
//          journal entry and is completed, all under the lease. Prints {"claimed": id} per claim.
//   hold:  claims one migration, keeps its lease alive with a heartbeat and never finishes
//          (the test kills it). Prints {"claimed": id, "expiresAt": …}.
import { createInterface } from 'node:readline';

import { openStateStore, startHeartbeat } from '../../src/index.js';

const [target, batchId, runnerId, mode, leaseText] = process.argv.slice(2);
if (!target || !batchId || !runnerId || (mode !== 'drain' && mode !== 'hold') || !leaseText) {
  throw new Error('usage: runner.ts <store> <batch> <runner> drain|hold <leaseMs>');
}
const leaseMs = Number(leaseText);
const store = await openStateStore(target);
const fence = { runnerId };

if (mode === 'drain') {
  console.log('ready');
  await new Promise<void>((resolve) =>
    createInterface({ input: process.stdin }).once('line', () => resolve()),
  );
  for (;;) {
    const migration = await store.claimNext(batchId, runnerId, leaseMs);
    if (!migration) break;
    await store.appendJournalAndSetStatus(
      migration.id,
      { step: 'work', event: 'completed', data: { runner: runnerId } },
      'completed',
      fence,
    );
    await store.releaseLease(migration.id, runnerId);
    console.log(JSON.stringify({ claimed: migration.id }));
  }
  await store.close();
  console.log('done');
} else {
  const migration = await store.claimNext(batchId, runnerId, leaseMs);
  if (!migration) throw new Error(`nothing to claim in batch ${batchId}`);
  startHeartbeat(store, { migrationId: migration.id, runnerId, leaseMs });
  await store.appendJournalAndSetStatus(migration.id, { step: 'stage', event: 'started' }, 'running', fence);
  console.log(JSON.stringify({ claimed: migration.id, expiresAt: migration.lease?.expiresAt }));
  setInterval(() => undefined, 60_000); // stay alive until killed
}
