// Cmdlet output objects, with Exchange Online's property names.
import type { RecipientDirectory } from './directory.js';
import { customAttributeNames, extensionCustomAttributeNames, isGroup, type Recipient } from './recipient.js';

export type OutputObject = Record<string, unknown>;

function names(dir: RecipientDirectory, guids: string[]): string[] {
  return guids.map((g) => dir.get(g)?.Name).filter((n): n is string => n !== undefined);
}

function splitByGroup(dir: RecipientDirectory, guids: string[]): { senders: string[]; groups: string[] } {
  const senders: string[] = [];
  const groups: string[] = [];
  for (const g of guids) {
    const r = dir.get(g);
    if (!r) continue;
    (isGroup(r) ? groups : senders).push(r.Name);
  }
  return { senders, groups };
}

export function renderRecipient(dir: RecipientDirectory, r: Recipient): OutputObject {
  const accept = splitByGroup(dir, r.AcceptMessagesOnlyFromSendersOrMembers);
  const reject = splitByGroup(dir, r.RejectMessagesFromSendersOrMembers);
  const bypass = splitByGroup(dir, r.BypassModerationFromSendersOrMembers);
  const out: OutputObject = {
    Identity: r.Name,
    Id: r.Name,
    Name: r.Name,
    Alias: r.Alias,
    DisplayName: r.DisplayName,
    PrimarySmtpAddress: r.PrimarySmtpAddress,
    WindowsEmailAddress: r.WindowsEmailAddress,
    EmailAddresses: [...r.EmailAddresses],
    ExternalDirectoryObjectId: r.ExternalDirectoryObjectId,
    Guid: r.Guid,
    ExchangeObjectId: r.Guid,
    DistinguishedName: dir.distinguishedName(r),
    OrganizationalUnit: `NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/${dir.tenant.initialDomain}`,
    LegacyExchangeDN: r.LegacyExchangeDN,
    IsDirSynced: r.IsDirSynced,
    RecipientType: r.RecipientType,
    RecipientTypeDetails: r.RecipientTypeDetails,
    HiddenFromAddressListsEnabled: r.HiddenFromAddressListsEnabled,
    RequireSenderAuthenticationEnabled: r.RequireSenderAuthenticationEnabled,
    ManagedBy: names(dir, r.ManagedBy),
    ModeratedBy: names(dir, r.ModeratedBy),
    ModerationEnabled: r.ModerationEnabled,
    SendModerationNotifications: r.SendModerationNotifications,
    AcceptMessagesOnlyFrom: accept.senders,
    AcceptMessagesOnlyFromDLMembers: accept.groups,
    AcceptMessagesOnlyFromSendersOrMembers: names(dir, r.AcceptMessagesOnlyFromSendersOrMembers),
    RejectMessagesFrom: reject.senders,
    RejectMessagesFromDLMembers: reject.groups,
    RejectMessagesFromSendersOrMembers: names(dir, r.RejectMessagesFromSendersOrMembers),
    BypassModerationFromSendersOrMembers: names(dir, r.BypassModerationFromSendersOrMembers),
    BypassModerationFromDLMembers: bypass.groups,
    GrantSendOnBehalfTo: names(dir, r.GrantSendOnBehalfTo),
    MailTip: r.MailTip,
    MailTipTranslations: [...r.MailTipTranslations],
    SimpleDisplayName: r.SimpleDisplayName,
    WhenCreatedUTC: r.WhenCreatedUTC,
    WhenChangedUTC: r.WhenChangedUTC,
    // Set only on soft-deleted recipients (seen with Get-Recipient -IncludeSoftDeletedRecipients).
    WhenSoftDeleted: dir.tenant.softDeletedRecipients[r.Guid] ? r.WhenChangedUTC : null,
  };
  for (const n of customAttributeNames) out[n] = r.custom[n] ?? '';
  for (const n of extensionCustomAttributeNames) out[n] = [...(r.extension[n] ?? [])];
  if (isGroup(r) || r.RecipientType === 'DynamicDistributionGroup') {
    Object.assign(out, {
      MemberJoinRestriction: r.MemberJoinRestriction,
      MemberDepartRestriction: r.MemberDepartRestriction,
      ReportToManagerEnabled: r.ReportToManagerEnabled,
      ReportToOriginatorEnabled: r.ReportToOriginatorEnabled,
      SendOofMessageToOriginatorEnabled: r.SendOofMessageToOriginatorEnabled,
      BypassNestedModerationEnabled: r.BypassNestedModerationEnabled,
      GroupType:
        r.RecipientType === 'MailUniversalSecurityGroup' ? 'Universal, SecurityEnabled' : 'Universal',
      Notes: r.Notes,
      Description: r.Notes ? [r.Notes] : [],
    });
  }
  if (r.RecipientType === 'DynamicDistributionGroup') out['RecipientFilter'] = r.RecipientFilter;
  if (r.RecipientType === 'UserMailbox' || r.RecipientType === 'MailUser') {
    out['UserPrincipalName'] = r.UserPrincipalName;
    out['MicrosoftOnlineServicesID'] = r.UserPrincipalName;
  }
  if (r.RecipientType === 'UserMailbox') {
    out['ForwardingAddress'] = r.ForwardingAddress ? (dir.get(r.ForwardingAddress)?.Name ?? null) : null;
    out['ForwardingSmtpAddress'] = r.ForwardingSmtpAddress;
    out['DeliverToMailboxAndForward'] = r.DeliverToMailboxAndForward;
  }
  if (r.RecipientType === 'MailContact' || r.RecipientType === 'MailUser')
    out['ExternalEmailAddress'] = r.ExternalEmailAddress;
  return out;
}

/** Get-User output: the user object, not its recipient settings. */
export function renderUser(dir: RecipientDirectory, r: Recipient): OutputObject {
  return {
    Identity: r.Name,
    Id: r.Name,
    Name: r.Name,
    DisplayName: r.DisplayName,
    UserPrincipalName: r.UserPrincipalName,
    MicrosoftOnlineServicesID: r.UserPrincipalName,
    WindowsEmailAddress: r.RecipientType === 'User' ? '' : r.WindowsEmailAddress,
    ExternalDirectoryObjectId: r.ExternalDirectoryObjectId,
    Guid: r.Guid,
    ExchangeObjectId: r.Guid,
    DistinguishedName: dir.distinguishedName(r),
    IsDirSynced: r.IsDirSynced,
    RecipientType: r.RecipientType,
    RecipientTypeDetails: r.RecipientTypeDetails,
    SamAccountName: r.dir.onPremisesSamAccountName ?? '',
    Sid: r.dir.onPremisesSecurityIdentifier ?? null,
    WhenCreatedUTC: r.WhenCreatedUTC,
    WhenChangedUTC: r.WhenChangedUTC,
  };
}

/** Get-Group output: the directory group (membership, SID), not its mail settings. */
export function renderGroup(dir: RecipientDirectory, r: Recipient, sid: string): OutputObject {
  return {
    Identity: r.Name,
    Id: r.Name,
    Name: r.Name,
    DisplayName: r.DisplayName,
    Guid: r.Guid,
    ExchangeObjectId: r.Guid,
    ExternalDirectoryObjectId: r.ExternalDirectoryObjectId,
    DistinguishedName: dir.distinguishedName(r),
    GroupType: r.RecipientType === 'MailUniversalSecurityGroup' ? 'Universal, SecurityEnabled' : 'Universal',
    RecipientType: r.RecipientType,
    RecipientTypeDetails: r.RecipientTypeDetails,
    IsDirSynced: r.IsDirSynced,
    ManagedBy: names(dir, r.ManagedBy),
    Members: names(dir, r.Members),
    WindowsEmailAddress: r.WindowsEmailAddress,
    Notes: r.Notes ?? '',
    Sid: sid,
    SidHistory: [],
    WhenCreatedUTC: r.WhenCreatedUTC,
    WhenChangedUTC: r.WhenChangedUTC,
  };
}
