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
  /**
   * The dependants (DNs as captured) left naming the old group, each with its ONPREM_REWIRE_FAILED finding: their synced
   * copies will not name the routing contact, so final-sync does not wait for them. Absent in a result journaled before
   * it was recorded (read as none).
   */
  readonly unrewired?: readonly string[];
}

/**
 * The attribute that must name the contact on the dependant. The contact is not a group, so "members of the group"
 * restrictions become per-sender ones (docs/reference-behaviour.md#rewiring-dependants; what that does to their meaning: membersOfChange), and
 * ownership becomes co-ownership.
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

/**
 * "Members of the group" restrictions (issue 14). Decision — what the directory allows, and what it does not:
 * - On-premises the dependant keeps its link to the group object as long as that object exists: a retained group
 *   (dispose.ts: renamed "!", mail-disabled, members kept) stays in dLMemSubmitPerms / dLMemRejectPerms /
 *   msExchBypassModerationFromDLMembersLink, and so does its membership. Nothing here removes that link.
 * - In Exchange Online the dependant's copy is directory-synced: its lists hold only objects the sync exports (the
 *   sync links only to objects that are themselves synced, packages/cloud-sim/README.md "Directory sync"; synced
 *   objects refuse edits in the cloud). The migrated group is cloud-managed now, the retained group mail-disabled and
 *   the hybrid dynamic DL not synced (Entra Connect exports no dynamic DLs) and matching only the routing contact, so
 *   no object the directory can name expands to the group's members in the cloud: there the meaning cannot be kept.
 * So the routing contact is still added as a single sender (the write DLConversionV2 made, docs/reference-behaviour.md#rewiring-dependants): an
 * accept list whose only entry was the group would otherwise sync empty — open to everyone — and names the contact
 * instead (fail closed), and when the dependant is migrated later its capture resolves the contact (and the retained
 * group) to the new cloud group (mapping/links.ts, routing-contact), which restores "members of" in the cloud. And
 * every such dependant is reported: MEMBERS_OF_RESTRICTION_CHANGED, needs-action, naming the object and attribute and
 * what changed for the group's members — never silently. `plan` says it per dependant.
 */
export function membersOfChange(dependant: AdDependant, groupName: string): string | undefined {
  const members = `the members of ${groupName}`;
  const synced = 'its directory-synced copy in Exchange Online cannot name the cloud-managed group';
  switch (dependant.attribute) {
    case 'dLMemSubmitPerms':
      return `${dependant.dn} accepted mail from ${members}; ${synced}, so it names the routing contact as a single sender and ${members} can no longer send to it`;
    case 'dLMemRejectPerms':
      return `${dependant.dn} rejected mail from ${members}; ${synced}, so it names the routing contact as a single sender and ${members} are no longer rejected`;
    case 'msExchBypassModerationFromDLMembersLink':
      return `${dependant.dn} let ${members} bypass moderation; ${synced}, so it names the routing contact as a single sender and mail from ${members} is moderated now`;
    default:
      return undefined;
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
    const unrewired: string[] = [];
    // The step redoes every write (each is idempotent) and reports again: a run killed part-way leaves no duplicates.
    await state.clearFindings(ctx.migration.id, 'rewire-onprem');
    for (const dependant of snapshot.dependants) {
      const fail = async (why: string) => {
        unrewired.push(dependant.dn);
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
      const changed = membersOfChange(dependant, group.name);
      if (changed !== undefined)
        await ctx.note(
          'rewire-onprem',
          finding('MEMBERS_OF_RESTRICTION_CHANGED', dependant.dn, changed, dependant.attribute),
        );
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
    return { rewired, failed: unrewired.length, unrewired };
  },
};
