// park: move the on-prem group into the OU the sync does not see, so the next cycle deletes the synced
// cloud group. Moves are retried by @dlmigrate/ad (5 × 5 s). Undo: move it back, ask the sync to run, and, if the
// cloud group had already been deleted, wait until the sync has brought it back.
import { CoreError } from '../errors/core-error.js';
import { childDn, dnEquals, parentDn, rdnType, rdnValue } from '@dlmigrate/ad';
import { DEFAULT_OPTIONS } from '../options.js';
import { ExoError, cloudIdentity } from '@dlmigrate/exo';
import { finding } from '../findings/finding.js';
import { loadSnapshot } from '../engine/snapshot.js';
import type { MigrationStep } from './results.js';
import { pollUntil } from '../util/poll.js';
import { tolerant } from '../util/transient.js';
import { loadReferences } from '../references/capture.js';
import { groupIdentityOf } from '../references/identity.js';
import { pointConfigReferencesAt } from '../references/rewire.js';
import { noteFailedRewrites } from './rewire-config.js';
import { pointCloudDependantsAt } from './rewire-cloud.js';

export interface ParkResult {
  readonly originalDn: string;
  readonly originalParentDn: string;
  readonly parkedDn: string;
}

function parkedDnOf(groupDn: string, nonSyncOu: string): string {
  return childDn(rdnType(groupDn), rdnValue(groupDn), nonSyncOu);
}

export const park: MigrationStep<'park'> = {
  name: 'park',
  async run(ctx): Promise<ParkResult> {
    const { ad, state } = ctx.deps;
    const group = (await loadSnapshot(state, ctx.migration.id)).onPrem.group!;
    const nonSyncOu = ctx.options.nonSyncOu!;
    const parkedDn = parkedDnOf(group.dn, nonSyncOu);
    // moveObject is idempotent: it recognises an earlier run's completed move.
    const dn = dnEquals(group.parentDn, nonSyncOu) ? group.dn : await ad.moveObject(group.dn, nonSyncOu);
    return { originalDn: group.dn, originalParentDn: group.parentDn, parkedDn: dn ?? parkedDn };
  },
  async undo(ctx) {
    const { ad, state, exchange, sync } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const group = snapshot.onPrem.group!;
    // Was the synced group already deleted? (Asked before the move back: the sync may re-create it at once.)
    const synced = snapshot.cloud.group;
    const deleted = synced !== null && (await exchange.getRecipient(cloudIdentity(synced))) === null;
    // Found by objectGUID, wherever it is: never claim it is back without having seen it there.
    const where = await ad.findByGuid(group.objectGuid);
    if (where === undefined)
      throw new CoreError('CORE_GROUP_MOVED', `the group ${group.dn} is nowhere in the directory`);
    let dn = where.dn;
    if (dnEquals(parentDn(dn), ctx.options.nonSyncOu!)) dn = await ad.moveObject(dn, group.parentDn);
    if (!dnEquals(dn, group.dn)) {
      throw new CoreError(
        'CORE_GROUP_MOVED',
        `the group is at ${dn}, not back at ${group.dn}; it stays out of the sync until moved back`,
      );
    }
    await sync.trigger();
    if (!deleted) return;
    // The cloud group was deleted: the tenant is only "as it was" once the sync has created it again. The wait has a
    // bound of its own (deadlines.undoResyncMinutes), not the deletion deadline: a rollback must not sit out an hour
    // for a sync that may not come.
    const minutes = ctx.options.deadlines.undoResyncMinutes ?? DEFAULT_OPTIONS.deadlines.undoResyncMinutes;
    const waited = await pollUntil(
      tolerant(() => exchange.getRecipient(ctx.migration.group.address), null),
      (r) => r !== null && r.isDirSynced,
      { deadlineMs: minutes * 60_000, clock: ctx.clock },
    );
    if (!waited.satisfied) {
      throw new CoreError(
        'CORE_SYNC_PENDING',
        `the group is back in ${group.parentDn} but the sync has not re-created it in the cloud within ${minutes} minutes (deadlines.undoResyncMinutes); resume to check again`,
      );
    }
    // The deletion took the group out of every cloud-only object and permission: give them back to the re-created one.
    const recreated = cloudIdentity(waited.value!);
    await pointCloudDependantsAt(ctx, snapshot, recreated, 'park');
    // …and the Exchange configuration that named it by id (rewire-config's undo put back the values it replaced).
    const { config } = await loadReferences(state, ctx.migration.id);
    if (config !== null && config.references.length > 0)
      await noteFailedRewrites(
        ctx,
        'park',
        await pointConfigReferencesAt(
          exchange,
          config.references,
          config.old,
          groupIdentityOf(waited.value!),
        ),
      );
    for (const p of snapshot.cloudDependants.sendAsOnGroup) {
      if (p.isInherited || !p.accessRights.includes('SendAs')) continue;
      try {
        await exchange.addSendAs(recreated, p.trustee);
      } catch (error) {
        if (!(error instanceof ExoError) || error.code === 'EXO_ALREADY_EXISTS') continue;
        await ctx.note(
          'park',
          finding(
            'CLOUD_REWIRE_FAILED',
            p.trustee,
            `Send-As on the re-created group: ${error.message}`,
            'SendAs',
          ),
        );
      }
    }
  },
};
