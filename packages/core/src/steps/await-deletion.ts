// Step 5 — await-deletion: trigger the sync, then wait — with backoff and a deadline, never forever (B12) — until
// both Entra (Graph) and Exchange Online no longer know the synced group. At the deadline the migration rolls back
// (default) or stays parked and resumable (onDeletionDeadline: 'stay-parked').
import { loadSnapshot } from '../engine/snapshot.js';
import { finding, FindingsError } from '../findings/finding.js';
import { SuspendSaga } from '../saga/runner.js';
import type { MigrationStep } from './results.js';
import { pollUntil } from '../util/poll.js';
import { tolerant } from '../util/transient.js';

export interface AwaitDeletionResult {
  readonly deletedId: string;
  readonly polls: number;
}

export const awaitDeletion: MigrationStep<'await-deletion'> = {
  name: 'await-deletion',
  enabled: (ctx) => !ctx.options.allowNonSyncedGroup,
  async run(ctx): Promise<AwaitDeletionResult> {
    const { exchange, graph, state, sync } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const synced = snapshot.cloud.group!;
    const id = synced.externalDirectoryObjectId || synced.guid;
    await sync.trigger();
    // A dropped connection or a busy service while polling only means "not known yet": keep polling to the deadline.
    const gone = tolerant(
      async () => (await graph.getGroup(id)) === null && (await exchange.getRecipient(id)) === null,
      false,
    );
    const minutes = ctx.options.deadlines.cloudDeletionMinutes;
    const result = await pollUntil(gone, (isGone) => isGone, {
      deadlineMs: minutes * 60_000,
      initialDelayMs: 2_000,
      maxDelayMs: 60_000,
      clock: ctx.clock,
      signal: ctx.signal,
    });
    if (!result.satisfied) {
      const message = `the synced cloud group ${id} still exists after ${minutes} minutes`;
      if (ctx.options.onDeletionDeadline === 'stay-parked')
        throw new SuspendSaga(`${message}; parked, resume to keep waiting`);
      throw new FindingsError([finding('CLOUD_DELETION_TIMEOUT', ctx.migration.group.address, message)]);
    }
    return { deletedId: id, polls: result.attempts };
  },
};
