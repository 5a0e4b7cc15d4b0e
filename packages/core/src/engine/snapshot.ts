// Everything capture reads before anything changes, persisted as write-once backups in the state store. Later steps
// (and a resumed run, and restore) work from these copies, never from a re-read that might already show changes.
import { CoreError } from '../errors/core-error.js';
import type { AdDependant, AdGroup, AdRecipient, DependantsResult } from '@dlmigrate/ad';
import type {
  CloudDependant,
  DistributionGroupRecord,
  GraphGroup,
  MemberRecord,
  RecipientPermissionRecord,
  RecipientRecord,
} from '@dlmigrate/exo';
import type { JsonValue, PermissionRecord, StateStore } from '@dlmigrate/state';
import { parseStored } from '../stored/parse.js';
import { addressHoldersSchema, type AddressHolder } from './address-holders.js';
import { snapshotSchema, syncedMembersSchema, unresolvedDependantsSchema } from './snapshot-schema.js';

export interface OnPremCapture {
  /** Every directory object holding the address (more than one is the duplicate-mail blocker). */
  readonly matches: readonly { dn: string; objectClass: string; isGroup: boolean }[];
  /** The group, when exactly one group holds the address. */
  readonly group: AdGroup | null;
  readonly schemaModern: boolean;
  readonly nonSyncOuExists: boolean | null;
}

/**
 * What the run reads of an object the group links to: its DN (what the links name), its class, and how Exchange
 * Online knows it and renders it (engine/resolution.ts, mapping/links.ts resolveLink, validation, parity,
 * verify/expected.ts). Captures taken before it was kept this small hold whole AdRecipients, which are this too.
 */
export type LinkedRecipient = Pick<
  AdRecipient,
  | 'dn'
  | 'kind'
  | 'name'
  | 'mail'
  | 'lookupAddress'
  | 'userPrincipalName'
  | 'externalDirectoryObjectId'
  | 'groupType'
  | 'marker'
>;

/**
 * The linked object as capture stores it: the fields of LinkedRecipient it has. A big group's links part held the
 * whole directory record of every member (GUID, class, display name, alias, target address, recipient types: about
 * 440 bytes of JSON each), parsed again by each process that loads the snapshot (issue 17).
 */
export function linkedRecipient(recipient: AdRecipient): LinkedRecipient {
  const {
    dn,
    kind,
    name,
    mail,
    lookupAddress,
    userPrincipalName,
    externalDirectoryObjectId,
    groupType,
    marker,
  } = recipient;
  return {
    dn,
    kind,
    name,
    ...(mail === undefined ? {} : { mail }),
    ...(lookupAddress === undefined ? {} : { lookupAddress }),
    ...(userPrincipalName === undefined ? {} : { userPrincipalName }),
    ...(externalDirectoryObjectId === undefined ? {} : { externalDirectoryObjectId }),
    ...(groupType === undefined ? {} : { groupType }),
    ...(marker === undefined ? {} : { marker }),
  };
}

export interface LinksCapture {
  /** Objects the group's links (and Send-As ACEs) point at, as the directory classifies them (linkedRecipient). */
  readonly recipients: readonly LinkedRecipient[];
  /** DNs no domain controller knows any more. */
  readonly missing: readonly string[];
  /**
   * The group's members are not among these records but in pages of their own, each with its cloud look-up
   * (engine/member-pages.ts): so a 100,000-member group is read a page at a time, never held whole. Absent in captures
   * taken before: their members are here, and in the cloud look-up part.
   */
  readonly membersApart?: boolean;
}

export interface CloudCapture {
  /** What Exchange Online knows under the group's id or address (any recipient type). */
  readonly recipient: RecipientRecord | null;
  readonly group: DistributionGroupRecord | null;
  /**
   * The synced group's members, in captures taken before they were kept apart (SYNCED_MEMBERS): read them through
   * loadSyncedMembers, which finds them either way.
   */
  readonly members?: readonly MemberRecord[];
  readonly graphGroup: GraphGroup | null;
}

interface CloudDependantsCapture {
  readonly dependants: readonly CloudDependant[];
  /** Send-As rights the old group holds on other cloud recipients. */
  readonly sendAsAsTrustee: readonly RecipientPermissionRecord[];
  /** Send-As rights granted on the old group directly in the cloud. */
  readonly sendAsOnGroup: readonly RecipientPermissionRecord[];
}

export interface CloudLookupCapture {
  /** Link identity → the cloud recipient's ExternalDirectoryObjectId (or Guid). */
  readonly found: Readonly<Record<string, string>>;
  readonly missing: readonly string[];
  /**
   * Link identity → how Exchange names that recipient: its Name, which is what Get-DistributionGroup shows in the
   * link lists (ManagedBy, the restrictions, GrantSendOnBehalfTo) and is unique among the tenant's recipients, and
   * its primary SMTP address (a plain user's UPN). verify/expected.ts matches the lists by it, not by the on-prem
   * object's name (a retained group "Sales!" stands for the cloud DL "Sales"). Absent in captures taken before it
   * was recorded.
   */
  readonly rendered?: Readonly<Record<string, CloudRendering>>;
}

export interface CloudRendering {
  readonly name: string;
  readonly address: string;
}

export interface TenantCapture {
  readonly acceptedDomains: readonly string[];
  readonly centralizedTransport: boolean;
  readonly detectedRoutingDomain: string | null;
  /**
   * Whether the app may use -BypassSecurityGroupManagerCheck, which every write to a cloud group needs
   * (Set-DistributionGroup.md: Organization Management or "Security Group Creation and Membership").
   * Absent in captures taken before it was recorded: not known, so not held against the migration.
   */
  readonly groupManagerBypass?: boolean;
}

/** Rights the group holds on mailboxes, from the permission collection (`dlmigrate collect permissions`). */
export interface PermissionsCapture {
  /** When the least recently scanned mailbox of the collection was read (null: nothing collected). */
  readonly collectedAt: string | null;
  /** Rights held by the group on mailboxes (FullAccess, Send-As, send-on-behalf, folders), one per row collected. */
  readonly held: readonly PermissionRecord[];
  /**
   * Mailboxes among those of held FullAccess and Send-As rights that have no mailbox in Exchange Online (on-premises
   * mailboxes, from the directory): those rights cannot go to the cloud group. Absent in older captures: none.
   */
  readonly onPremOnly?: readonly string[];
}

/** Captured only when a permission collection exists; snapshots of older runs have none. */
export const PERMISSIONS_KIND = 'cloud-permissions';

export interface Snapshot {
  readonly onPrem: OnPremCapture;
  readonly links: LinksCapture;
  readonly dependants: readonly AdDependant[];
  readonly cloud: CloudCapture;
  readonly cloudDependants: CloudDependantsCapture;
  readonly cloudLookup: CloudLookupCapture;
  readonly tenant: TenantCapture;
  readonly permissions?: PermissionsCapture;
}

export const SNAPSHOT_KINDS = {
  onPrem: 'onprem-group',
  links: 'onprem-links',
  dependants: 'onprem-dependants',
  cloud: 'cloud-dl',
  cloudDependants: 'cloud-dependants',
  cloudLookup: 'cloud-lookup',
  tenant: 'tenant',
} as const satisfies Record<Exclude<keyof Snapshot, 'permissions'>, string>;

/**
 * Back links of the group that no DC or GC resolved (`DependantsResult.unresolved`), kept apart from SNAPSHOT_KINDS so
 * a migration captured before they were kept still loads (absent = none).
 */
export const UNRESOLVED_DEPENDANTS = 'onprem-dependants-unresolved';

/**
 * Recipients other than the synced group holding one of its addresses (engine/address-holders.ts), kept apart from
 * SNAPSHOT_KINDS so a migration captured before they were read still loads (absent = not read). Recreate only.
 */
export const ADDRESS_HOLDERS = 'cloud-address-holders';

/**
 * The synced group's members as capture read them (compact records: ids, name, primary address, type), kept apart
 * from the `cloud` part: only the convert strategy's parity check and the verify of a convert or a restore compare
 * them, and the snapshot every step keeps parsed held 100,000 of them (28 MiB of heap) through a whole recreate
 * (issue 17). Written before the `cloud` part, whose presence says capture read the synced group.
 */
export const SYNCED_MEMBERS = 'cloud-dl-members';

/** The synced group's members as captured: the part kept apart, or the list inside an older capture's `cloud` part. */
export async function loadSyncedMembers(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
): Promise<readonly MemberRecord[]> {
  const backup = await state.getBackup(migrationId, SYNCED_MEMBERS);
  return backup === null
    ? (snapshot.cloud.members ?? [])
    : parseStored(syncedMembersSchema, backup.data, `the synced group's members of migration ${migrationId}`);
}

export async function loadAddressHolders(state: StateStore, migrationId: string): Promise<AddressHolder[]> {
  const backup = await state.getBackup(migrationId, ADDRESS_HOLDERS);
  return backup === null
    ? []
    : parseStored(addressHoldersSchema, backup.data, `the address holders of migration ${migrationId}`);
}

export async function loadUnresolvedDependants(
  state: StateStore,
  migrationId: string,
): Promise<DependantsResult['unresolved']> {
  const backup = await state.getBackup(migrationId, UNRESOLVED_DEPENDANTS);
  return backup === null
    ? []
    : parseStored(
        unresolvedDependantsSchema,
        backup.data,
        `the unresolved back links of migration ${migrationId}`,
      );
}

/**
 * Returns the backup of this kind, reading and storing it first if it does not exist yet. A resumed capture thus
 * keeps what the first run saw.
 */
export async function captureOnce<T>(
  state: StateStore,
  migrationId: string,
  kind: string,
  read: () => Promise<T>,
): Promise<T> {
  const existing = await state.getBackup(migrationId, kind);
  if (existing !== null) return existing.data as T;
  // Serialised once: the text is what is stored, and its parse is what this run goes on with — exactly what a resumed
  // run will get back (no Maps, no undefined). What was read is dropped once serialised, so a 100,000-member group's
  // links are not held three times at once (issue 17).
  const { data, json } = storedForm(await read());
  await state.putBackup(migrationId, kind, data, json);
  return data as T;
}

/**
 * Stores what `read` gives as a write-once backup of this kind unless one exists, without reading it back: for a part
 * this run does not go on with (SYNCED_MEMBERS), whose parse would be 100,000 records made only to be dropped.
 */
export async function storeOnce(
  state: StateStore,
  migrationId: string,
  kind: string,
  read: () => Promise<unknown>,
): Promise<void> {
  if (await state.hasBackup(migrationId, kind)) return;
  const value = await read();
  await state.putBackup(migrationId, kind, value as JsonValue, JSON.stringify(value));
}

/** A value as the store keeps it: its JSON text (serialised once) and that text read back. */
export function storedForm(value: unknown): { data: JsonValue; json: string } {
  const json = JSON.stringify(value);
  return { data: JSON.parse(json) as JsonValue, json };
}

/**
 * Snapshots this process parsed lately, per store: the parts are write-once, so only the first step of a run reads
 * and parses them (every step used to re-read every part — at 100,000 members, many copies of the same snapshot for
 * the collector to catch up with, issue 17). A few per store: a batch works on many migrations at once.
 */
const parsed = new WeakMap<StateStore, Map<string, Snapshot>>();
/**
 * The parts capture has just stored, each as captureOnce gave it back (the parse of the stored text): what the next
 * loadSnapshot of the migration uses instead of reading and parsing every part again. At 40,000 members that second
 * read was about 110 MiB of transient memory in validate, the step that set the run's peak (issue 17).
 */
const captured = new WeakMap<StateStore, Map<string, CapturedParts>>();
const PARSED_PER_STORE = 16;

/** Every part of a snapshot as stored (permissions only when they were captured). */
export type CapturedParts = Record<keyof typeof SNAPSHOT_KINDS, unknown> & { permissions?: unknown };

function recentOf<V>(maps: WeakMap<StateStore, Map<string, V>>, state: StateStore): Map<string, V> {
  return maps.get(state) ?? maps.set(state, new Map()).get(state)!;
}

function keepRecent<V>(recent: Map<string, V>, migrationId: string, value: V): void {
  recent.delete(migrationId);
  recent.set(migrationId, value); // most recently used last
  if (recent.size > PARSED_PER_STORE) recent.delete(recent.keys().next().value!);
}

/**
 * Hands what capture stored to the next loadSnapshot of this migration in this process. The parts must be what
 * captureOnce returned — the parse of the text it stored, or of the backup an earlier run stored — so the snapshot
 * made of them is the one readSnapshot would read back; it is checked by the same schema when it is loaded.
 */
export function rememberCapture(state: StateStore, migrationId: string, parts: CapturedParts): void {
  recentOf(parsed, state).delete(migrationId);
  keepRecent(recentOf(captured, state), migrationId, parts);
}

/**
 * Lets go of this migration's parsed snapshot in this process: a step about to spend long with little of it (stage's
 * membership write) does not keep a big group's records alive; the next loadSnapshot reads it again.
 */
export function forgetSnapshot(state: StateStore, migrationId: string): void {
  parsed.get(state)?.delete(migrationId);
  captured.get(state)?.delete(migrationId);
}

export async function loadSnapshot(state: StateStore, migrationId: string): Promise<Snapshot> {
  const recent = recentOf(parsed, state);
  const hit = recent.get(migrationId);
  if (hit !== undefined) {
    keepRecent(recent, migrationId, hit);
    return hit;
  }
  const fresh = recentOf(captured, state);
  const parts = fresh.get(migrationId);
  fresh.delete(migrationId);
  const snapshot =
    parts === undefined ? await readSnapshot(state, migrationId) : snapshotOf(migrationId, { ...parts });
  keepRecent(recent, migrationId, snapshot);
  return snapshot;
}

/**
 * One part of the snapshot alone (`cloud`: the synced group as capture read it; `onPrem`: the on-prem group): one stored
 * part read and checked instead of eight. For what needs only that part — the batch's deletion watch, for every group
 * of a wave before its first poll; await-deletion and take-over, for every group of a wave the moment its deletion was
 * seen — where a whole snapshot each cost eight store calls per group in the one store queue the wave's take-overs
 * wait in, and the few parsed snapshots kept here cannot hold a wave's (issue 15). A snapshot already parsed is used.
 */
export async function loadSnapshotPart<P extends 'cloud' | 'onPrem'>(
  state: StateStore,
  migrationId: string,
  part: P,
): Promise<Snapshot[P]> {
  const hit = parsed.get(state)?.get(migrationId);
  if (hit !== undefined) return hit[part];
  const kind = SNAPSHOT_KINDS[part];
  const backup = await state.getBackup(migrationId, kind);
  if (backup === null)
    throw new CoreError(
      'CORE_CAPTURE_INCOMPLETE',
      `migration ${migrationId} has no "${kind}" backup: capture has not completed`,
    );
  // The part's schema checks what is read; `part` picks which of the two the result is.
  return parseStored(
    snapshotSchema.shape[part],
    backup.data,
    `the ${kind} capture of migration ${migrationId}`,
  ) as Snapshot[P];
}

async function readSnapshot(state: StateStore, migrationId: string): Promise<Snapshot> {
  // Asked for all at once: the store answers calls in turn (one queue per SQLite connection, sqlite-driver.ts), and
  // in a batch wave hundreds of groups read their snapshot at the moment of their take-over — eight reads one after
  // another waited their turn eight times (issue 15).
  const kinds = Object.entries(SNAPSHOT_KINDS);
  const [permissions, ...backups] = await Promise.all([
    state.getBackup(migrationId, PERMISSIONS_KIND),
    ...kinds.map(([, kind]) => state.getBackup(migrationId, kind)),
  ]);
  const parts: Record<string, unknown> = {};
  for (const [index, [part, kind]] of kinds.entries()) {
    const backup = backups[index];
    if (backup === null || backup === undefined)
      throw new CoreError(
        'CORE_CAPTURE_INCOMPLETE',
        `migration ${migrationId} has no "${kind}" backup: capture has not completed`,
      );
    parts[part] = backup.data;
  }
  if (permissions !== null && permissions !== undefined) parts['permissions'] = permissions.data;
  return snapshotOf(migrationId, parts);
}

/** The stored parts as the run's snapshot: equal strings shared, then checked by the snapshot's schema. */
function snapshotOf(migrationId: string, parts: Record<string, unknown>): Snapshot {
  shareStrings(parts);
  return parseStored(snapshotSchema, parts, `the snapshot of migration ${migrationId}`);
}

/**
 * Makes equal strings of a parsed document one string: JSON.parse gives every occurrence its own copy, and a big
 * group's snapshot names each member several times over — its DN in the group's links and in the resolved links, its
 * address as mail, lookup address, cloud look-up key and the synced members' primary address, its name, its cloud id.
 * The parsed snapshot is kept for the run's steps (`loadSnapshot`), so the copies were held for the whole migration
 * (issue 17). Strings are immutable: sharing one changes no value. Works in place, on plain JSON (objects, arrays).
 */
function shareStrings(document: unknown): void {
  const seen = new Map<string, string>();
  const share = (value: string): string => {
    const first = seen.get(value);
    if (first !== undefined) return first;
    seen.set(value, value);
    return value;
  };
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === 'string') node[i] = share(item);
        else if (item !== null && typeof item === 'object') pending.push(item);
      }
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (typeof item === 'string') record[key] = share(item);
        else if (item !== null && typeof item === 'object') pending.push(item);
      }
    }
  }
}
