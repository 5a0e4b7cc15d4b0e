// Restore (docs/reference-behaviour.md#restore, plus what DLConversionV2 left to the administrator): put a migrated group back on-premises
// as it was captured, and remove the cloud DL so the restored group can be synced again. Steps, in order:
//   remove-hybrid  – delete the on-prem objects the migration created (dynamic DL holding the address, routing contact);
//   remove-cloud   – delete the cloud-managed DL (it holds every address the synced group needs back); after an
//                    in-place conversion the cloud object is the original and stays;
//   restore-group  – the retained "!" group renamed back, its Exchange attributes and links written back from the
//                    backup and moved to its OU; a deleted group re-created from the backup with its back links;
//   hand-back      – after an in-place conversion only: the cloud object handed back to the directory, last;
//   resync         – trigger the sync and wait until the group is a synced cloud group again.
import { CoreError } from '../errors/core-error.js';
import { childDn, rdnType, routingContactNames, type AdDependant, type AttributeChange } from '@dlmigrate/ad';
import { ExoError, cloudIdentity } from '@dlmigrate/exo';
import type { MigrationContext } from '../engine/context.js';
import { finding } from '../findings/finding.js';
import { loadReferences } from '../references/capture.js';
import { groupIdentityOf } from '../references/identity.js';
import { pointConfigReferencesAt } from '../references/rewire.js';
import { pointCloudDependantsAt, type RewireCloudResult } from '../steps/rewire-cloud.js';
import { noteFailedRewrites, type RewireConfigResult } from '../steps/rewire-config.js';
import { errorText } from '../steps/stage.js';
import { restoreVerifyStep } from '../verify/verify.js';
import { loadSnapshot, storedForm } from '../engine/snapshot.js';
import { pollUntil } from '../util/poll.js';
import { tolerant } from '../util/transient.js';
import { captured, capturedAttributeChanges } from './captured-attributes.js';
import type { RestoreStep } from './results.js';

/** The objects the migration made on-premises (dynamic DL, routing contact), deleted: their DNs. */
export interface RemoveHybridResult {
  readonly removed: readonly string[];
}
/** The cloud DL removed (its identity); null when there was none to remove or the group was converted in place. */
export interface RemoveCloudResult {
  readonly removed: string | null;
}
/** Where the group is back on-premises, and whether it had to be re-created (a new object, so a new GUID). */
export interface RestoreGroupResult {
  readonly dn: string;
  readonly recreated: boolean;
}
/** The cloud object handed back to the directory (its external directory object id). */
export interface HandBackResult {
  readonly handedBack: string;
}
/** The group synced back to the cloud: its external directory object id. */
export interface ResyncResult {
  readonly cloudId: string;
}
/** The cloud-only dependants pointed at the synced-back group, and the Send-As rights granted on it again. */
export interface RestoreCloudLinksResult extends RewireCloudResult {
  readonly granted: number;
}

/** What a retained group keeps (never cleared), which a re-created group needs written back too. */
const KEPT_ON_RETAINED = ['member', 'managedBy', 'info', 'displayName'];

/**
 * Every on-prem object that named the group names it again: multi-valued links get the group added back (they may
 * have lost it with a deleted group), single-valued ones (altRecipient, managedBy) were pointed at the routing contact
 * and are pointed back.
 */
async function relink(
  ctx: MigrationContext,
  dependants: readonly AdDependant[],
  groupDn: string,
): Promise<void> {
  for (const d of dependants) {
    if (d.attribute === 'altRecipient' || d.attribute === 'managedBy') {
      await ctx.deps.ad.modifyAttributes(d.dn, [
        { operation: 'replace', attribute: d.attribute, values: [groupDn] },
      ]);
    } else {
      await ctx.deps.ad.addLinkValue(d.dn, d.attribute, groupDn);
    }
  }
}

const removeHybrid: RestoreStep<'restore-remove-hybrid'> = {
  name: 'restore-remove-hybrid',
  async run(ctx) {
    const { ad, state } = ctx.deps;
    const group = (await loadSnapshot(state, ctx.migration.id)).onPrem.group!;
    const mail = group.mail ?? ctx.migration.group.address;
    const removed: string[] = [];
    // Only objects the migration made: a dynamic DL with the address, and the tagged routing contact.
    for (const m of await ad.findByAddress(mail)) {
      if (m.objectClass.toLowerCase() === 'msexchdynamicdistributionlist') {
        await ad.deleteObject(m.dn);
        removed.push(m.dn);
      }
    }
    const contact = routingContactNames({ cn: group.cn, mail });
    for (const m of await ad.findByAddress(contact.mail)) {
      if (!m.isGroup) {
        await ad.deleteObject(m.dn);
        removed.push(m.dn);
      }
    }
    return { removed };
  },
};

const removeCloud: RestoreStep<'restore-remove-cloud'> = {
  name: 'restore-remove-cloud',
  async run(ctx) {
    const { exchange } = ctx.deps;
    // Converted in place: the cloud object is the original one and stays; restore-hand-back gives it back to the
    // directory once the on-prem group is whole again.
    if (ctx.migration.strategy === 'convert') return { removed: null };
    const dl = await exchange.getDistributionGroup(ctx.migration.group.address);
    // A synced group with the address means the restore already went through; never delete that one.
    if (dl === null || dl.isDirSynced) return { removed: null };
    const { data, json } = storedForm(dl);
    await ctx.deps.state.putBackup(ctx.migration.id, 'cloud-dl-at-restore', data, json);
    await exchange.removeDistributionGroup(cloudIdentity(dl));
    return { removed: cloudIdentity(dl) };
  },
};

const restoreGroup: RestoreStep<'restore-group'> = {
  name: 'restore-group',
  async run(ctx) {
    const { ad, state } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const group = snapshot.onPrem.group!;
    const changes = await capturedAttributeChanges(ad, group);

    const where = await ad.findByGuid(group.objectGuid);
    if (where !== undefined) {
      // The retained group: its name back, then its attributes, then its place.
      let dn = await ad.renameObject(where.dn, { cn: group.cn, sAMAccountName: group.sAMAccountName });
      await ad.modifyAttributes(dn, changes);
      dn = await ad.moveObject(dn, group.parentDn);
      await relink(ctx, snapshot.dependants, dn);
      return { dn, recreated: false };
    }
    // Deleted: a new group with the captured identity-independent attributes, then the links others held to it.
    const dn = childDn(rdnType(group.dn), group.cn, group.parentDn);
    if (!(await ad.exists(dn))) {
      await ad.connection.add(dn, {
        objectClass: ['top', 'group'],
        sAMAccountName: [group.sAMAccountName],
        groupType: [String(group.groupType.raw)],
        ...(group.description === undefined ? {} : { description: [group.description] }),
      });
    }
    const kept: AttributeChange[] = KEPT_ON_RETAINED.map((attribute) => ({
      operation: 'replace',
      attribute,
      values: captured(group.raw, attribute),
    }));
    await ad.modifyAttributes(
      dn,
      [...changes, ...kept].filter((c) => c.values.length > 0),
    );
    await relink(ctx, snapshot.dependants, dn);
    return { dn, recreated: true };
  },
};

/**
 * After an in-place conversion: hand the cloud object back to the directory (isCloudManaged = false, Microsoft's
 * documented rollback) — last, once restore-group has renamed the on-prem group back and mail-enabled it. Handed back
 * earlier, a sync in between would act on the mail-disabled "!" group (engine audit §3 E, §5 item 10).
 */
const handBack: RestoreStep<'restore-hand-back'> = {
  name: 'restore-hand-back',
  enabled: (ctx) => ctx.migration.strategy === 'convert',
  async run(ctx) {
    const { graph, state } = ctx.deps;
    const synced = (await loadSnapshot(state, ctx.migration.id)).cloud.group!;
    const behaviour = await graph.getOnPremisesSyncBehavior(synced.externalDirectoryObjectId);
    if (behaviour?.isCloudManaged === true)
      await graph.setOnPremisesSyncBehavior(synced.externalDirectoryObjectId, false);
    return { handedBack: synced.externalDirectoryObjectId };
  },
};

const resync: RestoreStep<'restore-resync'> = {
  name: 'restore-resync',
  enabled: (ctx) => !ctx.options.allowNonSyncedGroup,
  async run(ctx) {
    const { exchange, sync } = ctx.deps;
    await sync.trigger();
    const minutes = ctx.options.deadlines.cloudDeletionMinutes;
    const back = await pollUntil(
      tolerant(() => exchange.getRecipient(ctx.migration.group.address), null),
      (r) => r !== null && r.isDirSynced,
      {
        deadlineMs: minutes * 60_000,
        initialDelayMs: 2_000,
        maxDelayMs: 60_000,
        clock: ctx.clock,
        signal: ctx.signal,
      },
    );
    if (!back.satisfied)
      throw new CoreError(
        'CORE_SYNC_PENDING',
        `the restored group did not come back as a synced cloud group within ${minutes} minutes; resume the restore to keep waiting`,
      );
    return { cloudId: back.value!.externalDirectoryObjectId };
  },
};

/**
 * The deletion of the migrated DL took it out of every cloud-only object and every cloud Send-As right: once the group
 * is synced back they name it again (the same helper the undo of park uses), and Send-As granted on it in the cloud is
 * granted on it again. Failures are needs-action findings; verify then checks the result.
 */
const restoreCloudLinks: RestoreStep<'restore-rewire-cloud'> = {
  name: 'restore-rewire-cloud',
  enabled: (ctx) => !ctx.options.allowNonSyncedGroup,
  async run(ctx, results) {
    const snapshot = await loadSnapshot(ctx.deps.state, ctx.migration.id);
    const resynced = results.get('restore-resync');
    // Enabled together with restore-resync, which completed before this step runs.
    if (resynced === undefined) throw new Error('restore-rewire-cloud runs after restore-resync');
    const { cloudId } = resynced;
    const pointed = await pointCloudDependantsAt(ctx, snapshot, cloudId, 'restore-rewire-cloud');
    await pointConfigAtResynced(ctx, results.get('rewire-config'), cloudId);
    const original = snapshot.cloud.group;
    const originalNames = new Set(
      [original?.name, original?.primarySmtpAddress, original?.externalDirectoryObjectId]
        .filter((v): v is string => typeof v === 'string' && v !== '')
        .map((v) => v.toLowerCase()),
    );
    let granted = 0;
    for (const p of snapshot.cloudDependants.sendAsOnGroup) {
      if (p.isInherited || !p.accessRights.includes('SendAs')) continue;
      const trustee = originalNames.has(p.trustee.toLowerCase()) ? cloudId : p.trustee;
      try {
        await ctx.deps.exchange.addSendAs(cloudId, trustee);
        granted++;
      } catch (error) {
        if (!(error instanceof ExoError)) throw error;
        if (error.code === 'EXO_ALREADY_EXISTS') continue;
        await ctx.note(
          'restore-rewire-cloud',
          finding('CLOUD_REWIRE_FAILED', p.trustee, `SendAs on the group: ${errorText(error)}`, 'SendAs'),
        );
      }
    }
    return { ...pointed, granted };
  },
};

/**
 * The Exchange configuration rewire-config pointed at the migrated DL names the group synced back instead (the
 * removal of the DL left its LegacyExchangeDN dangling in booking lists, and an object-bound rule lost it).
 */
async function pointConfigAtResynced(
  ctx: MigrationContext,
  rewired: RewireConfigResult | undefined,
  cloudId: string,
): Promise<void> {
  const { exchange, state } = ctx.deps;
  const { config } = await loadReferences(state, ctx.migration.id);
  if (rewired?.target == null || config === null || config.references.length === 0) return;
  const resynced = await exchange.getRecipient(cloudId);
  if (resynced === null) return;
  await noteFailedRewrites(
    ctx,
    'restore-rewire-cloud',
    await pointConfigReferencesAt(exchange, config.references, rewired.target, groupIdentityOf(resynced)),
  );
}

export const RESTORE_STEPS: readonly RestoreStep[] = [
  removeHybrid,
  removeCloud,
  restoreGroup,
  handBack,
  resync,
  restoreCloudLinks,
  restoreVerifyStep,
];
