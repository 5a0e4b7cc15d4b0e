// Exchange Online configuration objects that name recipients (issue 16): mail flow (transport) rules, journal rules,
// the calendar processing of resource mailboxes, address lists / global address lists and address book policies.
// Plain JSON inside the tenant state, like the recipients, so a snapshot copies it and a dump shows it.
import type { TenantState } from '../state.js';
import type { CmdletContext } from './cmdlet.js';

/**
 * How a transport rule keeps the recipients its conditions, exceptions and actions name. Get-TransportRule shows
 * them as SMTP addresses; whether the service stores the address (a re-created group holding the same address is
 * matched again) or the object (the value disappears with the object) only a real tenant can tell, so it is a
 * tenant setting (README, "Configuration references").
 */
export type TransportRuleBinding = 'address' | 'object';

export interface TransportRule {
  Guid: string;
  Name: string;
  Priority: number;
  State: 'Enabled' | 'Disabled';
  Mode: 'Enforce' | 'Audit' | 'AuditAndNotify';
  Comments: string;
  /** Recipient-valued conditions, exceptions and actions by parameter name: SMTP addresses or Guids (binding). */
  recipients: Record<string, string[]>;
  /** The other predicates and actions set on the rule, by parameter name, as given. */
  other: Record<string, unknown>;
  WhenChanged: string;
}

export interface JournalRule {
  Guid: string;
  Name: string;
  /** SMTP address of the journaled recipient (the parameter is an SmtpAddress); null = every recipient. */
  Recipient: string | null;
  /** The journal recipient (a Guid link): gone with the object. */
  JournalEmailAddress: string | null;
  Scope: 'Global' | 'Internal' | 'External';
  Enabled: boolean;
  WhenChanged: string;
}

export interface CalendarProcessing {
  AutomateProcessing: 'None' | 'AutoUpdate' | 'AutoAccept';
  AllBookInPolicy: boolean;
  AllRequestInPolicy: boolean;
  AllRequestOutOfPolicy: boolean;
  /** Kept as the LegacyExchangeDN of each user or group (how Get-CalendarProcessing shows them). */
  BookInPolicy: string[];
  RequestInPolicy: string[];
  RequestOutOfPolicy: string[];
  /** Guid links (shown as names; gone with the object). */
  ResourceDelegates: string[];
  ForwardRequestsToDelegates: boolean;
  AllowConflicts: boolean;
  AllowRecurringMeetings: boolean;
  BookingWindowInDays: number;
  MaximumDurationInMinutes: number;
  AddOrganizerToSubject: boolean;
  DeleteComments: boolean;
  DeleteSubject: boolean;
  ProcessExternalMeetingMessages: boolean;
}

export interface AddressList {
  Guid: string;
  Name: string;
  DisplayName: string;
  kind: 'AddressList' | 'GlobalAddressList';
  /** OPATH filter (custom or the one IncludedRecipients stands for). */
  RecipientFilter: string;
  IncludedRecipients: string | null;
  IsDefault: boolean;
}

export interface AddressBookPolicy {
  Guid: string;
  Name: string;
  /** Guids of address lists. */
  AddressLists: string[];
  GlobalAddressList: string;
  OfflineAddressBook: string;
  RoomList: string;
}

export interface ExchangeConfigState {
  transportRuleBinding: TransportRuleBinding;
  transportRules: TransportRule[];
  journalRules: JournalRule[];
  /** By mailbox Guid; a mailbox without an entry has the defaults. */
  calendarProcessing: Record<string, CalendarProcessing>;
  addressLists: AddressList[];
  addressBookPolicies: AddressBookPolicy[];
  offlineAddressBooks: string[];
}

/** The default lists of a new Exchange Online organization (names as the service shows them). */
function defaultAddressLists(): AddressList[] {
  const list = (
    Guid: string,
    Name: string,
    kind: AddressList['kind'],
    IncludedRecipients: string,
    RecipientFilter: string,
  ): AddressList => ({
    Guid,
    Name,
    DisplayName: Name,
    kind,
    RecipientFilter,
    IncludedRecipients,
    IsDefault: true,
  });
  return [
    list(
      '2a2f3b5c-0001-4a43-9f6a-7a1d1c1e0001',
      'Default Global Address List',
      'GlobalAddressList',
      'AllRecipients',
      "((Alias -ne $null) -and ((ObjectClass -eq 'user') -or (ObjectClass -eq 'contact') -or (ObjectClass -eq 'msExchSystemMailbox') -or (ObjectClass -eq 'msExchDynamicDistributionList') -or (ObjectClass -eq 'group') -or (ObjectClass -eq 'publicFolder')))",
    ),
    list(
      '2a2f3b5c-0002-4a43-9f6a-7a1d1c1e0002',
      'All Users',
      'AddressList',
      'MailboxUsers',
      "((Alias -ne $null) -and (((ObjectCategory -like 'person') -and (ObjectClass -eq 'user'))))",
    ),
    list(
      '2a2f3b5c-0003-4a43-9f6a-7a1d1c1e0003',
      'All Distribution Lists',
      'AddressList',
      'MailGroups',
      "((Alias -ne $null) -and (ObjectCategory -like 'group'))",
    ),
    list(
      '2a2f3b5c-0004-4a43-9f6a-7a1d1c1e0004',
      'All Contacts',
      'AddressList',
      'MailContacts',
      "((Alias -ne $null) -and (((ObjectCategory -like 'person') -and (ObjectClass -eq 'contact'))))",
    ),
    list(
      '2a2f3b5c-0005-4a43-9f6a-7a1d1c1e0005',
      'All Rooms',
      'AddressList',
      'Resources',
      "((Alias -ne $null) -and (((RecipientDisplayType -eq 'ConferenceRoomMailbox') -or (RecipientDisplayType -eq 'SyncedConferenceRoomMailbox'))))",
    ),
  ];
}

export function emptyExchangeConfig(): ExchangeConfigState {
  return {
    transportRuleBinding: 'address',
    transportRules: [],
    journalRules: [],
    calendarProcessing: {},
    addressLists: defaultAddressLists(),
    addressBookPolicies: [],
    offlineAddressBooks: ['Default Offline Address Book'],
  };
}

/** The tenant's configuration objects (created on first use for tenant states from before issue 16). */
export function configOf(tenant: TenantState): ExchangeConfigState {
  tenant.exchangeConfig ??= emptyExchangeConfig();
  return tenant.exchangeConfig;
}

/** A deleted recipient's object links leave the configuration (address-valued entries stay, as text). */
export function forgetRecipientInConfig(tenant: TenantState, guid: string): void {
  const config = tenant.exchangeConfig;
  if (!config) return;
  if (config.transportRuleBinding === 'object')
    for (const rule of config.transportRules)
      for (const [param, values] of Object.entries(rule.recipients)) {
        const kept = values.filter((v) => v !== guid);
        if (kept.length === 0) delete rule.recipients[param];
        else rule.recipients[param] = kept;
      }
  for (const rule of config.journalRules)
    if (rule.JournalEmailAddress === guid) rule.JournalEmailAddress = null;
  for (const processing of Object.values(config.calendarProcessing))
    processing.ResourceDelegates = processing.ResourceDelegates.filter((g) => g !== guid);
  delete config.calendarProcessing[guid];
}

/**
 * Whether a Set-* of a configuration object changes anything; when not, Exchange succeeds with its "no settings …
 * have been modified" warning instead (as settings.ts commitSetting does for recipients).
 */
export function changes(ctx: CmdletContext, before: unknown, draft: unknown, label: string): boolean {
  if (JSON.stringify(before) !== JSON.stringify(draft)) return true;
  ctx.warnings.push(`The command completed successfully but no settings of '${label}' have been modified.`);
  return false;
}
