// await-deletion: trigger the sync, then wait — at a short steady cadence and with a deadline, never forever
// (B12) — until both Entra (Graph) and Exchange Online no longer know the synced group. At the deadline the migration
// rolls back (default) or stays parked and resumable (onDeletionDeadline: 'stay-parked'). A real sync deletes a
// group whenever its cycle gets to it, seconds to minutes after the trigger: a backed-off poll (it once grew to 60 s)
// would add most of that to the outage, so the cadence stays short (issue 15). In a batch the level's one watch has
// seen the deletion already (deps.deletionObserved, batch/runner.ts) and this step only records it; for a group the
// watch did not see by the level's deadline the level's sync was its own, so it only checks until that deadline
// (deps.deletionDeadlineAt).
import { cloudIdentity } from '@dlmigrate/exo';
import { loadSnapshotPart } from '../engine/snapshot.js';
import { finding, FindingsError } from '../findings/finding.js';
import { SuspendSaga } from '../saga/runner.js';
import type { MigrationStep } from './results.js';
import { pollUntil } from '../util/poll.js';
import { isTransient } from '../util/transient.js';

export interface AwaitDeletionResult {
  readonly deletedId: string;
  readonly polls: number;
  /** The last check that still saw the synced group (null: none did). */
  readonly lastPresentAt?: string | null;
  /** The check that first saw it gone (the start of the outage as observed). */
  readonly goneAt?: string;
}

/** How often a single migration checks whether the synced group is gone. */
const DELETION_POLL_MS = 1_000;

export const awaitDeletion: MigrationStep<'await-deletion'> = {
  name: 'await-deletion',
  enabled: (ctx) => !ctx.options.allowNonSyncedGroup,
  async run(ctx): Promise<AwaitDeletionResult> {
    const { exchange, graph, state, sync, deletionObserved } = ctx.deps;
    const synced = (await loadSnapshotPart(state, ctx.migration.id, 'cloud')).group!;
    const id = cloudIdentity(synced);
    if (deletionObserved !== undefined) return { deletedId: id, polls: 0, ...deletionObserved };
    await sync.trigger();
    let lastPresentAt: string | null = null;
    let goneAt: string | undefined;
    const gone = async () => {
      const at = new Date(ctx.clock.now()).toISOString();
      let isGone: boolean;
      try {
        isGone = (await graph.getGroup(id)) === null && (await exchange.getRecipient(id)) === null;
      } catch (error) {
        // A dropped connection or a busy service only means "not known yet": keep polling to the deadline. A refusal
        // (Graph's 403 for a permission taken away, Exchange's access denied) does not end by waiting: the step fails
        // with it at once instead of polling to the deletion deadline (an hour by default) for an answer that cannot
        // come (the fault matrix's await-deletion × graph × permanent cell).
        if (isTransient(error)) return false;
        throw error;
      }
      if (isGone) goneAt = at;
      else lastPresentAt = at;
      return isGone;
    };
    const minutes = ctx.options.deadlines.cloudDeletionMinutes;
    const { deletionDeadlineAt } = ctx.deps;
    const result = await pollUntil(gone, (isGone) => isGone, {
      // A batch's straggler has what is left of its level's deadline (at least one check), not a second full one.
      deadlineMs:
        deletionDeadlineAt === undefined
          ? minutes * 60_000
          : Math.max(0, deletionDeadlineAt - ctx.clock.now()),
      initialDelayMs: DELETION_POLL_MS,
      factor: 1,
      clock: ctx.clock,
      signal: ctx.signal,
    });
    if (!result.satisfied) {
      const message = `the synced cloud group ${id} still exists after ${minutes} minutes`;
      if (ctx.options.onDeletionDeadline === 'stay-parked')
        throw new SuspendSaga(`${message}; parked, resume to keep waiting`);
      throw new FindingsError([finding('CLOUD_DELETION_TIMEOUT', ctx.migration.group.address, message)]);
    }
    return {
      deletedId: id,
      polls: result.attempts,
      lastPresentAt,
      ...(goneAt === undefined ? {} : { goneAt }),
    };
  },
};
