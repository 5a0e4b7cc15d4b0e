// Other holders of the group's addresses, found before anything changes (issue 14). Exchange Online keeps every
// address unique tenant-wide, soft-deleted recipients included (they keep theirs until purged; Get-Recipient.md,
// IncludeSoftDeletedRecipients; cloud-sim's fidelity ledger, "Addresses"). The synced group cannot hold an address
// another object holds — the sync leaves such an address off it (duplicate attribute resiliency) — so the conflict
// only shows when take-over writes the address to the new DL, after the synced group was deleted: too late, the
// rollback leaves the group absent until an administrator acts. Capture reads the holders of every carried address
// (each proxy, X500s included) and validate blocks on them.
//
// Cost: one Get-Recipient -Filter per chunk of addresses OR-ed on EmailAddresses (exo opath.ts chunkedAnyOf: at most
// 200 terms or 8,000 characters a filter), not one call per address — a group with 30 addresses costs one call.
// `EmailAddresses -eq` takes a prefixed proxy ('X500:/o=…', 'smtp:a@b') or a bare SMTP address (filter-properties.md,
// EmailAddresses); cloud-sim implements both (packages/cloud-sim/src/exchange/filter.ts).
import { chunkedAnyOf, type ExchangeOnline, type RecipientRecord } from '@dlmigrate/exo';
import { z } from 'zod';
import { finding, type Finding } from '../findings/finding.js';
import { proxyKey } from '../mapping/addresses.js';

/** One address of the group held by another recipient. */
export interface AddressHolder {
  /** The group's address, as the group carries it ("smtp:a@b", "X500:/o=…"). */
  readonly address: string;
  readonly holder: string;
  readonly holderType: string;
  readonly holderGuid: string;
  /** Soft-deleted (recoverable): only Get-Recipient -IncludeSoftDeletedRecipients shows it. */
  readonly softDeleted: boolean;
}

export const addressHoldersSchema = z.array(
  z.looseObject({
    address: z.string(),
    holder: z.string(),
    holderType: z.string(),
    holderGuid: z.string(),
    softDeleted: z.boolean(),
  }),
);

/** The synced group itself holds its addresses: never a conflict. */
export interface SelfIds {
  readonly guid: string;
  readonly externalDirectoryObjectId: string;
}

/** The value an address is filtered by: a bare SMTP address, or the prefixed proxy for other types. */
function filterValue(address: string): string {
  const key = proxyKey(address);
  return key.startsWith('smtp:') ? key.slice(5) : address;
}

function isSelf(r: RecipientRecord, self: SelfIds | null): boolean {
  if (self === null) return false;
  const ids = [self.guid, self.externalDirectoryObjectId].filter((v) => v !== '').map((v) => v.toLowerCase());
  return ids.includes(r.guid.toLowerCase()) || ids.includes(r.externalDirectoryObjectId.toLowerCase());
}

/** Every recipient other than `self` holding one of `addresses`, live or soft-deleted, one entry per address. */
export async function readAddressHolders(
  exchange: ExchangeOnline,
  addresses: readonly string[],
  self: SelfIds | null,
): Promise<AddressHolder[]> {
  const byKey = new Map(addresses.map((a) => [proxyKey(a), a]));
  const holders: AddressHolder[] = [];
  const seen = new Set<string>();
  for (const filter of chunkedAnyOf('EmailAddresses', [...new Set(addresses.map(filterValue))])) {
    for (const r of await exchange.findRecipients(filter, { IncludeSoftDeletedRecipients: true })) {
      if (isSelf(r, self)) continue;
      for (const held of r.emailAddresses) {
        const address = byKey.get(proxyKey(held));
        const once = `${proxyKey(held)}|${r.guid}`;
        if (address === undefined || seen.has(once)) continue;
        seen.add(once);
        holders.push({
          address,
          holder: r.name || r.primarySmtpAddress || r.guid,
          holderType: r.recipientTypeDetails,
          holderGuid: r.guid,
          softDeleted: isSoftDeleted(r),
        });
      }
    }
  }
  return holders;
}

/** Get-Recipient -IncludeSoftDeletedRecipients shows WhenSoftDeleted only on soft-deleted recipients. */
function isSoftDeleted(r: RecipientRecord): boolean {
  const when = r.settings['whenSoftDeleted'];
  return when !== undefined && when !== null && when !== '';
}

/** One blocking finding per held address, naming the holder. */
export function addressHolderFindings(holders: readonly AddressHolder[]): Finding[] {
  return holders.map((h) =>
    finding(
      'ADDRESS_HELD_ELSEWHERE',
      h.address.replace(/^smtp:/i, ''),
      `held by ${h.softDeleted ? 'the soft-deleted ' : ''}${h.holderType} "${h.holder}" (${h.holderGuid}); the new group could not take it after the synced group is deleted`,
      'EmailAddresses',
    ),
  );
}
