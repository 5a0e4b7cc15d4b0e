// The tenant-wide lists the reference search needs, read in bulk — one call (every page) per kind, plus one
// Get-CalendarProcessing per resource mailbox — and kept for a few minutes per Exchange connection, so a batch of a
// thousand groups reads them once per few minutes instead of once per group. A kind the app may not read (the
// address list cmdlets need the "Address Lists" role) is recorded as not checked, with the command to check by hand.
import { ExoPermissionDeniedError, type ExchangeOnline } from '@dlmigrate/exo';
import type { Clock } from '../util/poll.js';
import { PerConnectionCache } from './cache.js';
import type { ExchangeInventory, NotChecked, ResourceMailboxProcessing } from './exchange.js';

const cache = new PerConnectionCache<ExchangeOnline, ExchangeInventory>();

/** The inventory, read now or reused when this connection read it a few minutes ago (cache.ts). */
export function exchangeInventory(exchange: ExchangeOnline, clock: Clock): Promise<ExchangeInventory> {
  return cache.get(exchange, clock, () => readExchangeInventory(exchange));
}

async function optional<T>(
  notChecked: NotChecked[],
  read: () => Promise<T>,
  unreadable: Omit<NotChecked, 'why'>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof ExoPermissionDeniedError)) throw error;
    notChecked.push({ ...unreadable, why: error.serverMessage || error.message });
    return undefined;
  }
}

async function readExchangeInventory(exchange: ExchangeOnline): Promise<ExchangeInventory> {
  const config = exchange.configuration;
  const notChecked: NotChecked[] = [];
  const transportRules = await optional(notChecked, () => config.listTransportRules(), {
    what: 'transport rules',
    command:
      'Get-TransportRule -ResultSize Unlimited | Format-List Name,*MemberOf*,From,SentTo,*To,ModerateMessageByUser',
  });
  const journalRules = await optional(notChecked, () => config.listJournalRules(), {
    what: 'journal rules',
    command: 'Get-JournalRule | Format-List Name,Recipient',
  });
  const dynamicGroups = await optional(notChecked, () => config.listDynamicDistributionGroups(), {
    what: 'dynamic distribution groups',
    command: 'Get-DynamicDistributionGroup -ResultSize Unlimited | Format-List Name,RecipientFilter',
  });
  const addressLists = await optional(
    notChecked,
    async () => [...(await config.listAddressLists()), ...(await config.listGlobalAddressLists())],
    {
      what: 'address lists and global address lists (the app lacks the "Address Lists" role)',
      command:
        'Get-AddressList | Format-List Name,RecipientFilter; Get-GlobalAddressList | Format-List Name,RecipientFilter',
    },
  );
  const addressBookPolicies =
    addressLists === undefined
      ? undefined
      : await optional(notChecked, () => config.listAddressBookPolicies(), {
          what: 'address book policies',
          command: 'Get-AddressBookPolicy | Format-List Name,AddressLists,GlobalAddressList,RoomList',
        });
  const resources = await optional(
    notChecked,
    async (): Promise<ResourceMailboxProcessing[]> => {
      const mailboxes = await config.listResourceMailboxes();
      const processing = await config.listCalendarProcessing(mailboxes.map((m) => m.guid));
      return mailboxes.map((m, i) => ({
        mailbox: { guid: m.guid, name: m.name, primarySmtpAddress: m.primarySmtpAddress },
        processing: processing[i]!,
      }));
    },
    {
      what: 'booking policies of room and equipment mailboxes',
      command:
        'Get-Mailbox -RecipientTypeDetails RoomMailbox,EquipmentMailbox -ResultSize Unlimited | Get-CalendarProcessing | Format-List Identity,BookInPolicy,RequestInPolicy,RequestOutOfPolicy,ResourceDelegates',
    },
  );
  return {
    ...(transportRules === undefined ? {} : { transportRules }),
    ...(journalRules === undefined ? {} : { journalRules }),
    ...(dynamicGroups === undefined ? {} : { dynamicGroups }),
    ...(addressLists === undefined ? {} : { addressLists }),
    ...(addressBookPolicies === undefined ? {} : { addressBookPolicies }),
    ...(resources === undefined ? {} : { resources }),
    notChecked,
  };
}
