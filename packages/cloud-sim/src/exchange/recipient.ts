// One recipient = one directory object. Exchange's recipient view (cmdlet output) and Graph's
// group/user/contact view are both rendered from this record, so they can never disagree.
import { randomUUID } from 'node:crypto';

export type RecipientType =
  | 'User'
  | 'UserMailbox'
  | 'MailUser'
  | 'MailContact'
  | 'MailUniversalDistributionGroup'
  | 'MailUniversalSecurityGroup'
  | 'MailNonUniversalGroup'
  | 'DynamicDistributionGroup';

export type RecipientTypeDetails =
  | 'User'
  | 'UserMailbox'
  | 'SharedMailbox'
  | 'RoomMailbox'
  | 'MailUser'
  | 'MailContact'
  | 'MailUniversalDistributionGroup'
  | 'MailUniversalSecurityGroup'
  | 'MailNonUniversalGroup'
  | 'RoomList'
  | 'GroupMailbox'
  | 'DynamicDistributionGroup';

/** Multi-valued link properties: stored as recipient Guids, rendered as names like EXO does. */
export const linkProperties = [
  'ManagedBy',
  'ModeratedBy',
  'AcceptMessagesOnlyFromSendersOrMembers',
  'RejectMessagesFromSendersOrMembers',
  'BypassModerationFromSendersOrMembers',
  'GrantSendOnBehalfTo',
] as const;
export type LinkProperty = (typeof linkProperties)[number];

export const customAttributeNames = Array.from({ length: 15 }, (_, i) => `CustomAttribute${i + 1}`);
export const extensionCustomAttributeNames = Array.from(
  { length: 5 },
  (_, i) => `ExtensionCustomAttribute${i + 1}`,
);

/** Entra (directory) side of the object: what Graph shows and what sync owns. */
export interface DirectoryFacet {
  /** true = synced; false = was synced, no longer; null = never synced (Graph semantics). */
  onPremisesSyncEnabled: boolean | null;
  /** Source of authority converted to the cloud (onPremisesSyncBehavior.isCloudManaged). */
  isCloudManaged: boolean;
  /** base64 objectGUID of the AD object (Entra Connect's source anchor). */
  sourceAnchor?: string;
  onPremisesDistinguishedName?: string;
  onPremisesSecurityIdentifier?: string;
  onPremisesSamAccountName?: string;
  onPremisesLastSyncDateTime?: string;
  securityEnabled: boolean;
  description?: string;
  createdDateTime: string;
}

export interface Recipient {
  Guid: string;
  ExternalDirectoryObjectId: string;
  Name: string;
  Alias: string;
  DisplayName: string;
  SimpleDisplayName: string;
  PrimarySmtpAddress: string;
  EmailAddresses: string[];
  WindowsEmailAddress: string;
  LegacyExchangeDN: string;
  RecipientType: RecipientType;
  RecipientTypeDetails: RecipientTypeDetails;
  IsDirSynced: boolean;
  HiddenFromAddressListsEnabled: boolean;
  RequireSenderAuthenticationEnabled: boolean;
  ModerationEnabled: boolean;
  SendModerationNotifications: 'Never' | 'Internal' | 'Always';
  BypassNestedModerationEnabled: boolean;
  MemberJoinRestriction: 'Open' | 'Closed' | 'ApprovalRequired';
  MemberDepartRestriction: 'Open' | 'Closed' | 'ApprovalRequired';
  ReportToManagerEnabled: boolean;
  ReportToOriginatorEnabled: boolean;
  SendOofMessageToOriginatorEnabled: boolean;
  MailTip: string | null;
  MailTipTranslations: string[];
  Notes: string | null;
  ManagedBy: string[];
  ModeratedBy: string[];
  AcceptMessagesOnlyFromSendersOrMembers: string[];
  RejectMessagesFromSendersOrMembers: string[];
  BypassModerationFromSendersOrMembers: string[];
  GrantSendOnBehalfTo: string[];
  /** Group members (recipient Guids); empty for non-groups. */
  Members: string[];
  /** Contacts and mail users: the external address ("SMTP:x@y"). */
  ExternalEmailAddress: string | null;
  UserPrincipalName: string | null;
  ForwardingAddress: string | null;
  ForwardingSmtpAddress: string | null;
  DeliverToMailboxAndForward: boolean;
  RecipientFilter: string | null;
  /** CustomAttribute1..15 and ExtensionCustomAttribute1..5 by name. */
  custom: Record<string, string | null>;
  extension: Record<string, string[]>;
  WhenCreatedUTC: string;
  WhenChangedUTC: string;
  dir: DirectoryFacet;
}

export function isGroup(r: Recipient): boolean {
  return (
    r.RecipientType === 'MailUniversalDistributionGroup' ||
    r.RecipientType === 'MailUniversalSecurityGroup' ||
    r.RecipientType === 'MailNonUniversalGroup' ||
    r.RecipientTypeDetails === 'GroupMailbox'
  );
}

export function isDistributionGroup(r: Recipient): boolean {
  return (
    r.RecipientTypeDetails === 'MailUniversalDistributionGroup' ||
    r.RecipientTypeDetails === 'MailUniversalSecurityGroup' ||
    r.RecipientTypeDetails === 'MailNonUniversalGroup' ||
    r.RecipientTypeDetails === 'RoomList'
  );
}

/** Plain directory users (no Exchange recipient): visible to Get-User and Graph only. */
export function isRecipient(r: Recipient): boolean {
  return r.RecipientType !== 'User';
}

/** Owners and Send-As trustees must be security principals: mailboxes, mail users, mail-enabled security groups. */
export function isSecurityPrincipal(r: Recipient): boolean {
  return (
    r.RecipientType === 'UserMailbox' ||
    r.RecipientType === 'MailUser' ||
    r.RecipientType === 'MailUniversalSecurityGroup'
  );
}

export interface NewRecipientInput {
  Name: string;
  Alias?: string;
  DisplayName?: string;
  PrimarySmtpAddress: string;
  EmailAddresses?: string[];
  RecipientTypeDetails: RecipientTypeDetails;
  ExternalEmailAddress?: string;
  UserPrincipalName?: string;
  RecipientFilter?: string;
  Guid?: string;
  ExternalDirectoryObjectId?: string;
  now?: string;
}

const recipientTypeOf: Record<RecipientTypeDetails, RecipientType> = {
  User: 'User',
  UserMailbox: 'UserMailbox',
  SharedMailbox: 'UserMailbox',
  RoomMailbox: 'UserMailbox',
  MailUser: 'MailUser',
  MailContact: 'MailContact',
  MailUniversalDistributionGroup: 'MailUniversalDistributionGroup',
  MailUniversalSecurityGroup: 'MailUniversalSecurityGroup',
  MailNonUniversalGroup: 'MailNonUniversalGroup',
  RoomList: 'MailUniversalDistributionGroup',
  GroupMailbox: 'MailUniversalDistributionGroup',
  DynamicDistributionGroup: 'DynamicDistributionGroup',
};

export function isRecipientTypeDetails(value: string): value is RecipientTypeDetails {
  return Object.hasOwn(recipientTypeOf, value);
}

/** Builds a cloud-only recipient with Exchange Online's defaults for its type. */
export function newRecipient(input: NewRecipientInput): Recipient {
  const now = input.now ?? new Date().toISOString();
  const primary = input.PrimarySmtpAddress;
  const addresses = input.EmailAddresses ?? [`SMTP:${primary}`];
  const type = recipientTypeOf[input.RecipientTypeDetails];
  const isGroupType = type.startsWith('Mail') && type.includes('Group');
  const alias = input.Alias ?? primary.split('@')[0] ?? input.Name;
  const objectId = input.ExternalDirectoryObjectId ?? randomUUID();
  return {
    Guid: input.Guid ?? randomUUID(),
    ExternalDirectoryObjectId: input.RecipientTypeDetails === 'DynamicDistributionGroup' ? '' : objectId,
    Name: input.Name,
    Alias: alias,
    DisplayName: input.DisplayName ?? input.Name,
    SimpleDisplayName: '',
    PrimarySmtpAddress: type === 'User' ? '' : primary,
    EmailAddresses: type === 'User' ? [] : addresses,
    WindowsEmailAddress: type === 'User' ? '' : primary,
    LegacyExchangeDN: `/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${objectId.replace(/-/g, '').slice(0, 32)}-${alias.slice(0, 12)}`,
    RecipientType: type,
    RecipientTypeDetails: input.RecipientTypeDetails,
    IsDirSynced: false,
    HiddenFromAddressListsEnabled: false,
    // Cloud groups require authenticated senders by default; mailboxes and contacts do not.
    RequireSenderAuthenticationEnabled: isGroupType,
    ModerationEnabled: false,
    SendModerationNotifications: 'Always',
    BypassNestedModerationEnabled: false,
    MemberJoinRestriction: 'Closed',
    MemberDepartRestriction: type === 'MailUniversalSecurityGroup' ? 'Closed' : 'Open',
    ReportToManagerEnabled: false,
    ReportToOriginatorEnabled: isGroupType,
    SendOofMessageToOriginatorEnabled: false,
    MailTip: null,
    MailTipTranslations: [],
    Notes: null,
    ManagedBy: [],
    ModeratedBy: [],
    AcceptMessagesOnlyFromSendersOrMembers: [],
    RejectMessagesFromSendersOrMembers: [],
    BypassModerationFromSendersOrMembers: [],
    GrantSendOnBehalfTo: [],
    Members: [],
    ExternalEmailAddress: input.ExternalEmailAddress
      ? `SMTP:${input.ExternalEmailAddress.replace(/^smtp:/i, '')}`
      : null,
    UserPrincipalName:
      input.UserPrincipalName ??
      (type === 'UserMailbox' || type === 'MailUser' || type === 'User' ? primary : null),
    ForwardingAddress: null,
    ForwardingSmtpAddress: null,
    DeliverToMailboxAndForward: false,
    RecipientFilter: input.RecipientFilter ?? null,
    custom: Object.fromEntries(customAttributeNames.map((n) => [n, null])),
    extension: Object.fromEntries(extensionCustomAttributeNames.map((n) => [n, []])),
    WhenCreatedUTC: now,
    WhenChangedUTC: now,
    dir: {
      onPremisesSyncEnabled: null,
      isCloudManaged: false,
      securityEnabled:
        type === 'MailUniversalSecurityGroup' ||
        type === 'UserMailbox' ||
        type === 'MailUser' ||
        type === 'User',
      createdDateTime: now,
    },
  };
}

/** Exchange Online's DistinguishedName for a recipient of this tenant. */
export function exchangeDistinguishedName(r: Recipient, initialDomain: string): string {
  const cn = r.Name.replace(/([,+"\\<>;=#])/g, '\\$1');
  return `CN=${cn},OU=${initialDomain},OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`;
}

/** Proxy addresses are unique tenant-wide, case-insensitively, prefix included (SMTP:/smtp: are one). */
export function proxyKey(address: string): string {
  const colon = address.indexOf(':');
  if (colon < 0) return `smtp:${address.toLowerCase()}`;
  return address.toLowerCase();
}
