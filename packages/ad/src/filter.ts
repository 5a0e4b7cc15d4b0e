// LDAP filters are built as ldapts filter objects, never parsed from strings: ldapts' string parser
// mangles escaped bytes ≥ 0x80 (so binary GUIDs and non-ASCII names would silently not match), and
// objects carry values as raw octets, so no value can ever change the filter's structure.
// `escapeFilterValue` / `filterToString` give the RFC 4515 text form for logs and diagnostics.
import {
  AndFilter,
  EqualityFilter,
  type Filter,
  NotFilter,
  OrFilter,
  PresenceFilter,
  SubstringFilter,
} from 'ldapts';

/** Escape a value for an RFC 4515 string filter: `*()\` NUL and every byte ≥ 0x80 (UTF-8) become \XX. */
export function escapeFilterValue(value: string | Buffer): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  for (const b of bytes) {
    if (b === 0x2a || b === 0x28 || b === 0x29 || b === 0x5c || b === 0x00 || b >= 0x80 || b < 0x20) {
      out += '\\' + b.toString(16).padStart(2, '0');
    } else {
      out += String.fromCharCode(b);
    }
  }
  return out;
}

export const eq = (attribute: string, value: string | Buffer): Filter =>
  new EqualityFilter({ attribute, value });
export const present = (attribute: string): Filter => new PresenceFilter({ attribute });
export const and = (...filters: Filter[]): Filter => new AndFilter({ filters });
export const or = (...filters: Filter[]): Filter => new OrFilter({ filters });
export const not = (filter: Filter): Filter => new NotFilter({ filter });
/** `attr=*value*`-style substring match; values are sent raw, never parsed. */
export const contains = (attribute: string, value: string): Filter =>
  new SubstringFilter({ attribute, any: [value] });

/** RFC 4515 text of a filter built with the helpers above (for logs; values escaped). */
export function filterToString(filter: Filter): string {
  if (filter instanceof AndFilter) return `(&${filter.filters.map(filterToString).join('')})`;
  if (filter instanceof OrFilter) return `(|${filter.filters.map(filterToString).join('')})`;
  if (filter instanceof NotFilter) return `(!${filterToString(filter.filter)})`;
  if (filter instanceof EqualityFilter) return `(${filter.attribute}=${escapeFilterValue(filter.value)})`;
  if (filter instanceof PresenceFilter) return `(${filter.attribute}=*)`;
  if (filter instanceof SubstringFilter) {
    const parts = [
      filter.initial ? escapeFilterValue(filter.initial) : '',
      ...filter.any.map(escapeFilterValue),
      filter.final ? escapeFilterValue(filter.final) : '',
    ];
    return `(${filter.attribute}=${parts.join('*')})`;
  }
  return filter.toString();
}
