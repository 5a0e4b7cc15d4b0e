// Cloud-only objects that name a group in a restriction, moderation bypass, send-on-behalf or owner list, read once
// for the whole tenant and indexed by the named group — so that a batch asks Exchange a handful of questions per
// level instead of 24 filters per group (22 of ~46 calls per group in a 1,000-group batch
// were this scan repeated; bench/batch.bench.ts prints the calls per group). Exchange names link targets by Name in cmdlet output, and a recipient's DN is built
// from its Name, so "holds the group of this DN" and "lists the group's Name" are the same question.
import type { CmdletParameters } from './encoding.js';
import { toRecipient, type RecipientRecord } from './records.js';
import type { InvokeResult } from './transport.js';

/** The links a cloud-dependants scan looks for (findCloudDependants: one filter per link and cmdlet). */
export const RESTRICTION_LINKS = [
  'AcceptMessagesOnlyFromDLMembers',
  'RejectMessagesFromDLMembers',
  'BypassModerationFromDLMembers',
  'GrantSendOnBehalfTo',
] as const;

/** The cmdlets whose objects can hold those links. */
export const RESTRICTION_CMDLETS = [
  'Get-DistributionGroup',
  'Get-DynamicDistributionGroup',
  'Get-UnifiedGroup',
  'Get-Mailbox',
  'Get-MailUser',
  'Get-MailContact',
] as const;

/**
 * Send-on-behalf of a mailbox: kept in Exchange Online for synced mailboxes too (written back on-premises), so the
 * scan asks synced mailboxes as well as cloud-only ones for it.
 */
export function isMailboxDelegation(link: string, cmdlet: string): boolean {
  return link === 'GrantSendOnBehalfTo' && cmdlet === 'Get-Mailbox';
}

/** The cmdlets whose objects have owners (ManagedBy) a group can be. */
export const OWNER_CMDLETS = ['Get-DistributionGroup', 'Get-DynamicDistributionGroup'] as const;

export type IndexedLink = (typeof RESTRICTION_LINKS)[number] | 'ManagedBy' | 'ForwardingAddress';

/**
 * The output property listing each link's targets. A filter on "…FromDLMembers" compares the whole senders-or-members
 * list (the service keeps one list; the three names are views of it), so the index reads that list too.
 */
const OUTPUT_PROPERTY: Readonly<Record<IndexedLink, string>> = {
  AcceptMessagesOnlyFromDLMembers: 'AcceptMessagesOnlyFromSendersOrMembers',
  RejectMessagesFromDLMembers: 'RejectMessagesFromSendersOrMembers',
  BypassModerationFromDLMembers: 'BypassModerationFromSendersOrMembers',
  GrantSendOnBehalfTo: 'GrantSendOnBehalfTo',
  ManagedBy: 'ManagedBy',
  ForwardingAddress: 'ForwardingAddress',
};

/** Which links of this output object list a target of this (lower-case) name. */
export function linksNaming(
  raw: Record<string, unknown>,
  name: string,
  links: readonly IndexedLink[],
): IndexedLink[] {
  return links.filter((link) => targetsOf(raw, link).includes(name));
}

function targetsOf(raw: Record<string, unknown>, link: IndexedLink): string[] {
  const value = raw[OUTPUT_PROPERTY[link]];
  // ForwardingAddress is one recipient (a string, or null when none), the lists are arrays.
  if (typeof value === 'string') return value === '' ? [] : [value.toLowerCase()];
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase())
    : [];
}

export class CloudDependantsIndex {
  /** cmdlet → link → lower-case target name → holders, in the order the service listed them. */
  readonly #holders = new Map<string, Map<IndexedLink, Map<string, RecipientRecord[]>>>();
  /** Exchange calls the read took (pages not counted). */
  calls = 0;

  /**
   * Reads every cloud-only object of the restriction cmdlets (dynamic DLs all: IsDirSynced is not filterable on
   * Get-DynamicDistributionGroup, and they are never synced), the synced mailboxes with a send-on-behalf list, and
   * every mailbox that forwards (synced or not: a mailbox's forwarding is kept in Exchange Online, and findCloudDependants
   * asks every mailbox too), and keeps those that name someone in a link.
   */
  static async read(
    read: (cmdlet: string, parameters: CmdletParameters) => Promise<InvokeResult>,
  ): Promise<CloudDependantsIndex> {
    const index = new CloudDependantsIndex();
    for (const cmdlet of RESTRICTION_CMDLETS) {
      const links: IndexedLink[] = (OWNER_CMDLETS as readonly string[]).includes(cmdlet)
        ? [...RESTRICTION_LINKS, 'ManagedBy']
        : [...RESTRICTION_LINKS];
      const result = await read(cmdlet, {
        ...(cmdlet === 'Get-DynamicDistributionGroup' ? {} : { Filter: 'IsDirSynced -eq $false' }),
        ResultSize: 'Unlimited',
      });
      index.calls++;
      const byLink = new Map<IndexedLink, Map<string, RecipientRecord[]>>();
      index.#holders.set(cmdlet, byLink);
      for (const raw of result.value) {
        let record: RecipientRecord | undefined;
        for (const link of links) {
          for (const target of new Set(targetsOf(raw, link))) {
            record ??= toRecipient(raw);
            const byTarget = byLink.get(link) ?? byLink.set(link, new Map()).get(link)!;
            (byTarget.get(target) ?? byTarget.set(target, []).get(target)!).push(record);
          }
        }
      }
    }
    // Synced mailboxes naming someone in their send-on-behalf list (isMailboxDelegation): one read more.
    const delegating = await read('Get-Mailbox', {
      Filter: '(IsDirSynced -eq $true) -and (GrantSendOnBehalfTo -ne $null)',
      ResultSize: 'Unlimited',
    });
    index.calls++;
    const byLink = index.#holders.get('Get-Mailbox')!;
    for (const raw of delegating.value) {
      const record = toRecipient(raw);
      for (const target of new Set(targetsOf(raw, 'GrantSendOnBehalfTo'))) {
        const byTarget =
          byLink.get('GrantSendOnBehalfTo') ??
          byLink.set('GrantSendOnBehalfTo', new Map()).get('GrantSendOnBehalfTo')!;
        (byTarget.get(target) ?? byTarget.set(target, []).get(target)!).push(record);
      }
    }
    // Mailboxes that forward to someone: one read more, instead of a ForwardingAddress filter per group.
    const forwarding = await read('Get-Mailbox', {
      Filter: 'ForwardingAddress -ne $null',
      ResultSize: 'Unlimited',
    });
    index.calls++;
    const forwardingTo =
      byLink.get('ForwardingAddress') ?? byLink.set('ForwardingAddress', new Map()).get('ForwardingAddress')!;
    for (const raw of forwarding.value)
      for (const target of targetsOf(raw, 'ForwardingAddress'))
        (forwardingTo.get(target) ?? forwardingTo.set(target, []).get(target)!).push(toRecipient(raw));
    return index;
  }

  /** The objects `cmdlet` lists that name `groupName` in `link`. */
  holders(cmdlet: string, link: IndexedLink, groupName: string): readonly RecipientRecord[] {
    return this.#holders.get(cmdlet)?.get(link)?.get(groupName.toLowerCase()) ?? [];
  }
}
