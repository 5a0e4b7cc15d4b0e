// Ranged retrieval (`member;range=0-1499`): reading the windows a server answers into an AdEntry, and
// which window to ask for next. The requests themselves are the connection's (connection.ts).
import { AdEntry } from './entry.js';

const RANGE_KEY = /^([^;]+)((?:;[^;]+)*?);range=(\d+)-(\d+|\*)(.*)$/i;

/** `attr;range=low-high` for the window of `size` values starting at `low`. */
export const rangeWindow = (name: string, low: number, size: number): string =>
  `${name};range=${low}-${low + size - 1}`;

/**
 * One raw search entry as an AdEntry, with the ranged attributes that have more values to fetch
 * (attribute → next low index).
 */
export function entryFromRaw(raw: Record<string, unknown>): { entry: AdEntry; pending: Map<string, number> } {
  const entry = new AdEntry(String(raw.dn));
  const pending = new Map<string, number>();
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'dn') continue;
    const values = (Array.isArray(value) ? value : [value]) as (string | Buffer)[];
    const m = RANGE_KEY.exec(key);
    if (!m) {
      entry.add(key, values);
      continue;
    }
    // ldapts adds every requested-but-absent attribute as []; an empty window means "no values".
    if (values.length === 0) continue;
    const name = (m[1] as string) + (m[2] ?? '') + (m[5] ?? '');
    entry.add(name, values);
    if (m[4] !== '*') pending.set(name, Number(m[4]) + 1);
  }
  return { entry, pending };
}

/**
 * Adds the values of one follow-up read of ranged windows to `entry` (under the attribute names that
 * were asked for) and returns what is still pending; the terminal `-*` key ends an attribute.
 */
export function addRangedWindows(
  entry: AdEntry,
  asked: ReadonlySet<string>,
  raw: Record<string, unknown>,
): Map<string, number> {
  const pending = new Map<string, number>();
  for (const [key, value] of Object.entries(raw)) {
    const m = RANGE_KEY.exec(key);
    if (!m) continue;
    const values = (Array.isArray(value) ? value : [value]) as (string | Buffer)[];
    if (values.length === 0) continue;
    const name = (m[1] as string) + (m[2] ?? '') + (m[5] ?? '');
    const known = [...asked].find((a) => a.toLowerCase() === name.toLowerCase()) ?? name;
    entry.add(known, values);
    if (m[4] !== '*') pending.set(known, Number(m[4]) + 1);
  }
  return pending;
}
