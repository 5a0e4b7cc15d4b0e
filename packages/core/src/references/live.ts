// The current value behind a configuration reference, read from the tenant (never from the capture): what rewire
// changes and what verify checks. One reader per pass memoises the bulk lists, so ten references into the same
// rules cost one Get-TransportRule.
import {
  ExoNotFoundError,
  replaceFilterLiteral,
  type AddressListRecord,
  type ExchangeOnline,
  type JournalRuleRecord,
  type TransportRuleRecord,
} from '@dlmigrate/exo';
import { filterNamesGroup, type ExchangeReference } from './exchange.js';
import { names, type GroupIdentity } from './identity.js';

export type LiveValue =
  | { readonly shape: 'list'; readonly values: readonly string[] }
  | { readonly shape: 'single'; readonly value: string | null }
  | { readonly shape: 'filter'; readonly filter: string }
  /** The container itself is gone (rule deleted, mailbox removed…). */
  | { readonly shape: 'gone' };

export class LiveReader {
  #rules: Promise<TransportRuleRecord[]> | undefined;
  #journal: Promise<JournalRuleRecord[]> | undefined;
  #lists: Promise<AddressListRecord[]> | undefined;

  constructor(private readonly exchange: ExchangeOnline) {}

  async read(reference: ExchangeReference): Promise<LiveValue> {
    const config = this.exchange.configuration;
    const { identity } = reference.container;
    switch (reference.kind) {
      case 'transport-rule': {
        this.#rules ??= config.listTransportRules();
        const rule = (await this.#rules).find((r) => r.guid === identity);
        return rule
          ? { shape: 'list', values: rule.recipients[reference.property] ?? [] }
          : { shape: 'gone' };
      }
      case 'journal-rule': {
        this.#journal ??= config.listJournalRules();
        const rule = (await this.#journal).find((r) => r.guid === identity);
        return rule ? { shape: 'single', value: rule.recipient } : { shape: 'gone' };
      }
      case 'dynamic-group-filter': {
        const ddg = await this.exchange.getDynamicDistributionGroup(identity);
        return ddg ? { shape: 'filter', filter: ddg.recipientFilter } : { shape: 'gone' };
      }
      case 'address-list-filter': {
        this.#lists ??= Promise.all([config.listAddressLists(), config.listGlobalAddressLists()]).then((l) =>
          l.flat(),
        );
        const list = (await this.#lists).find((l) => l.guid === identity);
        return list ? { shape: 'filter', filter: list.recipientFilter } : { shape: 'gone' };
      }
      case 'calendar-processing':
        try {
          const processing = await config.getCalendarProcessing(identity);
          return {
            shape: 'list',
            values: processing.lists[reference.property as keyof typeof processing.lists] ?? [],
          };
        } catch (error) {
          if (error instanceof ExoNotFoundError) return { shape: 'gone' };
          throw error;
        }
    }
  }

  /** Forget what was read (after a write, the next read must see it). */
  forget(): void {
    this.#rules = undefined;
    this.#journal = undefined;
    this.#lists = undefined;
  }
}

/** Whether the live value names `group` itself (by its own LegacyExchangeDN, not an X500 proxy it carries). */
export function liveNames(reference: ExchangeReference, live: LiveValue, group: GroupIdentity): boolean {
  switch (live.shape) {
    case 'gone':
      return false;
    case 'filter':
      return filterNamesGroup(live.filter, group);
    case 'single':
      return live.value !== null && names(group, reference.storedAs, live.value, true);
    case 'list':
      return live.values.some((v) => names(group, reference.storedAs, v, true));
  }
}

/**
 * The value that makes the container name `target` where it named `old`: the old group's entries replaced by the
 * target (an address where the container keeps addresses, else its id, which Exchange stores in its own form), or
 * the old DN replaced by the target's in a filter. undefined when nothing is to be written: the target is named
 * already, or the container no longer names the old group (an administrator changed it meanwhile).
 */
export function rewrittenValue(
  reference: ExchangeReference,
  live: LiveValue,
  old: GroupIdentity,
  target: GroupIdentity,
): string | readonly string[] | null | undefined {
  if (liveNames(reference, live, target)) return undefined;
  const replacement = reference.storedAs === 'address' ? target.primarySmtpAddress : target.identity;
  switch (live.shape) {
    case 'gone':
      return undefined;
    case 'single':
      // Only a value naming the old group changes: an empty journal Recipient means "everyone", not "gone".
      return live.value !== null && names(old, reference.storedAs, live.value) ? replacement : undefined;
    case 'list': {
      const kept = live.values.filter((v) => !names(old, reference.storedAs, v));
      return [...kept, replacement];
    }
    case 'filter': {
      const oldValues = [old.distinguishedName, ...(old.canonicalName ? [old.canonicalName] : [])];
      const next = replaceFilterLiteral(live.filter, oldValues, target.distinguishedName);
      return next === live.filter ? undefined : next;
    }
  }
}
