// The settings table of docs/reference-behaviour.md#the-temporary-dl-and-its-settings: on-premises group attributes → the single-valued parameters of
// New-/Set-DistributionGroup. Multi-valued links (members, restrictions, managers, …) are mapped in links.ts.
import type { AdGroup } from '@dlmigrate/ad';
import type { CloudGroupType } from './group-type.js';
import { withAffixes, type NameAffixes } from './names.js';

/** The parts of the on-prem group this mapping reads. */
export type GroupSettingsSource = Pick<
  AdGroup,
  'mailNickname' | 'displayName' | 'displayNamePrintable' | 'settings'
> & {
  readonly groupType: Pick<AdGroup['groupType'], 'security'>;
};

/** What the cloud still says, used where the on-prem value is missing (the reference tool falls back the same way, docs/reference-behaviour.md#the-temporary-dl-and-its-settings). */
export interface CloudFallback {
  readonly alias?: string | undefined;
  readonly displayName?: string | undefined;
  readonly simpleDisplayName?: string | undefined;
  /** The synced group's effective MemberDepartRestriction (what its members live with today). */
  readonly memberDepartRestriction?: string | undefined;
}

/** What the captured synced group says, for the values the on-prem group may leave unset. */
export function cloudFallbackOf(
  dl:
    | {
        readonly alias: string;
        readonly displayName: string;
        readonly settings: Readonly<Record<string, unknown>>;
      }
    | null
    | undefined,
): CloudFallback {
  if (dl === null || dl === undefined) return {};
  const depart = dl.settings['memberDepartRestriction'];
  return {
    alias: dl.alias,
    displayName: dl.displayName,
    ...(typeof depart === 'string' ? { memberDepartRestriction: depart } : {}),
  };
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
    string | readonly string[] | undefined;
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

/**
 * Security groups (or a Security override) must stay Closed for departures in Exchange Online. Unset on-premises, a
 * distribution group departs as Exchange's default lets it, Open ("Open: This is the default value for distribution
 * groups", New-DistributionGroup.md, MemberDepartRestriction), which is also what the synced copy shows
 * (packages/cloud-sim/src/sync/projection.ts): the synced group's value is carried when it was captured, so the
 * migration does not silently close a group its members could leave.
 */
export function departRestriction(
  value: number | undefined,
  security: boolean,
  cloud?: string,
): DepartRestriction {
  if (security) return 'Closed';
  if (value === undefined) return cloud === 'Closed' ? 'Closed' : 'Open';
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
  const notifications: ModerationNotifications =
    notify === 0 ? 'Never' : notify === 2 ? 'Internal' : 'Always';
  return { bypassNested, notifications };
}

export function mapGroupSettings(
  group: GroupSettingsSource,
  cloudType: CloudGroupType,
  affixes: NameAffixes,
  cloud: CloudFallback = {},
): CloudGroupSettings {
  const security = cloudType === 'Security' || group.groupType.security;
  const settings = group.settings;
  const moderation = decodeModerationFlags(settings.moderationFlags);
  const alias = nonEmpty(group.mailNickname) ?? nonEmpty(cloud.alias);
  const displayName = nonEmpty(group.displayName) ?? nonEmpty(cloud.displayName);
  const simple = nonEmpty(group.displayNamePrintable) ?? nonEmpty(cloud.simpleDisplayName);
  const tips = settings.senderHintTranslations;
  const custom: Record<string, string | readonly string[]> = {};
  for (let n = 1; n <= 15; n++) {
    const value = settings.extensionAttributes[n];
    if (value !== undefined && nonEmpty(value) !== undefined) custom[`CustomAttribute${n}`] = value;
  }
  for (let n = 1; n <= 5; n++) {
    const values = settings.extensionCustomAttributes[n];
    if (values !== undefined && values.length > 0) custom[`ExtensionCustomAttribute${n}`] = [...values];
  }
  return {
    MemberJoinRestriction: joinRestriction(settings.joinRestriction),
    MemberDepartRestriction: departRestriction(
      settings.departRestriction,
      security,
      cloud.memberDepartRestriction,
    ),
    ModerationEnabled: settings.enableModeration ?? false,
    BypassNestedModerationEnabled: moderation.bypassNested,
    SendModerationNotifications: moderation.notifications,
    SendOofMessageToOriginatorEnabled: settings.oofReplyToOriginator ?? false,
    ReportToManagerEnabled: settings.reportToOwner ?? false,
    ReportToOriginatorEnabled: settings.reportToOriginator ?? false,
    HiddenFromAddressListsEnabled: settings.hiddenFromAddressLists ?? false,
    RequireSenderAuthenticationEnabled: settings.requireAuthToSendTo ?? false,
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
