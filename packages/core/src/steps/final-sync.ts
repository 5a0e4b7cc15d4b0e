// final-sync (issue 14): rewire-onprem pointed the on-prem dependants (parent groups, restrictions, owners) at the routing
// contact, but their copies in Exchange Online are directory-synced and change only when a sync cycle exports the
// contact and the new links — 30 minutes later with Entra Connect's schedule, after verify ran. So: trigger one sync
// (the same trigger park and await-deletion use) and wait, at a steady cadence and with a deadline
// (deadlines.finalSyncMinutes), until every synced copy names the contact; then verify compares them
// (verify/synced-dependants.ts). At the deadline the migration goes on and verify reports each copy not updated yet.
//
// No synced copy to update (none named the group, or no routing contact): no sync. No trigger configured (sync kind
// "none"): nothing to wait for but the schedule, which verify says. In a batch the level triggers one sync for all its
// groups (batch/runner.ts, EngineDeps.levelFinalSync): a group reaching this step before that suspends here (status
// parked) and the level's runner resumes it once the sync was triggered. Resumable: the step only triggers and reads;
// run again after a crash it triggers once more (another cycle changes nothing the first did not) and waits again.
import { normalizeDn } from '@dlmigrate/ad';
import { loadSnapshot } from '../engine/snapshot.js';
import { SuspendSaga } from '../saga/runner.js';
import { pollUntil } from '../util/poll.js';
import { isTransient } from '../util/transient.js';
import {
  locateSyncedDependantsOnce,
  objectCount,
  readSyncedDependants,
} from '../verify/synced-dependants.js';
import { compareValues } from '../verify/values.js';
import type { MigrationStep } from './results.js';

export interface FinalSyncResult {
  /** Synced copies (objects) of on-prem dependants that must name the routing contact. */
  readonly dependants: number;
  /** The sync that updated them; null when none ran (no copy to update, or no sync trigger configured). */
  readonly sync: {
    readonly triggeredAt: string;
    /** Triggered by this migration, or once for its whole batch level. */
    readonly by: 'migration' | 'level';
    /** Every copy named the contact before the deadline. */
    readonly settled: boolean;
    readonly polls: number;
  } | null;
}

/** Why a batch's group stops at final-sync: the message its suspension is journaled with. */
const AWAITING_LEVEL_SYNC = "waiting for the batch level's final sync";

/** How often the synced copies are read while waiting (a cycle exports them all at once). */
const FINAL_SYNC_POLL_MS = 2_000;

export const finalSync: MigrationStep<'final-sync'> = {
  name: 'final-sync',
  enabled: (ctx) => ctx.options.finalSync,
  async run(ctx, results): Promise<FinalSyncResult> {
    const { exchange, state, sync, levelFinalSync } = ctx.deps;
    const contact = results.get('routing-contact');
    if (contact === undefined) return { dependants: 0, sync: null };
    // Located once and kept: the run after the level's final sync, and verify, use what this found (issue 17).
    const all = await locateSyncedDependantsOnce(ctx, await loadSnapshot(state, ctx.migration.id));
    // A dependant rewire-onprem could not change keeps naming the old group on-premises, so its copy never names the
    // contact: waiting for it would only run out the deadline (fault matrix, rewire-onprem × ldap × permanent). It has
    // its needs-action finding already, and verify still compares it. The sync still runs: it exports the contact and
    // whatever was rewired, as it does when every dependant was.
    const unrewired = new Set((results.get('rewire-onprem')?.unrewired ?? []).map(normalizeDn));
    const located = all.filter((d) => !unrewired.has(normalizeDn(d.dn)));
    if (all.length === 0 || sync.kind === 'none') return { dependants: objectCount(located), sync: null };
    if (levelFinalSync !== undefined && levelFinalSync.triggeredAt === undefined)
      throw new SuspendSaga(AWAITING_LEVEL_SYNC);
    let triggeredAt = levelFinalSync?.triggeredAt;
    if (triggeredAt === undefined) {
      await sync.trigger();
      triggeredAt = new Date(ctx.clock.now()).toISOString();
    }
    const deadline = Date.parse(triggeredAt) + ctx.options.deadlines.finalSyncMinutes * 60_000;
    const waited = await pollUntil(
      async () => {
        try {
          const reading = await readSyncedDependants(exchange, located, contact);
          return compareValues(reading.expected, reading.observed).differences.length === 0;
        } catch (error) {
          // A busy or unreachable service only means "not seen yet": keep reading until the deadline.
          if (isTransient(error)) return false;
          throw error;
        }
      },
      (done) => done,
      {
        deadlineMs: Math.max(0, deadline - ctx.clock.now()),
        initialDelayMs: FINAL_SYNC_POLL_MS,
        factor: 1,
        clock: ctx.clock,
        signal: ctx.signal,
      },
    );
    return {
      dependants: objectCount(located),
      sync: {
        triggeredAt,
        by: levelFinalSync === undefined ? 'migration' : 'level',
        settled: waited.satisfied,
        polls: waited.attempts,
      },
    };
  },
};
