// Which -Filter properties each Get- cmdlet accepts. Source: "Filterable properties for the Filter
// parameter on Exchange cmdlets" (MicrosoftDocs/office-docs-powershell
// exchange/docs-conceptual/filter-properties.md): "A property is filterable only on the cmdlets
// listed in its section. Using it on a cmdlet that isn't listed returns a 'not a recognized
// filterable property' error". Only the properties this simulator evaluates, and only the cmdlets it
// implements, are listed; everything else is refused.
import { cmdletErrors } from './errors.js';
import { customAttributeNames, extensionCustomAttributeNames } from './recipient.js';

const DG = 'Get-DistributionGroup';
const DDG = 'Get-DynamicDistributionGroup';
const GROUP = 'Get-Group';
const MAILBOX = 'Get-Mailbox';
const CONTACT = 'Get-MailContact';
const MAILUSER = 'Get-MailUser';
const RECIPIENT = 'Get-Recipient';
const USER = 'Get-User';
const UNIFIED = 'Get-UnifiedGroup';

/** The sections whose cmdlet list is the mail-recipient set (authOrig, dLMemSubmitPerms, …). */
const deliveryCmdlets = [DG, DDG, MAILBOX, CONTACT, MAILUSER, UNIFIED];
const everyCmdlet = [DG, DDG, GROUP, MAILBOX, CONTACT, MAILUSER, RECIPIENT, USER, UNIFIED];
const addressCmdlets = [DG, DDG, MAILBOX, CONTACT, MAILUSER, RECIPIENT, UNIFIED];

const table: Record<string, string[]> = {
  Members: [DG, GROUP, RECIPIENT],
  MemberOfGroup: [DG, DDG, GROUP, MAILBOX, CONTACT, MAILUSER, RECIPIENT, USER],
  ManagedBy: [DG, DDG, GROUP, RECIPIENT, UNIFIED],
  ModeratedBy: deliveryCmdlets,
  GrantSendOnBehalfTo: deliveryCmdlets,
  AcceptMessagesOnlyFrom: deliveryCmdlets,
  AcceptMessagesOnlyFromDLMembers: deliveryCmdlets,
  RejectMessagesFrom: deliveryCmdlets,
  RejectMessagesFromDLMembers: deliveryCmdlets,
  // No section on the page. DLConversionV2 filters on it with Get-DistributionGroup,
  // Get-DynamicDistributionGroup, Get-UnifiedGroup, Get-Mailbox, Get-MailUser and Get-MailContact
  // (Get-O365GroupDependency.ps1:107-180 via DLConversionV2.psm1:593), which has run against real
  // tenants: allowed on the same cmdlets as its …DLMembers siblings (observed in reference code).
  BypassModerationFromDLMembers: deliveryCmdlets,
  ForwardingAddress: [MAILBOX, MAILUSER],
  PrimarySmtpAddress: addressCmdlets,
  EmailAddresses: addressCmdlets,
  ExternalDirectoryObjectId: [DG, DDG, MAILBOX, CONTACT, MAILUSER, RECIPIENT, USER, UNIFIED],
  Guid: everyCmdlet,
  Name: everyCmdlet,
  DisplayName: everyCmdlet,
  Alias: addressCmdlets,
  // Not listed for Get-DynamicDistributionGroup (dynamic DLs are never synced).
  IsDirSynced: [DG, GROUP, MAILBOX, CONTACT, MAILUSER, RECIPIENT, USER, UNIFIED],
  RecipientType: everyCmdlet,
  RecipientTypeDetails: everyCmdlet,
  HiddenFromAddressListsEnabled: addressCmdlets,
  ModerationEnabled: deliveryCmdlets,
  LegacyExchangeDN: [DG, DDG, MAILBOX, CONTACT, MAILUSER, USER, UNIFIED],
  DistinguishedName: everyCmdlet,
  WindowsEmailAddress: [DG, DDG, GROUP, MAILBOX, CONTACT, MAILUSER, USER],
  UserPrincipalName: [MAILBOX, MAILUSER, USER],
  ExternalEmailAddress: [CONTACT, MAILUSER, RECIPIENT],
  ...Object.fromEntries(
    [...customAttributeNames, ...extensionCustomAttributeNames].map((n) => [n, addressCmdlets]),
  ),
};

const byLowerName = new Map(
  Object.entries(table).map(([prop, cmdlets]) => [prop.toLowerCase(), new Set(cmdlets)]),
);

/** Whether `cmdlet -Filter` accepts `property` (case-insensitive). */
export function isFilterable(cmdlet: string, property: string): boolean {
  return byLowerName.get(property.toLowerCase())?.has(cmdlet) ?? false;
}

/** The documented refusal for a property the cmdlet does not filter on. */
export function notFilterable(property: string) {
  return cmdletErrors.invalidArgument(
    'Filter',
    `Cannot bind parameter 'Filter' to the target. Exception setting "Filter": ""${property}" is not a recognized filterable property."`,
  );
}
