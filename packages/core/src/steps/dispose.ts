// dispose (the point of no return): the on-prem group is retained — renamed with "!", mail-disabled with
// the schema-aware clear list, stamped with the markers earlier migrations recognise, moved back to its original OU —
// or deleted. Retention is forced for security groups and for groups that still hold rights on-prem.
import { CoreError } from '../errors/core-error.js';
import {
  childDn,
  dnEquals,
  parentDn,
  rdnType,
  rdnValue,
  retainedName,
  retainedSamAccountName,
  type ActiveDirectory,
  type AdGroup,
} from '@dlmigrate/ad';
import { loadSnapshot } from '../engine/snapshot.js';
import { finding } from '../findings/finding.js';
import { decideRetention } from '../mapping/retention.js';
import { capturedAttributeChanges } from '../restore/captured-attributes.js';
import type { MigrationStep } from './results.js';
import { errorText } from './stage.js';

export interface DisposeResult {
  readonly disposition: 'retain' | 'delete';
  /** Where the retained group ended up (its original OU, or the park OU if the move back failed). */
  readonly retainedDn?: string;
}

/** Back links that mean "the group holds a right on that object" (it manages or co-manages it). */
const RIGHT_BACK_LINKS = new Set(['managedObjects', 'msExchCoManagedObjectsBL']);

/** The group's DN now: parked, renamed in the park OU, or renamed and moved back (a resumed run). */
async function locate(
  ad: ActiveDirectory,
  group: AdGroup,
  nonSyncOu: string | undefined,
): Promise<string | undefined> {
  const type = rdnType(group.dn);
  for (const parent of nonSyncOu === undefined ? [group.parentDn] : [nonSyncOu, group.parentDn]) {
    for (const cn of [group.cn, retainedName(group.cn)]) {
      const dn = childDn(type, cn, parent);
      if (await ad.exists(dn)) return dn;
    }
  }
  return undefined;
}

export const dispose: MigrationStep<'dispose'> = {
  name: 'dispose',
  pointOfNoReturn: true,
  async run(ctx): Promise<DisposeResult> {
    const { ad, state } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const group = snapshot.onPrem.group!;
    const decision = decideRetention({
      requested: ctx.options.retainOriginalGroup ? 'retain' : 'delete',
      onPremSecurity: group.groupType.security,
      permissionDependants: snapshot.dependants.filter((d) => RIGHT_BACK_LINKS.has(d.backLink)).length,
    });
    if (decision.forcedBecause !== undefined) {
      await ctx.note(
        'dispose',
        finding('RETENTION_FORCED', group.dn, `kept instead of deleted: ${decision.forcedBecause}`),
      );
    }
    const current = await locate(
      ad,
      group,
      ctx.options.strategy === 'recreate' ? ctx.options.nonSyncOu : undefined,
    );
    if (decision.dispose === 'delete') {
      if (current !== undefined) await ad.deleteObject(current);
      return { disposition: 'delete' };
    }
    if (current === undefined)
      throw new CoreError('CORE_GROUP_MOVED', `the group ${group.dn} is neither parked nor back in its OU`);
    // Rename first: from now on a sync that sees it again can never soft-match it to the cloud DL.
    let dn = await ad.renameObject(current, {
      cn: retainedName(group.cn),
      sAMAccountName: retainedSamAccountName(group.sAMAccountName),
    });
    await ad.mailDisableGroup(dn, { originalMail: group.mail ?? ctx.migration.group.address });
    try {
      dn = await ad.moveObject(dn, group.parentDn);
    } catch (error) {
      await ctx.note(
        'dispose',
        finding('MOVE_BACK_FAILED', dn, `moving it back to ${group.parentDn} failed: ${errorText(error)}`),
      );
    }
    return { disposition: 'retain', retainedDn: dn };
  },
  /**
   * Only a dispose that failed or died half-way is ever undone (a completed one is the point of no return): the group
   * may be renamed with "!", mail-disabled and stamped, or already moved back. Its name and captured Exchange
   * attributes are written back and it goes where the earlier steps left it — the park OU (recreate; park's undo
   * moves it home) or its own OU (convert) — found by objectGUID wherever it is now.
   */
  async undo(ctx) {
    const { ad, state } = ctx.deps;
    const group = (await loadSnapshot(state, ctx.migration.id)).onPrem.group!;
    const where = await ad.findByGuid(group.objectGuid);
    if (where === undefined) {
      throw new CoreError(
        'CORE_GROUP_MOVED',
        `the group ${group.dn} is nowhere in the directory (deleted by dispose?); an undo cannot give it back`,
        {
          hint: 'If dispose deleted it, resume the migration (it rolls forward), then restore it if it must come back.',
        },
      );
    }
    let dn = where.dn;
    if (rdnValue(dn) !== group.cn) {
      dn = await ad.renameObject(dn, { cn: group.cn, sAMAccountName: group.sAMAccountName });
    }
    await ad.modifyAttributes(dn, await capturedAttributeChanges(ad, group));
    const home = ctx.options.strategy === 'recreate' ? ctx.options.nonSyncOu! : group.parentDn;
    if (!dnEquals(parentDn(dn), home)) await ad.moveObject(dn, home);
  },
};
