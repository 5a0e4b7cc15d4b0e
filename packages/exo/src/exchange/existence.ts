// "Which of these groups does Exchange Online still have?" for a whole wave in one call per ~160 ids: Get-Recipient
// with an OR-ed -Filter on ExternalDirectoryObjectId (filterable: "Filterable properties for the Filter parameter",
// office-docs-powershell exchange/docs-conceptual/filter-properties.md), returning only that property. A recipient
// still listed holds its addresses: its group cannot be taken over yet.
import { chunkedAnyOf, type FilterChunkOptions } from './opath.js';
import type { ExoTransport } from './transport.js';

/** The subset of `ids` (ExternalDirectoryObjectIds) that Exchange Online still shows as recipients, as given. */
export async function existingRecipientIds(
  transport: ExoTransport,
  ids: readonly string[],
  options: FilterChunkOptions = {},
): Promise<Set<string>> {
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const present = new Set<string>();
  // The chunks are asked for together (the transport bounds the calls in flight): one after another, a wave of 400
  // groups waited three round trips per poll of the level's deletion watch, and every group the poll saw gone had
  // its outage counted from before the first of them (issue 15).
  const answers = await Promise.all(
    (wanted.length === 0 ? [] : chunkedAnyOf('ExternalDirectoryObjectId', wanted, options)).map((filter) =>
      transport.invoke(
        'Get-Recipient',
        { Filter: filter, ResultSize: 'Unlimited' },
        { select: ['ExternalDirectoryObjectId'], idempotent: true },
      ),
    ),
  );
  for (const result of answers)
    for (const r of result.value) {
      const id = r['ExternalDirectoryObjectId'];
      if (typeof id === 'string') present.add(id.toLowerCase());
    }
  return new Set(ids.filter((id) => present.has(id.toLowerCase())));
}
