// Typed views of cmdlet output. Exchange returns PascalCase JSON; we expose camelCase records with
// the fields the engine reasons about, and keep the full output (`settings`) for backups and
// restores, so nothing the service returned is lost.
import { toCamelRecord } from './encoding.js';

type Raw = Readonly<Record<string, unknown>>;

export interface RecipientRecord {
  readonly guid: string;
  readonly externalDirectoryObjectId: string;
  readonly name: string;
  readonly alias: string;
  readonly displayName: string;
  readonly primarySmtpAddress: string;
  /** Proxy addresses with their prefixes (SMTP:, smtp:, X500:, …). */
  readonly emailAddresses: readonly string[];
  readonly recipientType: string;
  readonly recipientTypeDetails: string;
  readonly isDirSynced: boolean;
  readonly legacyExchangeDN: string;
  readonly distinguishedName: string;
  readonly hiddenFromAddressListsEnabled: boolean;
  /** Everything the service returned, camelCased. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * A group member as the engine keeps it: ids, name and primary address — not the ~60 properties of a recipient twice
 * (RecipientRecord keeps the whole output in `settings`): a 100,000-member capture held that in memory (issue 17).
 */
export interface MemberRecord {
  readonly guid: string;
  readonly externalDirectoryObjectId: string;
  readonly name: string;
  readonly primarySmtpAddress: string;
  readonly recipientTypeDetails: string;
}

/** The output properties a MemberRecord is made of (asked for with $select). */
export const MEMBER_PROPERTIES = [
  'Guid',
  'ExternalDirectoryObjectId',
  'Name',
  'PrimarySmtpAddress',
  'RecipientTypeDetails',
] as const;

export function toMember(raw: Raw): MemberRecord {
  return {
    guid: str(raw, 'Guid'),
    externalDirectoryObjectId: str(raw, 'ExternalDirectoryObjectId'),
    name: str(raw, 'Name'),
    primarySmtpAddress: str(raw, 'PrimarySmtpAddress'),
    recipientTypeDetails: str(raw, 'RecipientTypeDetails'),
  };
}

export interface DistributionGroupRecord extends RecipientRecord {
  readonly managedBy: readonly string[];
  readonly moderatedBy: readonly string[];
  readonly moderationEnabled: boolean;
  readonly acceptMessagesOnlyFromSendersOrMembers: readonly string[];
  readonly rejectMessagesFromSendersOrMembers: readonly string[];
  readonly bypassModerationFromSendersOrMembers: readonly string[];
  readonly grantSendOnBehalfTo: readonly string[];
  readonly requireSenderAuthenticationEnabled: boolean;
  readonly memberJoinRestriction: string;
  readonly memberDepartRestriction: string;
  readonly isRoomList: boolean;
  readonly isSecurityGroup: boolean;
}

export interface MailboxRecord extends RecipientRecord {
  readonly userPrincipalName: string;
  readonly forwardingAddress: string | null;
  readonly forwardingSmtpAddress: string | null;
  readonly deliverToMailboxAndForward: boolean;
  readonly grantSendOnBehalfTo: readonly string[];
}

export interface DynamicDistributionGroupRecord extends RecipientRecord {
  readonly recipientFilter: string;
  readonly managedBy: string | null;
  readonly acceptMessagesOnlyFromSendersOrMembers: readonly string[];
  readonly rejectMessagesFromSendersOrMembers: readonly string[];
  readonly grantSendOnBehalfTo: readonly string[];
}

export interface UnifiedGroupRecord extends RecipientRecord {
  readonly managedBy: readonly string[];
  readonly accessType: string;
  readonly acceptMessagesOnlyFromSendersOrMembers: readonly string[];
  readonly rejectMessagesFromSendersOrMembers: readonly string[];
  readonly grantSendOnBehalfTo: readonly string[];
}

/** Get-User output: any user object, mail-enabled or not (a plain user is not a recipient). */
export interface UserRecord {
  readonly guid: string;
  readonly externalDirectoryObjectId: string;
  readonly name: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly windowsEmailAddress: string;
  /** `User` for a plain (non-mail) user, else UserMailbox / MailUser. */
  readonly recipientType: string;
  readonly recipientTypeDetails: string;
  readonly isDirSynced: boolean;
  readonly distinguishedName: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface AcceptedDomainRecord {
  readonly domainName: string;
  readonly domainType: string;
  readonly isDefault: boolean;
  readonly isInitial: boolean;
}

export interface OutboundConnectorRecord {
  readonly name: string;
  readonly enabled: boolean;
  readonly connectorType: string;
  readonly routeAllMessagesViaOnPremises: boolean;
  readonly recipientDomains: readonly string[];
  readonly smartHosts: readonly string[];
}

export interface RecipientPermissionRecord {
  /** The object the right is granted on. */
  readonly identity: string;
  readonly trustee: string;
  readonly trusteeSidString: string;
  readonly accessRights: readonly string[];
  readonly isInherited: boolean;
}

export interface MailboxPermissionRecord {
  readonly identity: string;
  readonly user: string;
  readonly userSid: string;
  readonly accessRights: readonly string[];
  readonly isInherited: boolean;
  readonly deny: boolean;
}

/** One entry of Get-MailboxFolderPermission: who (by display name, or Default / Anonymous) holds which rights. */
export interface MailboxFolderPermissionRecord {
  readonly folderName: string;
  readonly user: string;
  readonly accessRights: readonly string[];
}

export function str(raw: Raw, key: string): string {
  const v = raw[key];
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

function strOrNull(raw: Raw, key: string): string | null {
  const v = raw[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

function bool(raw: Raw, key: string): boolean {
  const v = raw[key];
  return v === true || v === 'True' || v === 'true';
}

/** Multi-valued properties arrive as arrays; a single value or null is normalised to an array. */
export function list(raw: Raw, key: string): string[] {
  const v = raw[key];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  if (typeof v === 'string' && v !== '') return [v];
  return [];
}

export function toRecipient(raw: Raw): RecipientRecord {
  return {
    guid: str(raw, 'Guid'),
    externalDirectoryObjectId: str(raw, 'ExternalDirectoryObjectId'),
    name: str(raw, 'Name'),
    alias: str(raw, 'Alias'),
    displayName: str(raw, 'DisplayName'),
    primarySmtpAddress: str(raw, 'PrimarySmtpAddress'),
    emailAddresses: list(raw, 'EmailAddresses'),
    recipientType: str(raw, 'RecipientType'),
    recipientTypeDetails: str(raw, 'RecipientTypeDetails'),
    isDirSynced: bool(raw, 'IsDirSynced'),
    legacyExchangeDN: str(raw, 'LegacyExchangeDN'),
    distinguishedName: str(raw, 'DistinguishedName'),
    hiddenFromAddressListsEnabled: bool(raw, 'HiddenFromAddressListsEnabled'),
    settings: toCamelRecord(raw),
  };
}

export function toDistributionGroup(raw: Raw): DistributionGroupRecord {
  const base = toRecipient(raw);
  return {
    ...base,
    managedBy: list(raw, 'ManagedBy'),
    moderatedBy: list(raw, 'ModeratedBy'),
    moderationEnabled: bool(raw, 'ModerationEnabled'),
    acceptMessagesOnlyFromSendersOrMembers: list(raw, 'AcceptMessagesOnlyFromSendersOrMembers'),
    rejectMessagesFromSendersOrMembers: list(raw, 'RejectMessagesFromSendersOrMembers'),
    bypassModerationFromSendersOrMembers: list(raw, 'BypassModerationFromSendersOrMembers'),
    grantSendOnBehalfTo: list(raw, 'GrantSendOnBehalfTo'),
    requireSenderAuthenticationEnabled: bool(raw, 'RequireSenderAuthenticationEnabled'),
    memberJoinRestriction: str(raw, 'MemberJoinRestriction'),
    memberDepartRestriction: str(raw, 'MemberDepartRestriction'),
    isRoomList: base.recipientTypeDetails === 'RoomList',
    isSecurityGroup:
      base.recipientTypeDetails === 'MailUniversalSecurityGroup' ||
      base.recipientType === 'MailUniversalSecurityGroup',
  };
}

export function toMailbox(raw: Raw): MailboxRecord {
  return {
    ...toRecipient(raw),
    userPrincipalName: str(raw, 'UserPrincipalName'),
    forwardingAddress: strOrNull(raw, 'ForwardingAddress'),
    forwardingSmtpAddress: strOrNull(raw, 'ForwardingSmtpAddress'),
    deliverToMailboxAndForward: bool(raw, 'DeliverToMailboxAndForward'),
    grantSendOnBehalfTo: list(raw, 'GrantSendOnBehalfTo'),
  };
}

export function toDynamicDistributionGroup(raw: Raw): DynamicDistributionGroupRecord {
  return {
    ...toRecipient(raw),
    recipientFilter: str(raw, 'RecipientFilter'),
    managedBy: strOrNull(raw, 'ManagedBy') ?? list(raw, 'ManagedBy')[0] ?? null,
    acceptMessagesOnlyFromSendersOrMembers: list(raw, 'AcceptMessagesOnlyFromSendersOrMembers'),
    rejectMessagesFromSendersOrMembers: list(raw, 'RejectMessagesFromSendersOrMembers'),
    grantSendOnBehalfTo: list(raw, 'GrantSendOnBehalfTo'),
  };
}

export function toUnifiedGroup(raw: Raw): UnifiedGroupRecord {
  return {
    ...toRecipient(raw),
    managedBy: list(raw, 'ManagedBy'),
    accessType: str(raw, 'AccessType'),
    acceptMessagesOnlyFromSendersOrMembers: list(raw, 'AcceptMessagesOnlyFromSendersOrMembers'),
    rejectMessagesFromSendersOrMembers: list(raw, 'RejectMessagesFromSendersOrMembers'),
    grantSendOnBehalfTo: list(raw, 'GrantSendOnBehalfTo'),
  };
}

export function toUser(raw: Raw): UserRecord {
  return {
    guid: str(raw, 'Guid'),
    externalDirectoryObjectId: str(raw, 'ExternalDirectoryObjectId'),
    name: str(raw, 'Name'),
    displayName: str(raw, 'DisplayName'),
    userPrincipalName: str(raw, 'UserPrincipalName'),
    windowsEmailAddress: str(raw, 'WindowsEmailAddress'),
    recipientType: str(raw, 'RecipientType'),
    recipientTypeDetails: str(raw, 'RecipientTypeDetails'),
    isDirSynced: bool(raw, 'IsDirSynced'),
    distinguishedName: str(raw, 'DistinguishedName'),
    settings: toCamelRecord(raw),
  };
}

export function toAcceptedDomain(raw: Raw): AcceptedDomainRecord {
  return {
    domainName: str(raw, 'DomainName') || str(raw, 'Name'),
    domainType: str(raw, 'DomainType'),
    isDefault: bool(raw, 'Default'),
    isInitial: bool(raw, 'InitialDomain'),
  };
}

export function toOutboundConnector(raw: Raw): OutboundConnectorRecord {
  return {
    name: str(raw, 'Name') || str(raw, 'Identity'),
    enabled: bool(raw, 'Enabled'),
    connectorType: str(raw, 'ConnectorType'),
    routeAllMessagesViaOnPremises: bool(raw, 'RouteAllMessagesViaOnPremises'),
    recipientDomains: list(raw, 'RecipientDomains'),
    smartHosts: list(raw, 'SmartHosts'),
  };
}

export function toRecipientPermission(raw: Raw): RecipientPermissionRecord {
  return {
    identity: str(raw, 'Identity'),
    trustee: str(raw, 'Trustee'),
    trusteeSidString: str(raw, 'TrusteeSidString'),
    accessRights: list(raw, 'AccessRights'),
    isInherited: bool(raw, 'IsInherited'),
  };
}

export function toMailboxPermission(raw: Raw): MailboxPermissionRecord {
  return {
    identity: str(raw, 'Identity'),
    user: str(raw, 'User'),
    userSid: str(raw, 'UserSid'),
    accessRights: list(raw, 'AccessRights').flatMap((r) => r.split(/,\s*/)),
    isInherited: bool(raw, 'IsInherited'),
    deny: bool(raw, 'Deny'),
  };
}

export function toMailboxFolderPermission(raw: Raw): MailboxFolderPermissionRecord {
  return {
    folderName: str(raw, 'FolderName'),
    user: str(raw, 'User'),
    accessRights: list(raw, 'AccessRights').flatMap((r) => r.split(/,\s*/)),
  };
}
