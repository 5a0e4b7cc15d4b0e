// Typed views of the Exchange configuration objects that can name a group (issue 16): transport rules, journal
// rules, calendar processing, address lists and address book policies. Like records.ts, each keeps the service's full
// output in `settings`.
import { toCamelRecord } from './encoding.js';
import { list, str } from './records.js';

type Raw = Readonly<Record<string, unknown>>;

/**
 * The recipient-valued parameters of New-/Set-TransportRule (all RecipientIdParameter[] except
 * GenerateIncidentReport): conditions, the ExceptIf exception of each, and actions (Set-TransportRule.md).
 */
const RULE_CONDITIONS = [
  'From',
  'FromMemberOf',
  'SentTo',
  'SentToMemberOf',
  'AnyOfToHeader',
  'AnyOfToHeaderMemberOf',
  'AnyOfCcHeader',
  'AnyOfCcHeaderMemberOf',
  'AnyOfToCcHeader',
  'AnyOfToCcHeaderMemberOf',
  'BetweenMemberOf1',
  'BetweenMemberOf2',
  'ManagerAddresses',
] as const;
const TRANSPORT_RULE_RECIPIENT_PARAMETERS: readonly string[] = [
  ...RULE_CONDITIONS,
  ...RULE_CONDITIONS.map((c) => `ExceptIf${c}`),
  'AddToRecipients',
  'CopyTo',
  'BlindCopyTo',
  'RedirectMessageTo',
  'ModerateMessageByUser',
  'GenerateIncidentReport',
];

export interface TransportRuleRecord {
  readonly guid: string;
  readonly name: string;
  readonly priority: number;
  readonly state: string;
  readonly mode: string;
  /** Recipient-valued parameters that have values, as the service shows them (SMTP addresses). */
  readonly recipients: Readonly<Record<string, readonly string[]>>;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface JournalRuleRecord {
  readonly guid: string;
  readonly name: string;
  /** The journaled recipient's SMTP address; null journals everyone. */
  readonly recipient: string | null;
  readonly journalEmailAddress: string | null;
  readonly scope: string;
  readonly enabled: boolean;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** The booking-policy lists of Set-CalendarProcessing that name users or groups. */
export type CalendarPolicyList =
  'BookInPolicy' | 'RequestInPolicy' | 'RequestOutOfPolicy' | 'ResourceDelegates';
export const CALENDAR_POLICY_LISTS: readonly CalendarPolicyList[] = [
  'BookInPolicy',
  'RequestInPolicy',
  'RequestOutOfPolicy',
  'ResourceDelegates',
];

export interface CalendarProcessingRecord {
  /** The resource mailbox (its identity as the service shows it). */
  readonly identity: string;
  readonly automateProcessing: string;
  /** BookInPolicy / RequestInPolicy / RequestOutOfPolicy (LegacyExchangeDNs) and ResourceDelegates (names). */
  readonly lists: Readonly<Record<CalendarPolicyList, readonly string[]>>;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface AddressListRecord {
  readonly guid: string;
  readonly name: string;
  /** `\Name`: how address book policies refer to the list. */
  readonly path: string;
  readonly kind: 'address-list' | 'global-address-list';
  readonly recipientFilter: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface AddressBookPolicyRecord {
  readonly guid: string;
  readonly name: string;
  /** Paths of the address lists, the global address list and the room list it uses. */
  readonly addressLists: readonly string[];
  readonly globalAddressList: string;
  readonly roomList: string;
  readonly offlineAddressBook: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export function toTransportRule(raw: Raw): TransportRuleRecord {
  const recipients: Record<string, string[]> = {};
  for (const parameter of TRANSPORT_RULE_RECIPIENT_PARAMETERS) {
    const values = list(raw, parameter);
    if (values.length > 0) recipients[parameter] = values;
  }
  return {
    guid: str(raw, 'Guid'),
    name: str(raw, 'Name'),
    priority: Number(raw['Priority'] ?? 0),
    state: str(raw, 'State'),
    mode: str(raw, 'Mode'),
    recipients,
    settings: toCamelRecord(raw),
  };
}

export function toJournalRule(raw: Raw): JournalRuleRecord {
  return {
    guid: str(raw, 'Guid'),
    name: str(raw, 'Name'),
    recipient: str(raw, 'Recipient') || null,
    journalEmailAddress: str(raw, 'JournalEmailAddress') || null,
    scope: str(raw, 'Scope'),
    enabled: raw['Enabled'] === true || raw['Enabled'] === 'True',
    settings: toCamelRecord(raw),
  };
}

export function toCalendarProcessing(raw: Raw): CalendarProcessingRecord {
  return {
    identity: str(raw, 'Identity'),
    automateProcessing: str(raw, 'AutomateProcessing'),
    lists: {
      BookInPolicy: list(raw, 'BookInPolicy'),
      RequestInPolicy: list(raw, 'RequestInPolicy'),
      RequestOutOfPolicy: list(raw, 'RequestOutOfPolicy'),
      ResourceDelegates: list(raw, 'ResourceDelegates'),
    },
    settings: toCamelRecord(raw),
  };
}

export function toAddressList(raw: Raw, kind: AddressListRecord['kind']): AddressListRecord {
  const name = str(raw, 'Name');
  return {
    guid: str(raw, 'Guid'),
    name,
    path: str(raw, 'Path') || `\\${name}`,
    kind,
    recipientFilter: str(raw, 'RecipientFilter'),
    settings: toCamelRecord(raw),
  };
}

export function toAddressBookPolicy(raw: Raw): AddressBookPolicyRecord {
  return {
    guid: str(raw, 'Guid'),
    name: str(raw, 'Name'),
    addressLists: list(raw, 'AddressLists'),
    globalAddressList: str(raw, 'GlobalAddressList'),
    roomList: str(raw, 'RoomList'),
    offlineAddressBook: str(raw, 'OfflineAddressBook'),
    settings: toCamelRecord(raw),
  };
}
