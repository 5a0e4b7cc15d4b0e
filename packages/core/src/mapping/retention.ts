// What happens to the on-prem group once the cloud DL has taken over (research §2 phase 16, Appendix A).
import { isSecurityGroupType } from './group-type.js';

/**
 * Exchange attributes cleared from a retained group, so it stops being a recipient and can never again soft-match
 * the cloud DL. member, managedBy, groupType, description and sAMAccountName stay: the group may still grant access.
 */
const CLEAR_LIST = [
  'authOrig', 'unauthOrig', 'dLMemSubmitPerms', 'dLMemRejectPerms', 'displayName', 'displayNamePrintable',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
  'legacyExchangeDN', 'mail', 'mailNickname', 'proxyAddresses', 'msExchRecipientDisplayType',
  'msExchRecipientTypeDetails', 'msExchRemoteRecipientType', 'msExchBypassModerationFromDLMembersLink',
  'msExchBypassModerationLink', 'msExchCoManagedByLink', 'msExchEnableModeration',
  ...Array.from({ length: 5 }, (_, i) => `msExchExtensionCustomAttribute${i + 1}`),
  'msExchGroupDepartRestriction', 'msExchGroupJoinRestriction', 'msExchHideFromAddressLists',
  'msExchModeratedByLink', 'msExchModerationFlags', 'msExchRequireAuthToSendTo', 'msExchSenderHintTranslations',
  'oofReplyToOriginator', 'publicDelegates', 'reportToOriginator', 'reportToOwner', 'msExchArbitrationMailbox',
  'msExchPoliciesIncluded', 'msExchUMDtmfMap', 'msExchVersion', 'showInAddressBook', 'msExchAddressBookFlags',
  'msExchBypassAudit', 'msExchGroupExternalMemberCount', 'msExchGroupMemberCount', 'msExchGroupSecurityFlags',
  'msExchLocalizationFlags', 'msExchMailboxAuditEnable', 'msExchMailboxAuditLogAgeLimit', 'msExchMailboxFolderSet',
  'msExchMDBRulesQuota', 'msExchProvisioningFlags', 'msExchRecipientSoftDeletedStatus', 'msExchRoleGroupType',
  'msExchTransportRecipientSettingsFlags', 'msExchUserAccountControl',
] as const;

/**
 * The attributes to clear: the list above, limited to what the group actually holds (when known) and to what the
 * schema defines. Clearing only present attributes is what keeps old schemas (#30) from failing the whole clear.
 */
export function retainedGroupClearList(
  presentAttributes: readonly string[] | undefined,
  schemaHasAttribute: (name: string) => boolean = () => true,
): string[] {
  const present = presentAttributes && new Set(presentAttributes.map((a) => a.toLowerCase()));
  return CLEAR_LIST.filter(
    (name) => schemaHasAttribute(name) && (present === undefined || present.has(name.toLowerCase())),
  );
}

export interface RetentionInput {
  readonly requested: 'retain' | 'delete';
  readonly groupType: number;
  /** On-prem objects the group holds Send-As / FullAccess / folder rights on (research phase 4). */
  readonly permissionDependants: number;
}

export interface RetentionDecision {
  readonly dispose: 'retain' | 'delete';
  /** Why deletion was overridden; undefined when the request stands. */
  readonly forcedBecause?: string;
}

/** Security groups and groups that still grant permissions on-prem are always kept (research phase 4). */
export function decideRetention(input: RetentionInput): RetentionDecision {
  if (input.requested === 'retain') return { dispose: 'retain' };
  if (isSecurityGroupType(input.groupType)) {
    return { dispose: 'retain', forcedBecause: 'it is a security group and may still grant access on-premises' };
  }
  if (input.permissionDependants > 0) {
    return { dispose: 'retain', forcedBecause: `it holds permissions on ${input.permissionDependants} on-premises objects` };
  }
  return { dispose: 'delete' };
}

/** The parent container of a DN (`CN=G,OU=A,DC=x` → `OU=A,DC=x`), respecting escaped commas in the RDN. */
export function parentDn(dn: string): string {
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') i++;
    else if (dn[i] === ',') return dn.slice(i + 1);
  }
  throw new Error(`"${dn}" has no parent`);
}

/** The first RDN (`CN=G\,x`) of a DN. */
export function firstRdn(dn: string): string {
  return dn.slice(0, dn.length - parentDn(dn).length - 1);
}
