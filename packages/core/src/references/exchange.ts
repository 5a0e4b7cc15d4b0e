// The Exchange configuration objects that name a group (issue 16), found in a tenant-wide inventory: transport
// rules (their recipient conditions, exceptions and actions), journal rules, dynamic distribution group and address
// list filters (MemberOfGroup), and the booking policies of resource mailboxes. Pure: the inventory is read once
// (inventory.ts) and matched here for each group.
import {
  CALENDAR_POLICY_LISTS,
  filterNames,
  opathLiterals,
  type AddressBookPolicyRecord,
  type AddressListRecord,
  type CalendarProcessingRecord,
  type DynamicDistributionGroupRecord,
  type JournalRuleRecord,
  type TransportRuleRecord,
  cloudIdentity,
} from '@dlmigrate/exo';
import { names, type GroupIdentity, type StoredAs } from './identity.js';

export type ExchangeReferenceKind =
  'transport-rule' | 'journal-rule' | 'dynamic-group-filter' | 'address-list-filter' | 'calendar-processing';

export interface ReferenceContainer {
  /** How cmdlets are pointed at it: a Guid (rules, lists, dynamic groups) or the mailbox's Guid. */
  readonly identity: string;
  readonly name: string;
  /** Address lists: which cmdlet family edits it. */
  readonly listKind?: AddressListRecord['kind'];
}

export interface ExchangeReference {
  readonly kind: ExchangeReferenceKind;
  readonly container: ReferenceContainer;
  /** The parameter naming the group: SentToMemberOf, Recipient, RecipientFilter, BookInPolicy, … */
  readonly property: string;
  readonly storedAs: StoredAs;
  /** The value that names the group, as the container showed it. */
  readonly value: string;
  /** Address book policies using the list (address lists only). */
  readonly usedBy?: readonly string[];
}

export interface ResourceMailboxProcessing {
  readonly mailbox: { readonly guid: string; readonly name: string; readonly primarySmtpAddress: string };
  readonly processing: CalendarProcessingRecord;
}

/** What the tenant holds; a kind that could not be read is absent and explained in `notChecked`. */
export interface ExchangeInventory {
  readonly transportRules?: readonly TransportRuleRecord[];
  readonly journalRules?: readonly JournalRuleRecord[];
  readonly dynamicGroups?: readonly DynamicDistributionGroupRecord[];
  readonly addressLists?: readonly AddressListRecord[];
  readonly addressBookPolicies?: readonly AddressBookPolicyRecord[];
  readonly resources?: readonly ResourceMailboxProcessing[];
  readonly notChecked: readonly NotChecked[];
}

export interface NotChecked {
  /** What could not be looked at, e.g. "address lists and address book policies". */
  readonly what: string;
  readonly why: string;
  /** How an administrator checks it by hand. */
  readonly command: string;
}

/** Which stored values of a filter name the group (MemberOfGroup takes a DN or a canonical name). */
function filterValues(filter: string, group: GroupIdentity): string[] {
  return opathLiterals(filter)
    .map((l) => l.value)
    .filter((v) => names(group, 'distinguished-name', v));
}

export function findExchangeReferences(
  inventory: ExchangeInventory,
  group: GroupIdentity,
): ExchangeReference[] {
  const found: ExchangeReference[] = [];
  for (const rule of inventory.transportRules ?? [])
    for (const [property, values] of Object.entries(rule.recipients))
      for (const value of values)
        if (names(group, 'address', value) || names(group, 'name', value))
          found.push({
            kind: 'transport-rule',
            container: { identity: rule.guid, name: rule.name },
            property,
            storedAs: 'address',
            value,
          });
  for (const rule of inventory.journalRules ?? [])
    if (rule.recipient !== null && names(group, 'address', rule.recipient))
      found.push({
        kind: 'journal-rule',
        container: { identity: rule.guid, name: rule.name },
        property: 'Recipient',
        storedAs: 'address',
        value: rule.recipient,
      });
  for (const ddg of inventory.dynamicGroups ?? [])
    for (const value of filterValues(ddg.recipientFilter, group))
      found.push({
        kind: 'dynamic-group-filter',
        container: {
          identity: cloudIdentity(ddg),
          name: ddg.primarySmtpAddress || ddg.name,
        },
        property: 'RecipientFilter',
        storedAs: 'distinguished-name',
        value,
      });
  for (const list of inventory.addressLists ?? [])
    for (const value of filterValues(list.recipientFilter, group)) {
      const usedBy = (inventory.addressBookPolicies ?? [])
        .filter((p) =>
          [...p.addressLists, p.globalAddressList, p.roomList].some(
            (l) => l.toLowerCase() === list.path.toLowerCase(),
          ),
        )
        .map((p) => p.name);
      found.push({
        kind: 'address-list-filter',
        container: { identity: list.guid, name: list.path, listKind: list.kind },
        property: 'RecipientFilter',
        storedAs: 'distinguished-name',
        value,
        usedBy,
      });
    }
  for (const { mailbox, processing } of inventory.resources ?? [])
    for (const property of CALENDAR_POLICY_LISTS) {
      const storedAs: StoredAs = property === 'ResourceDelegates' ? 'name' : 'legacy-dn';
      for (const value of processing.lists[property])
        if (names(group, storedAs, value))
          found.push({
            kind: 'calendar-processing',
            container: { identity: mailbox.guid, name: mailbox.primarySmtpAddress || mailbox.name },
            property,
            storedAs,
            value,
          });
    }
  return found;
}

/** Whether a filter still names the group (used after a rewrite, and by verify). */
export function filterNamesGroup(filter: string, group: GroupIdentity): boolean {
  return filterNames(filter, [
    group.distinguishedName,
    ...(group.canonicalName ? [group.canonicalName] : []),
  ]);
}
