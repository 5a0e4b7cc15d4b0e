// Routing-address candidates (alias@routing domain, alias2@…, …) that nobody holds. Soft-deleted recipients keep
// their addresses (Get-Recipient.md, IncludeSoftDeletedRecipients), so they count as holders; `self` (the group the
// address is for) may already hold one.
import type { ExchangeOnline } from '@dlmigrate/exo';
import { routingAddressCandidates } from '../mapping/addresses.js';

export async function* freeRoutingAddresses(
  exchange: ExchangeOnline,
  alias: string,
  routingDomain: string,
  self?: string,
): AsyncGenerator<string> {
  for (const candidate of routingAddressCandidates(alias, routingDomain)) {
    if (await exchange.isAddressFree(candidate, self)) yield candidate;
  }
}
