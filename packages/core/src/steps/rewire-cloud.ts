// rewire cloud: the new DL takes the old one's place wherever cloud-only objects named it (groups it was a
// member of, delivery restrictions, moderation bypass, send-on-behalf, ownership, forwarding) and in Send-As rights
// the old group held. Each failure is reported (needs-action) and never stops the others.
import { addRemove, ExoError, type CloudDependant, cloudIdentity } from '@dlmigrate/exo';
import type { MigrationContext } from '../engine/context.js';
import { loadSnapshot, type Snapshot } from '../engine/snapshot.js';
import { finding } from '../findings/finding.js';
import { folderIdentity } from '../permissions/collect.js';
import { collectedRightsToCarry, folderAttribute, rightsLeftOnPremises } from '../permissions/held.js';
import type { MigrationStep } from './results.js';
import { errorText } from './stage.js';
import { isTransient } from '../util/transient.js';

export interface RewireCloudResult {
  readonly rewired: number;
  readonly failed: number;
}

/**
 * Points every cloud-only dependant and every Send-As right the captured group held at `self`; failures are noted
 * (needs-action) under `step`. Used by rewire-cloud for the new DL, and by the undo of park for the re-created
 * synced group (the deletion had removed the original from all of them).
 */
export async function pointCloudDependantsAt(
  ctx: MigrationContext,
  snapshot: Snapshot,
  self: string,
  step: string,
): Promise<RewireCloudResult> {
  const { exchange } = ctx.deps;
  let rewired = 0;
  let failed = 0;
  const attempt = async (subject: string, what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      rewired++;
    } catch (error) {
      // Throttled or unreachable past the client's retry budget is not an answer: the step fails and is retried.
      if (!(error instanceof ExoError) || isTransient(error)) throw error;
      if (error.code === 'EXO_ALREADY_EXISTS') return void rewired++;
      failed++;
      await ctx.note(step, finding('CLOUD_REWIRE_FAILED', subject, `${what}: ${errorText(error)}`, what));
    }
  };
  const rewireDependant = (
    d: CloudDependant,
    target: { identity: string; recipientTypeDetails: string },
  ): Promise<unknown> => {
    switch (d.link) {
      case 'Members':
        return exchange.addMember(target.identity, self);
      case 'ForwardingAddress':
        return exchange.setForwardingAddress(target, self);
      case 'ManagedBy':
        // A dynamic DL has one owner: the new DL replaces the old one there.
        return target.recipientTypeDetails === 'DynamicDistributionGroup'
          ? exchange.setRecipient(target, { ManagedBy: self })
          : exchange.setRecipient(target, { ManagedBy: addRemove({ add: [self] }) });
      default:
        return exchange.setRecipient(target, { [d.link]: addRemove({ add: [self] }) });
    }
  };
  for (const d of snapshot.cloudDependants.dependants) {
    const target = {
      identity: cloudIdentity(d.recipient),
      recipientTypeDetails: d.recipient.recipientTypeDetails,
    };
    await attempt(d.recipient.primarySmtpAddress || target.identity, d.link, () =>
      rewireDependant(d, target),
    );
  }
  // Rights the group held on mailboxes (from the permission collection): the same rights for the new group.
  for (const p of collectedRightsToCarry(snapshot)) {
    if (p.kind === 'FullAccess')
      await attempt(p.mailbox, 'FullAccess', () => exchange.addFullAccess(p.mailbox, self));
    else if (p.kind === 'SendAs')
      await attempt(p.mailbox, 'SendAs', () => exchange.addSendAs(p.mailbox, self));
    else if (p.kind === 'Folder')
      await attempt(folderIdentity(p.mailbox, p.folder), folderAttribute(p.folder), () =>
        exchange.addMailboxFolderPermission(folderIdentity(p.mailbox, p.folder), self, p.accessRights),
      );
    else if (p.kind === 'SendOnBehalf')
      await attempt(p.mailbox, 'GrantSendOnBehalfTo', () =>
        exchange.setRecipient(
          // The collection reads mailboxes only (permissions/collect.ts), so Set-Mailbox is the cmdlet.
          { identity: p.mailbox, recipientTypeDetails: 'UserMailbox' },
          { GrantSendOnBehalfTo: addRemove({ add: [self] }) },
        ),
      );
  }
  for (const p of snapshot.cloudDependants.sendAsAsTrustee) {
    if (p.isInherited || !p.accessRights.includes('SendAs')) continue;
    await attempt(p.identity, 'SendAs', () => exchange.addSendAs(p.identity, self));
  }
  return { rewired, failed };
}

export const rewireCloud: MigrationStep<'rewire-cloud'> = {
  name: 'rewire-cloud',
  async run(ctx, results): Promise<RewireCloudResult> {
    const snapshot = await loadSnapshot(ctx.deps.state, ctx.migration.id);
    const staged = results.get('stage')!;
    // Rights on on-premises mailboxes stay with the on-premises group: each is named, never silently left behind.
    for (const p of rightsLeftOnPremises(snapshot))
      await ctx.note(
        'rewire-cloud',
        finding(
          'ONPREM_MAILBOX_RIGHT_NOT_CARRIED',
          p.mailbox,
          `${p.kind} on the on-premises mailbox ${p.mailbox} is held by the group (SID ${p.trusteeSid}) and cannot be granted to the cloud group`,
          p.kind,
        ),
      );
    return pointCloudDependantsAt(ctx, snapshot, staged.identity, 'rewire-cloud');
  },
};
