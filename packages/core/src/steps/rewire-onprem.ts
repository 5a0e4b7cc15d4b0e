// rewire on-prem: every on-prem object that referred to the group (found through its back links before
// anything changed, managedObjects included — B1) now refers to the routing contact instead. A failure on one object
// is reported (needs-action) and never stops the others.
import { isReferencedObjectNotFound, type AdDependant, type ForwardLink } from '@dlmigrate/ad';
import { pollUntil, type Clock } from '../util/poll.js';
import { loadSnapshot } from '../engine/snapshot.js';
import { finding } from '../findings/finding.js';
import type { MigrationStep } from './results.js';
import { errorText } from './stage.js';
import { isTransient } from '../util/transient.js';

export interface RewireOnPremResult {
  readonly rewired: number;
  readonly failed: number;
}

/**
 * The attribute that must name the contact on the dependant. The contact is not a group, so "members of the group"
 * restrictions become per-sender ones (research phase 19), and ownership becomes co-ownership.
 */
export function rewireAttribute(dependant: AdDependant): ForwardLink | undefined {
  switch (dependant.attribute) {
    case 'dLMemSubmitPerms':
      return 'authOrig';
    case 'dLMemRejectPerms':
      return 'unauthOrig';
    case 'msExchBypassModerationFromDLMembersLink':
      return 'msExchBypassModerationLink';
    case 'managedBy':
      return dependant.objectClass.toLowerCase() === 'group' ? 'msExchCoManagedByLink' : undefined;
    case 'msExchModeratedByLink':
      return undefined; // a contact cannot moderate: an administrator has to pick a new moderator
    default:
      return dependant.attribute;
  }
}

/** How long a write in another domain waits for the routing contact to replicate there (AD: minutes at most). */
const CROSS_DOMAIN_REPLICATION_MS = 15 * 60_000;

/**
 * Runs a link write, again while the DC of the dependant's domain does not know the routing contact yet (it was
 * just created in the group's domain; another domain's DC finds it once replication brought it to the GC).
 */
export async function untilReplicated(
  clock: Clock,
  write: () => Promise<unknown>,
  deadlineMs = CROSS_DOMAIN_REPLICATION_MS,
): Promise<void> {
  let last: unknown;
  const outcome = await pollUntil(
    async () => {
      try {
        await write();
        return true;
      } catch (error) {
        if (!isReferencedObjectNotFound(error)) throw error;
        last = error;
        return false;
      }
    },
    (done) => done,
    { deadlineMs, initialDelayMs: 1_000, maxDelayMs: 30_000, clock },
  );
  if (!outcome.satisfied) throw last;
}

export const rewireOnPrem: MigrationStep<'rewire-onprem'> = {
  name: 'rewire-onprem',
  async run(ctx, results): Promise<RewireOnPremResult> {
    const { ad, state } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const group = snapshot.onPrem.group!;
    const contact = results.get('routing-contact');
    let rewired = 0;
    let failed = 0;
    for (const dependant of snapshot.dependants) {
      const fail = async (why: string) => {
        failed++;
        await ctx.note(
          'rewire-onprem',
          finding('ONPREM_REWIRE_FAILED', dependant.dn, why, dependant.attribute),
        );
      };
      if (contact === undefined) {
        await fail(`no routing contact was created, so ${dependant.attribute} still names the old group`);
        continue;
      }
      const attribute = rewireAttribute(dependant);
      if (attribute === undefined) {
        await fail(`${dependant.attribute} named the group; a routing contact cannot take that role`);
        continue;
      }
      // The dependant may have been renamed or moved since capture (e.g. another group of the same batch, retained
      // as "<name>!"): find it where it is now.
      const now = await ad.findByGuid(dependant.objectGuid);
      if (now === undefined) {
        await fail(`it no longer exists, so there is nothing to rewire`);
        continue;
      }
      try {
        await untilReplicated(ctx.clock, () =>
          attribute === 'altRecipient'
            ? ad.replaceLinkValue(now.dn, attribute, group.dn, contact.dn, { singleValued: true })
            : ad.addLinkValue(now.dn, attribute, contact.dn),
        );
        rewired++;
      } catch (error) {
        // The directory unreachable is not an answer about this dependant: the step fails and resume retries it (the
        // writes are idempotent), instead of leaving it unrewired for good (fault matrix, rewire-onprem × ldap).
        if (isTransient(error)) throw error;
        await fail(`adding the routing contact to ${attribute} failed: ${errorText(error)}`);
      }
    }
    return { rewired, failed };
  },
};
