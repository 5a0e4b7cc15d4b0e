// The attribute sets the migration reads and writes (docs/reference-behaviour.md#capture).
import { BACK_LINKS, FORWARD_LINKS } from './types.js';

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

export const EXTENSION_ATTRIBUTES = range('extensionAttribute', 1, 15);
const EXTENSION_CUSTOM_ATTRIBUTES = range('msExchExtensionCustomAttribute', 1, 5);

/** Single-valued identity and address attributes of a group. */
export const GROUP_IDENTITY_ATTRIBUTES = [
  'objectClass',
  'objectGUID',
  'objectSid',
  'distinguishedName',
  'name',
  'cn',
  'displayName',
  'displayNamePrintable',
  'description',
  'sAMAccountName',
  'mailNickname',
  'mail',
  'proxyAddresses',
  'legacyExchangeDN',
  'showInAddressBook',
  'groupType',
  'msExchRecipientTypeDetails',
  'msExchRecipientDisplayType',
  'msDS-ExternalDirectoryObjectId',
  'targetAddress',
  'whenCreated',
  'whenChanged',
  // 1 on objects AdminSDHolder protects (members, now or once, of a protected group): validate reports them.
  'adminCount',
];

export const GROUP_SETTING_ATTRIBUTES = [
  'msExchHideFromAddressLists',
  'msExchRequireAuthToSendTo',
  'reportToOwner',
  'reportToOriginator',
  'oOFReplyToOriginator',
  'msExchEnableModeration',
  'msExchModerationFlags',
  'msExchGroupJoinRestriction',
  'msExchGroupDepartRestriction',
  'msExchSenderHintTranslations',
  ...EXTENSION_ATTRIBUTES,
  ...EXTENSION_CUSTOM_ATTRIBUTES,
];

const LINK_ATTRIBUTES: readonly string[] = [...FORWARD_LINKS, ...BACK_LINKS];

/** What recipient resolution reads for each DN (classification + cloud lookup). */
export const RECIPIENT_ATTRIBUTES = [
  'objectClass',
  'objectGUID',
  'objectSid',
  'name',
  'displayName',
  'mail',
  'mailNickname',
  'userPrincipalName',
  'sAMAccountName',
  'targetAddress',
  'groupType',
  'msExchRecipientDisplayType',
  'msExchRecipientTypeDetails',
  'msDS-ExternalDirectoryObjectId',
  'extensionAttribute1',
  'extensionAttribute2',
];

/**
 * Appendix A: attributes cleared when the original group is retained and mail-disabled.
 * msExchGroupSecurityFlags only on a modern (≥ 15317) schema. Writers also drop any the schema lacks.
 */
export const MAIL_DISABLE_ATTRIBUTES = [
  'authOrig',
  'unauthOrig',
  'dLMemSubmitPerms',
  'dLMemRejectPerms',
  'displayName',
  'displayNamePrintable',
  ...EXTENSION_ATTRIBUTES,
  'legacyExchangeDN',
  'mail',
  'mailNickname',
  'proxyAddresses',
  'msExchRecipientDisplayType',
  'msExchRecipientTypeDetails',
  'msExchRemoteRecipientType',
  'msExchBypassModerationFromDLMembersLink',
  'msExchBypassModerationLink',
  'msExchCoManagedByLink',
  'msExchEnableModeration',
  ...EXTENSION_CUSTOM_ATTRIBUTES,
  'msExchGroupDepartRestriction',
  'msExchGroupJoinRestriction',
  'msExchHideFromAddressLists',
  'msExchModeratedByLink',
  'msExchModerationFlags',
  'msExchRequireAuthToSendTo',
  'msExchSenderHintTranslations',
  'oOFReplyToOriginator',
  'publicDelegates',
  'reportToOriginator',
  'reportToOwner',
  'msExchArbitrationMailbox',
  'msExchPoliciesIncluded',
  'msExchUMDtmfMap',
  'msExchVersion',
  'showInAddressBook',
  'msExchAddressBookFlags',
  'msExchBypassAudit',
  'msExchGroupExternalMemberCount',
  'msExchGroupMemberCount',
  'msExchLocalizationFlags',
  'msExchMailboxAuditEnable',
  'msExchMailboxAuditLogAgeLimit',
  'msExchMailboxFolderSet',
  'msExchMDBRulesQuota',
  'msExchProvisioningFlags',
  'msExchRecipientSoftDeletedStatus',
  'msExchRoleGroupType',
  'msExchTransportRecipientSettingsFlags',
  'msExchUserAccountControl',
];
export const MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES = ['msExchGroupSecurityFlags'];

/** Attributes written when creating routing contacts and hybrid dynamic DLs. */
const CREATE_ATTRIBUTES = [
  'targetAddress',
  'msExchVersion',
  'msExchMasterAccountSid',
  'msExchPoliciesExcluded',
  'msExchDynamicDLFilter',
  'msExchDynamicDLBaseDN',
  'msExchQueryFilter',
  'msExchRecipientFilterFlags',
];

/** Every attribute name this package may read or write, checked against the schema once. */
export const ALL_KNOWN_ATTRIBUTES: readonly string[] = [
  ...new Set([
    ...GROUP_IDENTITY_ATTRIBUTES,
    ...GROUP_SETTING_ATTRIBUTES,
    ...LINK_ATTRIBUTES,
    ...RECIPIENT_ATTRIBUTES,
    ...MAIL_DISABLE_ATTRIBUTES,
    ...MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES,
    ...CREATE_ATTRIBUTES,
    'nTSecurityDescriptor',
    'userPrincipalName',
  ]),
];
