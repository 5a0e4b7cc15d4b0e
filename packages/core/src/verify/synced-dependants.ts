// The cloud side of the on-prem dependants (issue 14, "no final sync"): a synced parent group, or a synced object whose
// restriction or owner list named the migrated group, is pointed at the routing contact on-premises by rewire-onprem;
// its copy in Exchange Online is directory-synced (read-only there) and names the contact only once a sync cycle has
// exported both. Shared by the final-sync step (which waits until every such copy shows it) and the verify source
// (which compares). Read in bulk: one lookup for the dependants' copies, one Members filter for the parents, one read
// per other dependant — never a tenant-wide scan.
import { normalizeDn, rdnValue, type AdDependant, type ForwardLink } from '@dlmigrate/ad';
import {
  opathEquals,
  RESOLVE_PROPERTIES,
  resolveRecipients,
  type ExchangeOnline,
  type RecipientRecord,
  cloudIdentity,
} from '@dlmigrate/exo';
import type { MigrationContext } from '../engine/context.js';
import type { Snapshot } from '../engine/snapshot.js';
import { cloudObjectId } from '../mapping/links.js';
import { captureOnce } from '../engine/snapshot.js';
import { parseStored } from '../stored/parse.js';
import { z } from 'zod';
import type { RoutingContactResult } from '../steps/routing-contact.js';
import { rewireAttribute } from '../steps/rewire-onprem.js';
import type { ExpectedValue, ObservedAttribute } from './values.js';

/** A captured on-prem dependant whose synced copy in Exchange Online must name the routing contact. */
export interface SyncedDependant {
  /** The dependant's DN at capture (how verify names on-prem dependants). */
  readonly dn: string;
  /** The attribute of the synced copy, as Exchange Online names it. */
  readonly attribute: string;
  /** The synced copy's identity (its Entra object id, else its Guid) and type. */
  readonly identity: string;
  readonly guid: string;
  readonly recipientTypeDetails: string;
}

const GROUP_TYPES = new Set([
  'MailUniversalDistributionGroup',
  'MailUniversalSecurityGroup',
  'MailNonUniversalGroup',
  'RoomList',
]);
const MAILBOX_TYPES = new Set(['UserMailbox', 'SharedMailbox', 'RoomMailbox', 'EquipmentMailbox']);

/**
 * The attribute of the synced copy the sync fills from the attribute rewire-onprem wrote (the link mapping of
 * packages/cloud-sim/README.md "Directory sync", as Entra Connect maps them), or undefined when the sync does not carry
 * it into Exchange Online: forwarding (altRecipient) and a mailbox's send-on-behalf stay Exchange-Online-mastered — the
 * cloud side of those is rewire-cloud's, and the cloud dependants source verifies it; moderators are never rewired.
 */
export function syncedAttribute(written: ForwardLink, recipientTypeDetails: string): string | undefined {
  switch (written) {
    case 'member':
      return GROUP_TYPES.has(recipientTypeDetails) ? 'Members' : undefined;
    case 'authOrig':
    case 'dLMemSubmitPerms':
      return 'AcceptMessagesOnlyFromSendersOrMembers';
    case 'unauthOrig':
    case 'dLMemRejectPerms':
      return 'RejectMessagesFromSendersOrMembers';
    case 'msExchBypassModerationLink':
    case 'msExchBypassModerationFromDLMembersLink':
      return 'BypassModerationFromSendersOrMembers';
    case 'managedBy':
    case 'msExchCoManagedByLink':
      return GROUP_TYPES.has(recipientTypeDetails) ? 'ManagedBy' : undefined;
    case 'publicDelegates':
      return MAILBOX_TYPES.has(recipientTypeDetails) ? undefined : 'GrantSendOnBehalfTo';
    default:
      return undefined;
  }
}

/**
 * The captured dependants that have a directory-synced copy in Exchange Online holding the rewired link. Found by where
 * each dependant is now (a batch may have renamed it) and by its Entra object id or address, in one bulk lookup; one not
 * found or not synced has no cloud side to check.
 */
export async function locateSyncedDependants(
  ctx: MigrationContext,
  snapshot: Snapshot,
): Promise<SyncedDependant[]> {
  const { ad, exchange } = ctx.deps;
  const rewired = snapshot.dependants.filter((d) => rewireAttribute(d) !== undefined);
  if (rewired.length === 0) return [];
  const now = new Map<AdDependant, string>();
  for (const d of rewired) {
    const found = await ad.findByGuid(d.objectGuid);
    if (found !== undefined) now.set(d, found.dn);
  }
  const objects = (await ad.resolveRecipients([...new Set(now.values())])).recipients;
  const identityOf = new Map<AdDependant, string>();
  for (const [d, dn] of now) {
    const object = objects.get(normalizeDn(dn));
    const identity =
      cloudObjectId(object?.externalDirectoryObjectId) ?? object?.lookupAddress ?? object?.mail;
    if (identity !== undefined && identity !== '') identityOf.set(d, identity);
  }
  const copies = await resolveRecipients(exchange, [...new Set(identityOf.values())], {
    select: [...RESOLVE_PROPERTIES, 'IsDirSynced'],
  });
  const out: SyncedDependant[] = [];
  const seen = new Set<string>();
  for (const [d, identity] of identityOf) {
    const copy = copies.found.get(identity);
    if (copy === undefined || !copy.isDirSynced) continue;
    const attribute = syncedAttribute(rewireAttribute(d)!, copy.recipientTypeDetails);
    // Two on-prem links may fill one cloud list (authOrig and dLMemSubmitPerms): one value to check.
    const key = `${normalizeDn(d.dn)}\u0000${attribute}`;
    if (attribute === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push({
      dn: d.dn,
      attribute,
      identity: cloudIdentity(copy),
      guid: copy.guid,
      recipientTypeDetails: copy.recipientTypeDetails,
    });
  }
  return out;
}

/**
 * The located copies as final-sync found them, kept as a write-once backup of the migration: final-sync in a batch runs
 * twice (once before the level's final sync, where it suspends, once after) and the verify step right after it, and
 * each located them again — in Exchange, one bulk lookup each, and in the directory a read per dependant (issue 17).
 */
const LOCATED_KIND = 'synced-dependants';

const locatedSchema = z.array(
  z.looseObject({
    dn: z.string(),
    attribute: z.string(),
    identity: z.string(),
    guid: z.string(),
    recipientTypeDetails: z.string(),
  }),
) satisfies z.ZodType<SyncedDependant[]>;

/** locateSyncedDependants once per migration: the first call locates and keeps the result, later calls read it. */
export async function locateSyncedDependantsOnce(
  ctx: MigrationContext,
  snapshot: Snapshot,
): Promise<SyncedDependant[]> {
  const kept = await captureOnce(ctx.deps.state, ctx.migration.id, LOCATED_KIND, () =>
    locateSyncedDependants(ctx, snapshot),
  );
  return parseStored(locatedSchema, kept, `the synced dependants of migration ${ctx.migration.id}`);
}

/** What final-sync located (locateSyncedDependantsOnce); undefined when it located nothing yet (not run, or off). */
export async function locatedByFinalSync(ctx: MigrationContext): Promise<SyncedDependant[] | undefined> {
  const kept = await ctx.deps.state.getBackup(ctx.migration.id, LOCATED_KIND);
  return kept === null
    ? undefined
    : parseStored(locatedSchema, kept.data, `the synced dependants of migration ${ctx.migration.id}`);
}

/** How many objects the located values are on. */
export function objectCount(located: readonly SyncedDependant[]): number {
  return new Set(located.map((d) => normalizeDn(d.dn))).size;
}

/** What the synced copies must hold (the routing contact) and what they hold now, for compareValues. */
export async function readSyncedDependants(
  exchange: ExchangeOnline,
  located: readonly SyncedDependant[],
  contact: RoutingContactResult,
): Promise<{ expected: ExpectedValue[]; observed: ObservedAttribute[] }> {
  if (located.length === 0) return { expected: [], observed: [] };
  // The contact as Exchange renders it in a link list (by Name) or a member list: absent until the sync exported it.
  const copy = await exchange.getRecipient(contact.mail);
  const forms = [
    contact.mail,
    rdnValue(contact.dn),
    ...(copy === null ? [] : [copy.name, copy.primarySmtpAddress, copy.externalDirectoryObjectId, copy.guid]),
  ].filter((f) => f !== '');
  const expected: ExpectedValue[] = located.map((d) => ({
    side: 'cloud',
    object: d.dn,
    attribute: d.attribute,
    value: contact.mail,
    forms,
  }));
  const observed: ObservedAttribute[] = [];
  // Parents: one filter for every synced group that has the contact as a member (read whole, a parent may be huge).
  const parents = located.filter((d) => d.attribute === 'Members');
  if (parents.length > 0) {
    const holders =
      copy === null
        ? new Set<string>()
        : new Set(
            (await exchange.findRecipients(opathEquals('Members', copy.distinguishedName), {}, ['Guid'])).map(
              (r) => r.guid.toLowerCase(),
            ),
          );
    for (const d of parents)
      observed.push({
        side: 'cloud',
        object: d.dn,
        attribute: 'Members',
        values: holders.has(d.guid.toLowerCase()) ? [contact.mail] : [],
      });
  }
  // Every other dependant read once, by id, with the Get- cmdlet of its type, however many of its links named the group.
  const others = new Map<string, SyncedDependant[]>();
  for (const d of located)
    if (d.attribute !== 'Members')
      (others.get(d.identity) ?? others.set(d.identity, []).get(d.identity)!).push(d);
  for (const [identity, links] of others) {
    const record = await readTyped(exchange, identity, links[0]!.recipientTypeDetails);
    for (const d of links)
      observed.push({
        side: 'cloud',
        object: d.dn,
        attribute: d.attribute,
        values: listOf(record, d.attribute),
      });
  }
  return { expected, observed };
}

async function readTyped(
  exchange: ExchangeOnline,
  identity: string,
  recipientTypeDetails: string,
): Promise<RecipientRecord | null> {
  if (GROUP_TYPES.has(recipientTypeDetails)) return exchange.getDistributionGroup(identity);
  if (MAILBOX_TYPES.has(recipientTypeDetails)) return exchange.getMailbox(identity);
  if (recipientTypeDetails === 'MailUser') return exchange.getMailUser(identity);
  if (recipientTypeDetails === 'MailContact') return exchange.getMailContact(identity);
  return exchange.getRecipient(identity);
}

/** A link list of the record's cmdlet output (kept whole in `settings`, camelCased), [] when absent. */
function listOf(record: RecipientRecord | null, attribute: string): string[] {
  const value = record?.settings[attribute.charAt(0).toLowerCase() + attribute.slice(1)];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}
