// Schema version 5 makes an address update a record of its own kind (strategy 'address-update', schema.ts). Until
// version 4 the strategy column admitted only the two migration strategies, so core kept an address update
// (core/src/hybrid/update-address.ts) as a 'recreate' record told apart by `operation: 'update-hybrid-address'` in its
// options. The upgrade rewrites each such record: its strategy becomes 'address-update' and the flag leaves its
// options (the new address and alias, and the engine options it ran with, stay).
import type { SqlExecutor } from './driver.js';
import { InvalidInputError } from './errors.js';

/** The options flag of an address update written before version 5. */
const FLAG_BEFORE_V5 = 'update-hybrid-address';

interface FlaggedRow {
  id: string;
  options: string;
  [column: string]: unknown;
}

function storedOptions(row: FlaggedRow): Record<string, unknown> {
  const value: unknown = JSON.parse(row.options);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidInputError(`the options of migration ${row.id} are not a JSON object`);
  return value as Record<string, unknown>;
}

/** Rewrites the address updates kept as flagged 'recreate' records; returns their ids. */
export async function recordAddressUpdatesAsTheirOwnKind(tx: SqlExecutor): Promise<string[]> {
  // LIKE narrows the rows to read; the parsed flag decides.
  const rows = await tx.query<FlaggedRow>(
    "SELECT id, options FROM migrations WHERE strategy = 'recreate' AND options LIKE ?",
    [`%${FLAG_BEFORE_V5}%`],
  );
  const rewritten: string[] = [];
  for (const row of rows) {
    const { operation, ...options } = storedOptions(row);
    if (operation !== FLAG_BEFORE_V5) continue;
    await tx.run("UPDATE migrations SET strategy = 'address-update', options = ? WHERE id = ?", [
      JSON.stringify(options),
      row.id,
    ]);
    rewritten.push(row.id);
  }
  return rewritten;
}
