// The quoted values inside a stored OPATH filter (a dynamic distribution group's or an address list's
// RecipientFilter): finding a group's DN among them, and replacing it with another group's DN without touching the
// rest of the filter. MemberOfGroup takes a DN or canonical name (filter-properties.md), always as a quoted value.
import { quoteOpath } from './opath.js';

export interface OpathLiteral {
  /** The value, unescaped. */
  readonly value: string;
  /** Where the quoted text (quotes included) starts and ends in the filter. */
  readonly start: number;
  readonly end: number;
}

/** Every '…' / "…" literal of the filter ('' and "" and a backtick escape the quote, as PowerShell does). */
export function opathLiterals(filter: string): OpathLiteral[] {
  const literals: OpathLiteral[] = [];
  let i = 0;
  while (i < filter.length) {
    const quote = filter[i];
    if (quote !== "'" && quote !== '"') {
      i++;
      continue;
    }
    const start = i;
    let value = '';
    i++;
    while (i < filter.length) {
      const c = filter[i]!;
      if (c === quote && filter[i + 1] === quote) {
        value += quote;
        i += 2;
      } else if (c === quote) break;
      else if (c === '`' && i + 1 < filter.length) {
        value += filter[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    if (i >= filter.length) break; // unterminated: the service would not have stored it
    i++;
    literals.push({ value, start, end: i });
  }
  return literals;
}

/** Whether a literal of the filter is one of `values` (DNs and canonical names compare case-insensitively). */
export function filterNames(filter: string, values: readonly string[]): boolean {
  const wanted = new Set(values.map((v) => v.toLowerCase()));
  return opathLiterals(filter).some((l) => wanted.has(l.value.toLowerCase()));
}

/** The filter with each literal that is one of `from` replaced by `to` (single-quoted); the rest stays as it was. */
export function replaceFilterLiteral(filter: string, from: readonly string[], to: string): string {
  const wanted = new Set(from.map((v) => v.toLowerCase()));
  let out = '';
  let last = 0;
  for (const l of opathLiterals(filter)) {
    if (!wanted.has(l.value.toLowerCase())) continue;
    out += filter.slice(last, l.start) + quoteOpath(to);
    last = l.end;
  }
  return out + filter.slice(last);
}
