// The fixture format: a declarative description of a forest's recipients, seeded by `seed()`.
//
// Every object has a stable `key` (`users.alice`, `groups.sales`). Links between objects (member,
// managedBy, authOrig, ...) name other objects by key, so a fixture never spells a DN, and tests
// look objects up by key in the SeedResult. What Exchange would stamp on a recipient of a given kind
// (msExchRecipientTypeDetails/DisplayType, legacyExchangeDN, the primary SMTP proxy, ...) is derived
// by the seeder from `kind` and `alias`; `attributes` can add to or override any of it.

/** A single attribute value or several; numbers and booleans are written as AD writes them. */
export type AttributeValue = string | number | boolean | Array<string | number | boolean>;

/** DN-valued attributes a fixture can set. Values are keys of other objects (or `<prefix>.*` for a generated set). */
export const LINK_ATTRIBUTES = [
  'member',
  'managedBy', // single-valued
  'msExchCoManagedByLink',
  'msExchModeratedByLink',
  'msExchBypassModerationLink', // individual senders that bypass moderation
  'msExchBypassModerationFromDLMembersLink', // groups whose members bypass moderation
  'authOrig', // accept messages only from (recipients)
  'dLMemSubmitPerms', // accept messages only from (members of groups)
  'unauthOrig', // reject messages from (recipients)
  'dLMemRejectPerms', // reject messages from (members of groups)
  'publicDelegates', // send on behalf
  'altRecipient', // single-valued: forward to
] as const;
export type LinkAttribute = (typeof LINK_ATTRIBUTES)[number];
export const SINGLE_VALUED_LINKS: ReadonlySet<LinkAttribute> = new Set(['managedBy', 'altRecipient']);

export type Links = Partial<Record<LinkAttribute, string[]>>;

export interface OuSpec {
  key: string;
  name: string;
  /** Key of the parent OU; absent = directly under the domain. */
  parent?: string;
  description?: string;
  /** Inside the part of the tree Entra Connect synchronises (informational; used by cloud-sim and tests). */
  synced: boolean;
}

export interface ObjectSpecBase {
  key: string;
  /** Key of the OU the object lives in. */
  ou: string;
  /** The RDN value (CN). At most 64 characters, as in AD. */
  cn: string;
  displayName?: string;
  description?: string;
  /** Extra or overriding attributes, by LDAP name. */
  attributes?: Record<string, AttributeValue>;
  links?: Links;
  /** What the object is for in tests (goes into the README table). */
  purpose?: string;
}

export type UserKind =
  | 'mailbox' // on-premises mailbox: UserMailbox
  | 'remoteMailbox' // mailbox already in Exchange Online (hybrid): RemoteUserMailbox
  | 'mailUser' // mail-enabled user with an external address: MailUser
  | 'user'; // no Exchange attributes at all

export interface UserSpec extends ObjectSpecBase {
  kind: UserKind;
  /** mailNickname and local part of the primary address (required unless kind is 'user'). */
  alias?: string;
  /** sAMAccountName (max 20 characters); default: derived from alias or cn. */
  samAccountName?: string;
  givenName?: string;
  sn?: string;
  /** External address of a mail user (targetAddress); default `<alias>@<externalDomain>`. */
  externalAddress?: string;
}

export type ContactKind =
  | 'mailContact' // Exchange mail contact: MailContact with targetAddress
  | 'mailOnlyContact' // a contact with only `mail` set, not mail-enabled in Exchange
  | 'contact'; // neither

export interface ContactSpec extends ObjectSpecBase {
  kind: ContactKind;
  alias?: string;
  /** The contact's external address (mail + targetAddress). */
  externalAddress?: string;
}

export type GroupKind =
  | 'distribution' // mail-enabled universal distribution group: MailUniversalDistributionGroup
  | 'security' // mail-enabled universal security group: MailUniversalSecurityGroup
  | 'roomList' // a distribution group flagged as a room list
  | 'mailOnlyDistribution' // universal distribution group with only `mail` set
  | 'mailOnlySecurity' // universal security group with only `mail` set
  | 'plainSecurity' // universal security group, not mail-enabled
  | 'plainDistribution'; // universal distribution group, not mail-enabled

export interface GroupSpec extends ObjectSpecBase {
  kind: GroupKind;
  alias?: string;
  samAccountName?: string;
  /** Already migrated by DLConversionV2 and retained (ext1 = MigratedByScript). Informational. */
  note?: string;
}

export interface DynamicGroupSpec extends ObjectSpecBase {
  alias: string;
  /** msExchDynamicDLFilter / msExchQueryFilter (LDAP filter text, stored as is). */
  ldapFilter: string;
  /** OU key the filter applies under (msExchDynamicDLBaseDN). */
  baseOu: string;
}

/** Many similar users, keyed `<key>.0001` ... `<key>.<count>`; referenced as a whole with `<key>.*`. */
export interface GeneratedUsers {
  key: string;
  ou: string;
  count: number;
  kind: UserKind;
  /** cn = `<cnPrefix> 0001`, alias = `<aliasPrefix>0001`. */
  cnPrefix: string;
  aliasPrefix: string;
  purpose?: string;
}

/** Many similar mail contacts, keyed `<key>.0001` ... `<key>.<count>`; referenced as a whole with `<key>.*`. */
export interface GeneratedContacts {
  key: string;
  ou: string;
  count: number;
  /** cn = `<cnPrefix> 0001`, alias = `<aliasPrefix>0001`, address `<alias>@<externalDomain of the fixture>`. */
  cnPrefix: string;
  aliasPrefix: string;
  purpose?: string;
}

/**
 * How a fixture gets into the DC. `ldap`: adds over LDAPS to the running DC (what a real client does; 100-200
 * objects/s, less the bigger the directory). `offline`: LDIF imported into the stopped DC's database with Samba's
 * own ldb tools, attribute indexes rebuilt once at the end (offline.ts) — for fixtures of tens of thousands.
 */
export type SeedMethod = 'ldap' | 'offline';

export interface Fixture {
  /** Identifies the fixture in a seeded lab (a lab seeded with one fixture refuses another). */
  name: string;
  /** Bump whenever the fixture's content changes, so reused labs are re-seeded instead of silently stale. */
  version: number;
  /** Accepted domain of the on-premises organisation (primary SMTP addresses). */
  mailDomain: string;
  /** The tenant's routing domain (`<tenant>.mail.onmicrosoft.com`): targetAddress of remote mailboxes. */
  routingDomain: string;
  /** The domain of addresses outside the organisation (mail users, mail contacts). */
  externalDomain: string;
  /** Exchange organisation name, used in legacyExchangeDN. */
  exchangeOrganization: string;
  ous: OuSpec[];
  users: UserSpec[];
  contacts: ContactSpec[];
  groups: GroupSpec[];
  dynamicGroups: DynamicGroupSpec[];
  generated: GeneratedUsers[];
  /** Generated mail contacts (big member lists); none when absent. */
  generatedContacts?: GeneratedContacts[];
  /** Default `ldap`. */
  seedMethod?: SeedMethod;
}

export type SeededKind =
  'ou' | `user:${UserKind}` | `contact:${ContactKind}` | `group:${GroupKind}` | 'dynamicGroup';

/** One object as seeded: what was written, and what the DC assigned. */
export interface SeededObject {
  key: string;
  kind: SeededKind;
  /** The DN as the DC spells it (read back after seeding). */
  dn: string;
  /** objectGUID as the usual string form (`xxxxxxxx-xxxx-...`, from AD's little-endian bytes). */
  objectGUID: string;
  /** objectSid (users and groups). */
  objectSid?: string;
  mail?: string;
  alias?: string;
  samAccountName?: string;
  /** Every non-link attribute written, as strings (as LDAP returns them). objectClass excluded. */
  attributes: Record<string, string[]>;
  /** Every link attribute written, as DNs of the targets (DC spelling). */
  links: Partial<Record<LinkAttribute, string[]>>;
}

export interface SeedResult {
  fixture: string;
  fixtureVersion: number;
  baseDn: string;
  objects: Record<string, SeededObject>;
  /** Figures of the seeding run (for the benchmark). */
  stats: {
    objects: number;
    linkValues: number;
    ms: number;
    /**
     * Milliseconds spent adding objects, writing links, and reading back DNs and GUIDs; offline seeding also
     * rebuilding the attribute indexes and compacting the database (`index`).
     */
    phases: { add: number; link: number; read: number; index?: number };
  };
}

/** All keys of a generated set, in order. */
export function generatedKeys(set: GeneratedUsers | GeneratedContacts): string[] {
  const width = Math.max(4, String(set.count).length);
  return Array.from({ length: set.count }, (_, i) => `${set.key}.${String(i + 1).padStart(width, '0')}`);
}
