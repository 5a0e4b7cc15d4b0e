// Step 11 — rewire cloud: the new DL takes the old one's place wherever cloud-only objects named it (groups it was a
// member of, delivery restrictions, moderation bypass, send-on-behalf, ownership, forwarding) and in Send-As rights
// the old group held; child groups kept as members (skipNestedGroupCheck) join now. Each failure is reported
// (needs-action) and never stops the others.
import { addRemove, ExoError, type CloudDependant } from '@dlmigrate/exo';
import { cloudIdentity } from '../engine/cloud-identity.js';
import type { MigrationContext } from '../engine/context.js';
import { loadSnapshot } from '../engine/snapshot.js';
import { finding } from '../findings/finding.js';
import type { SagaStep } from '../saga/runner.js';
import { errorText, type StageResult } from './stage.js';

export interface RewireCloudResult {
  readonly rewired: number;
  readonly failed: number;
}

export const rewireCloud: SagaStep<MigrationContext> = {
  name: 'rewire-cloud',
  async run(ctx, results): Promise<RewireCloudResult> {
    const { exchange, state } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const self = (results.get('stage') as StageResult).identity;
    let rewired = 0;
    let failed = 0;
    const attempt = async (subject: string, what: string, action: () => Promise<unknown>) => {
      try {
        await action();
        rewired++;
      } catch (error) {
        if (!(error instanceof ExoError)) throw error;
        if (error.kind === 'already-exists') return void rewired++;
        failed++;
        await ctx.note('rewire-cloud', finding('CLOUD_REWIRE_FAILED', subject, `${what}: ${errorText(error)}`, what));
      }
    };

    for (const d of snapshot.cloudDependants.dependants) {
      const target = { identity: cloudIdentity(d.recipient), recipientTypeDetails: d.recipient.recipientTypeDetails };
      await attempt(d.recipient.primarySmtpAddress || target.identity, d.link, () => rewireDependant(d, target));
    }
    for (const p of snapshot.cloudDependants.sendAsAsTrustee) {
      if (p.isInherited || !p.accessRights.includes('SendAs')) continue;
      await attempt(p.identity, 'SendAs', () => exchange.addSendAs(p.identity, self));
    }
    for (const child of (results.get('stage') as StageResult).deferredMembers) {
      await attempt(child, 'Members', () => exchange.addMember(self, child));
    }
    return { rewired, failed };

    function rewireDependant(d: CloudDependant, target: { identity: string; recipientTypeDetails: string }): Promise<unknown> {
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
    }
  },
};
