// Public records of @dlmigrate/ad. Everything the engine reads from Active Directory comes back in
// these shapes; binary ids are already strings (GUID "xxxxxxxx-…", SID "S-1-5-…").

/** Forward link attributes a group (or any recipient) can carry; all DN-valued and multi-valued except managedBy/altRecipient. */
export const FORWARD_LINKS = [
  'member',
  'managedBy',
  'msExchCoManagedByLink',
  'msExchModeratedByLink',
  'msExchBypassModerationLink',
  'msExchBypassModerationFromDLMembersLink',
  'authOrig',
  'unauthOrig',
  'dLMemSubmitPerms',
  'dLMemRejectPerms',
  'publicDelegates',
  'altRecipient',
] as const;
export type ForwardLink = (typeof FORWARD_LINKS)[number];

/** Back links, each maintained by the directory for one forward link. */
export const BACK_LINKS = [
  'memberOf',
  'managedObjects',
  'msExchCoManagedObjectsBL',
  'msExchModeratedObjectsBL',
  'msExchBypassModerationBL',
  'msExchBypassModerationFromDLMembersBL',
  'authOrigBL',
  'unauthOrigBL',
  'dLMemSubmitPermsBL',
  'dLMemRejectPermsBL',
  'publicDelegatesBL',
  'altRecipientBL',
] as const;
export type BackLink = (typeof BACK_LINKS)[number];

/** Which forward attribute on the *dependant* names the group, for each back link read on the group. */
export const FORWARD_OF_BACK_LINK: Record<BackLink, ForwardLink> = {
  memberOf: 'member',
  managedObjects: 'managedBy',
  msExchCoManagedObjectsBL: 'msExchCoManagedByLink',
  msExchModeratedObjectsBL: 'msExchModeratedByLink',
  msExchBypassModerationBL: 'msExchBypassModerationLink',
  msExchBypassModerationFromDLMembersBL: 'msExchBypassModerationFromDLMembersLink',
  authOrigBL: 'authOrig',
  unauthOrigBL: 'unauthOrig',
  dLMemSubmitPermsBL: 'dLMemSubmitPerms',
  dLMemRejectPermsBL: 'dLMemRejectPerms',
  publicDelegatesBL: 'publicDelegates',
  altRecipientBL: 'altRecipient',
};

export type GroupScope = 'universal' | 'global' | 'domainLocal';

export interface GroupType {
  /** The signed 32-bit groupType value as stored. */
  raw: number;
  scope: GroupScope;
  security: boolean;
}

export interface ProxyAddress {
  /** Address type as written, e.g. "SMTP", "smtp", "X500", "SIP". */
  prefix: string;
  /** Upper-case prefix marks the primary address of that type. */
  primary: boolean;
  address: string;
  /** The value exactly as stored. */
  raw: string;
}

/** Settings the migration copies to the cloud group. Absent attributes are undefined / empty. */
export interface GroupSettings {
  hiddenFromAddressLists?: boolean;
  requireAuthToSendTo?: boolean;
  reportToOwner?: boolean;
  reportToOriginator?: boolean;
  oofReplyToOriginator?: boolean;
  enableModeration?: boolean;
  moderationFlags?: number;
  joinRestriction?: number;
  departRestriction?: number;
  senderHintTranslations: string[];
  /** extensionAttribute1..15 keyed by number. */
  extensionAttributes: Partial<Record<number, string>>;
  /** msExchExtensionCustomAttribute1..5 (multi-valued) keyed by number. */
  extensionCustomAttributes: Partial<Record<number, string[]>>;
}

/** The stamp a previous migration (ours or DLConversionV2) left on a retained group or routing contact. */
export interface MigrationMarker {
  /** extensionAttribute1 value, "MigratedByScript" by default. */
  tag: string;
  /** extensionAttribute2: the original mail (retained group) or the cloud id / address (routing contact). */
  value?: string;
}

export interface SendAsTrustee {
  sid: string;
  /** DN of the trustee; for SELF (S-1-5-10) the group's own DN. */
  dn: string;
  self: boolean;
}

export interface SkippedTrustee {
  sid: string;
  reason: 'orphaned' | 'well-known';
}

export interface AdGroup {
  dn: string;
  parentDn: string;
  objectGuid: string;
  objectSid: string;
  name: string;
  cn: string;
  displayName?: string;
  displayNamePrintable?: string;
  description?: string;
  sAMAccountName: string;
  mailNickname?: string;
  mail?: string;
  proxyAddresses: ProxyAddress[];
  legacyExchangeDN?: string;
  /** The address lists the group shows in (maintained by Exchange's address list service). */
  showInAddressBook?: string[];
  externalDirectoryObjectId?: string;
  groupType: GroupType;
  recipientTypeDetails?: number;
  recipientDisplayType?: number;
  /** Every forward link, read with ranged retrieval; attributes the schema lacks are empty. */
  links: Record<ForwardLink, string[]>;
  /** Every back link, read with ranged retrieval. */
  backLinks: Record<BackLink, string[]>;
  settings: GroupSettings;
  sendAs: SendAsTrustee[];
  skippedSendAs: SkippedTrustee[];
  /** An ACE denies DELETE or DELETE_TREE to Everyone (what ADUC's "protect from accidental deletion" sets). */
  protectedFromAccidentalDeletion: boolean;
  /** adminCount: 1 when AdminSDHolder protects the group (SDProp rewrites its ACL); absent when never protected. */
  adminCount?: number;
  /** Set when extensionAttribute1 carries the migration tag (a group retained by an earlier migration). */
  marker?: MigrationMarker;
  /** Every attribute read, values as strings (binary values base64), for backups and restore. */
  raw: Record<string, string[]>;
}

export type RecipientKind =
  | 'mailbox'
  | 'mail-user'
  | 'mail-contact'
  | 'mail-only-contact'
  | 'user'
  | 'dynamic-dl'
  | 'mail-enabled-group'
  | 'mail-only-security-group'
  | 'non-mail-group'
  | 'routing-contact'
  | 'retained-group'
  | 'other';

export interface AdRecipient {
  dn: string;
  objectGuid: string;
  objectSid?: string;
  /** Most specific structural class, e.g. user, contact, group, computer, msExchDynamicDistributionList. */
  objectClass: string;
  kind: RecipientKind;
  name: string;
  displayName?: string;
  mail?: string;
  mailNickname?: string;
  userPrincipalName?: string;
  sAMAccountName?: string;
  targetAddress?: string;
  externalDirectoryObjectId?: string;
  recipientDisplayType?: number;
  recipientTypeDetails?: number;
  groupType?: GroupType;
  /** How the cloud finds this object: primary SMTP for recipients, UPN for plain users. */
  lookupAddress?: string;
  marker?: MigrationMarker;
}

export interface ResolveResult<R = AdRecipient> {
  /** Keyed by normalised DN (see normalizeDn). */
  recipients: Map<string, R>;
  /** DNs that no domain controller / GC knows (deleted since, or in an unreachable domain). */
  missing: string[];
}

export interface AdDependant {
  dn: string;
  objectGuid: string;
  objectClass: string;
  kind: RecipientKind;
  /** The back link on the group that revealed the dependant. */
  backLink: BackLink;
  /** The attribute on the dependant that names the group (what a rewire must change). */
  attribute: ForwardLink;
}

export interface ExchangeSchemaFacts {
  /** rangeUpper of CN=ms-Exch-Schema-Version-Pt, or "unknown" when the object is absent. */
  version: number | 'unknown';
  /** Modern clear-list applies (version ≥ 15317); unknown versions count as legacy. */
  modern: boolean;
  /** lDAPDisplayNames present in the schema (exact spelling from the schema). */
  attributes: Set<string>;
  /** Synchronous check among the attributes already looked up (every attribute this package uses). */
  hasAttribute(name: string): boolean;
  /** The subset of `names` the schema has (looked up once per name, then cached), in schema spelling. */
  present(names: readonly string[]): Promise<string[]>;
  hasDynamicDistributionListClass: boolean;
}

export interface AdOperationCounts {
  binds: number;
  searches: number;
  /** Follow-up reads that fetched the next `;range=` window of a multi-valued attribute. */
  rangedReads: number;
  /** Pages fetched beyond the first page of paged searches. */
  extraPages: number;
  modifies: number;
  adds: number;
  deletes: number;
  modifyDns: number;
  reconnects: number;
}

export type AttributeValue = string | Buffer;

export interface AttributeChange {
  operation: 'add' | 'delete' | 'replace';
  attribute: string;
  /** Empty with replace/delete = remove every value. */
  values: AttributeValue[];
}
