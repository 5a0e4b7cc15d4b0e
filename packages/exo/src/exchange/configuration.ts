// Typed reads and writes of the Exchange Online configuration that can name a group (issue 16). Reads are bulk —
// one call (every page) lists all transport rules, journal rules, dynamic groups, address lists or policies, and the
// caller matches locally — except calendar processing, which Exchange serves one mailbox at a time.
// Writes replace what the documentation says can only be replaced whole (rule recipient arrays, booking policy
// lists, filters) and report the service's warnings (a no-op write shows up only there).
import type { CmdletParameters } from './encoding.js';
import { ExoNoResultError } from './errors.js';
import {
  toAddressBookPolicy,
  toAddressList,
  toCalendarProcessing,
  toJournalRule,
  toTransportRule,
  type AddressBookPolicyRecord,
  type AddressListRecord,
  type CalendarPolicyList,
  type CalendarProcessingRecord,
  type JournalRuleRecord,
  type TransportRuleRecord,
} from './config-records.js';
import {
  toDynamicDistributionGroup,
  toRecipient,
  type DynamicDistributionGroupRecord,
  type RecipientRecord,
} from './records.js';
import type { ExoTransport, InvokeResult } from './transport.js';

/** How many Get-CalendarProcessing calls run at once (the transport's adaptive limit still applies). */
const CALENDAR_READS_IN_FLIGHT = 4;

export class ExchangeConfiguration {
  constructor(private readonly transport: ExoTransport) {}

  // ── transport rules ──────────────────────────────────────────────────────────────────────

  /** Every transport rule, in priority order (Get-TransportRule -ResultSize Unlimited). */
  async listTransportRules(): Promise<TransportRuleRecord[]> {
    return (await this.read('Get-TransportRule', { ResultSize: 'Unlimited' })).value.map(toTransportRule);
  }

  /** Replaces one recipient-valued condition, exception or action of a rule (the arrays can't be edited in place). */
  async setTransportRuleRecipients(
    rule: string,
    parameter: string,
    values: readonly string[],
  ): Promise<readonly string[]> {
    const value =
      parameter === 'GenerateIncidentReport' ? (values[0] ?? null) : values.length > 0 ? values : null;
    return (await this.write('Set-TransportRule', { Identity: rule, [parameter]: value })).warnings;
  }

  // ── dynamic distribution groups ─────────────────────────────────────────────────────────

  /** Every dynamic distribution group with its RecipientFilter. */
  async listDynamicDistributionGroups(): Promise<DynamicDistributionGroupRecord[]> {
    return (await this.read('Get-DynamicDistributionGroup', { ResultSize: 'Unlimited' })).value.map(
      toDynamicDistributionGroup,
    );
  }

  async setDynamicDistributionGroupFilter(
    identity: string,
    recipientFilter: string,
  ): Promise<readonly string[]> {
    return (
      await this.write('Set-DynamicDistributionGroup', {
        Identity: identity,
        RecipientFilter: recipientFilter,
      })
    ).warnings;
  }

  // ── resource mailboxes ──────────────────────────────────────────────────────────────────

  /** Room and equipment mailboxes (the only ones whose calendar processing can be set). */
  async listResourceMailboxes(): Promise<RecipientRecord[]> {
    return (
      await this.read('Get-Mailbox', {
        RecipientTypeDetails: ['RoomMailbox', 'EquipmentMailbox'],
        ResultSize: 'Unlimited',
      })
    ).value.map(toRecipient);
  }

  async getCalendarProcessing(mailbox: string): Promise<CalendarProcessingRecord> {
    const value = (await this.read('Get-CalendarProcessing', { Identity: mailbox })).value[0];
    if (!value)
      throw new ExoNoResultError(
        'Get-CalendarProcessing',
        mailbox,
        `Get-CalendarProcessing returned nothing for ${mailbox}`,
      );
    return toCalendarProcessing(value);
  }

  /** Calendar processing of each mailbox (one call each, a few at a time), in the order given. */
  async listCalendarProcessing(mailboxes: readonly string[]): Promise<CalendarProcessingRecord[]> {
    const out: CalendarProcessingRecord[] = new Array(mailboxes.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < mailboxes.length; i = next++)
        out[i] = await this.getCalendarProcessing(mailboxes[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(CALENDAR_READS_IN_FLIGHT, mailboxes.length) }, worker));
    return out;
  }

  /** Replaces booking-policy lists of a resource mailbox (read, change, write back: the documented way). */
  async setCalendarProcessing(
    mailbox: string,
    lists: Partial<Record<CalendarPolicyList, readonly string[]>>,
  ): Promise<readonly string[]> {
    const parameters: Record<string, readonly string[] | null> = {};
    for (const [name, values] of Object.entries(lists)) parameters[name] = values.length > 0 ? values : null;
    return (await this.write('Set-CalendarProcessing', { Identity: mailbox, ...parameters })).warnings;
  }

  // ── journal rules ───────────────────────────────────────────────────────────────────────

  async listJournalRules(): Promise<JournalRuleRecord[]> {
    return (await this.read('Get-JournalRule', {})).value.map(toJournalRule);
  }

  /** The journaled recipient (an SMTP address); null journals everyone. */
  async setJournalRuleRecipient(rule: string, recipient: string | null): Promise<readonly string[]> {
    return (await this.write('Set-JournalRule', { Identity: rule, Recipient: recipient })).warnings;
  }

  // ── address lists (Exchange Online: only with the "Address Lists" role) ─────────────────

  async listAddressLists(): Promise<AddressListRecord[]> {
    return (await this.read('Get-AddressList', {})).value.map((raw) => toAddressList(raw, 'address-list'));
  }

  async listGlobalAddressLists(): Promise<AddressListRecord[]> {
    return (await this.read('Get-GlobalAddressList', {})).value.map((raw) =>
      toAddressList(raw, 'global-address-list'),
    );
  }

  /** Set-AddressList or Set-GlobalAddressList, by the list's kind; `identity` is its Guid or path. */
  async setAddressListFilter(
    identity: string,
    kind: AddressListRecord['kind'],
    recipientFilter: string,
  ): Promise<readonly string[]> {
    const cmdlet = kind === 'address-list' ? 'Set-AddressList' : 'Set-GlobalAddressList';
    return (await this.write(cmdlet, { Identity: identity, RecipientFilter: recipientFilter })).warnings;
  }

  async listAddressBookPolicies(): Promise<AddressBookPolicyRecord[]> {
    return (await this.read('Get-AddressBookPolicy', {})).value.map(toAddressBookPolicy);
  }

  private read(cmdlet: string, parameters: CmdletParameters): Promise<InvokeResult> {
    return this.transport.invoke(cmdlet, parameters, { idempotent: true });
  }

  /** Every write here sets a value whole, so sending it twice (after a timeout) does no harm. */
  private write(cmdlet: string, parameters: CmdletParameters): Promise<InvokeResult> {
    return this.transport.invoke(cmdlet, parameters, { idempotent: true });
  }
}
