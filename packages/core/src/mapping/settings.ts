// The research's phase-12 table: on-premises group attributes → the single-valued parameters of
// New-/Set-DistributionGroup. Multi-valued links (members, restrictions, managers, …) are mapped in links.ts.
import { isSecurityGroupType, type CloudGroupType } from './group-type.js';
import { withAffixes, type NameAffixes } from './names.js';

/** The on-prem attributes this mapping reads (the AD package's group carries them; names follow the schema). */
export interface GroupSettingsSource {
  readonly groupType: number;
  readonly mailNickname?: string | undefined;
  readonly displayName?: string | undefined;
  readonly displayNamePrintable?: string | undefined;
  readonly msExchGroupJoinRestriction?: number | undefined;
  readonly msExchGroupDepartRestriction?: number | undefined;
  readonly msExchModerationFlags?: number | undefined;
  readonly msExchEnableModeration?: boolean | undefined;
  readonly oofReplyToOriginator?: boolean | undefined;
  readonly reportToOwner?: boolean | undefined;
  readonly reportToOriginator?: boolean | undefined;
  readonly msExchHideFromAddressLists?: boolean | undefined;
  readonly msExchRequireAuthToSendTo?: boolean | undefined;
  readonly msExchSenderHintTranslations?: readonly string[] | undefined;
  /** extensionAttribute1–15, index 0 = extensionAttribute1. */
  readonly extensionAttributes?: readonly (string | undefined)[] | undefined;
  /** msExchExtensionCustomAttribute1–5 (multi-valued), index 0 = attribute 1. */
  readonly extensionCustomAttributes?: readonly (readonly string[] | undefined)[] | undefined;
}

/** What the cloud still says, used where the on-prem value is missing (the research falls back the same way). */
export interface CloudFallback {
  readonly alias?: string | undefined;
  readonly displayName?: string | undefined;
  readonly simpleDisplayName?: string | undefined;
}

export type JoinRestriction = 'Open' | 'Closed' | 'ApprovalRequired';
export type DepartRestriction = 'Open' | 'Closed';
export type ModerationNotifications = 'Never' | 'Internal' | 'Always';

/** Set-DistributionGroup parameters, named as the cmdlet names them. */
export interface CloudGroupSettings {
  readonly MemberJoinRestriction: JoinRestriction;
  readonly MemberDepartRestriction: DepartRestriction;
  readonly ModerationEnabled: boolean;
  readonly BypassNestedModerationEnabled: boolean;
  readonly SendModerationNotifications: ModerationNotifications;
  readonly SendOofMessageToOriginatorEnabled: boolean;
  readonly ReportToManagerEnabled: boolean;
  readonly ReportToOriginatorEnabled: boolean;
  readonly HiddenFromAddressListsEnabled: boolean;
  readonly RequireSenderAuthenticationEnabled: boolean;
  readonly Alias?: string;
  readonly DisplayName?: string;
  readonly SimpleDisplayName?: string;
  readonly MailTipTranslations?: readonly string[];
  /** CustomAttribute1–15 and ExtensionCustomAttribute1–5, only those with a value. */
  readonly [customAttribute: `CustomAttribute${number}` | `ExtensionCustomAttribute${number}`]:
    | string
    | readonly string[]
    | undefined;
}

/** msExchGroupJoin/DepartRestriction hold Exchange's MemberUpdateType: 0 Closed, 1 Open, 2 ApprovalRequired. */
function memberUpdateType(value: number | undefined): JoinRestriction | undefined {
  switch (value) {
    case 0:
      return 'Closed';
    case 1:
      return 'Open';
    case 2:
      return 'ApprovalRequired';
    default:
      return undefined;
  }
}

export function joinRestriction(value: number | undefined): JoinRestriction {
  return memberUpdateType(value) ?? 'Closed';
}

/** Security groups (or a Security override) must stay Closed for departures in Exchange Online. */
export function departRestriction(
  value: number | undefined,
  security: boolean,
): DepartRestriction {
  if (security) return 'Closed';
  return memberUpdateType(value) === 'Open' ? 'Open' : 'Closed';
}

/**
 * msExchModerationFlags: bit 0 = bypass nested moderation; bits 1–2 = notifications (2 internal, 6 always, 0 never).
 * An unset value means Exchange's default, "Always".
 */
export function decodeModerationFlags(flags: number | undefined): {
  bypassNested: boolean;
  notifications: ModerationNotifications;
} {
  if (flags === undefined) return { bypassNested: false, notifications: 'Always' };
  const bypassNested = (flags & 1) !== 0;
  const notify = flags & 6;
  const notifications: ModerationNotifications = notify === 0 ? 'Never' : notify === 2 ? 'Internal' : 'Always';
  return { bypassNested, notifications };
}

export function mapGroupSettings(
  group: GroupSettingsSource,
  cloudType: CloudGroupType,
  affixes: NameAffixes,
  cloud: CloudFallback = {},
): CloudGroupSettings {
  const security = cloudType === 'Security' || isSecurityGroupType(group.groupType);
  const moderation = decodeModerationFlags(group.msExchModerationFlags);
  const alias = nonEmpty(group.mailNickname) ?? nonEmpty(cloud.alias);
  const displayName = nonEmpty(group.displayName) ?? nonEmpty(cloud.displayName);
  const simple = nonEmpty(group.displayNamePrintable) ?? nonEmpty(cloud.simpleDisplayName);
  const tips = group.msExchSenderHintTranslations ?? [];
  const custom: Record<string, string | readonly string[]> = {};
  group.extensionAttributes?.slice(0, 15).forEach((value, index) => {
    if (value !== undefined && nonEmpty(value) !== undefined) custom[`CustomAttribute${index + 1}`] = value;
  });
  group.extensionCustomAttributes?.slice(0, 5).forEach((values, index) => {
    if (values !== undefined && values.length > 0) custom[`ExtensionCustomAttribute${index + 1}`] = [...values];
  });
  return {
    MemberJoinRestriction: joinRestriction(group.msExchGroupJoinRestriction),
    MemberDepartRestriction: departRestriction(group.msExchGroupDepartRestriction, security),
    ModerationEnabled: group.msExchEnableModeration ?? false,
    BypassNestedModerationEnabled: moderation.bypassNested,
    SendModerationNotifications: moderation.notifications,
    SendOofMessageToOriginatorEnabled: group.oofReplyToOriginator ?? false,
    ReportToManagerEnabled: group.reportToOwner ?? false,
    ReportToOriginatorEnabled: group.reportToOriginator ?? false,
    HiddenFromAddressListsEnabled: group.msExchHideFromAddressLists ?? false,
    RequireSenderAuthenticationEnabled: group.msExchRequireAuthToSendTo ?? false,
    ...(alias === undefined ? {} : { Alias: alias }),
    ...(displayName === undefined ? {} : { DisplayName: withAffixes(displayName, affixes) }),
    ...(simple === undefined ? {} : { SimpleDisplayName: simple }),
    ...(tips.length === 0 ? {} : { MailTipTranslations: [...tips] }),
    ...custom,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
