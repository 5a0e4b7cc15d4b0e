// OPATH filters (Exchange's -Filter syntax). Values are single-quoted, so a quote inside a value is
// written twice; nothing else is special inside '…'. Every value that reaches a filter goes
// through quoteOpath — a name like O'Brien must not end the string and inject a clause.

export function quoteOpath(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `Property -eq 'value'` */
export function opathEquals(property: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(property)) throw new Error(`Not an OPATH property name: ${property}`);
  return `${property} -eq ${quoteOpath(value)}`;
}

/** `(P -eq 'a') -or (P -eq 'b')` */
export function opathAnyOf(property: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error('opathAnyOf needs at least one value');
  return values.map((v) => `(${opathEquals(property, v)})`).join(' -or ');
}

export interface FilterChunkOptions {
  /** Longest filter string sent in one call. @defaultValue 8000 */
  readonly maxLength?: number;
  /** Most values OR-ed in one filter. @defaultValue 200 */
  readonly maxTerms?: number;
}

/**
 * Split `values` into OR-chains that each stay under the length and term limits, so checking
 * thousands of recipients costs tens of calls instead of thousands.
 */
export function chunkedAnyOf(
  property: string,
  values: readonly string[],
  options: FilterChunkOptions = {},
): string[] {
  const maxLength = options.maxLength ?? 8000;
  const maxTerms = options.maxTerms ?? 200;
  const filters: string[] = [];
  let terms: string[] = [];
  let length = 0;
  const separator = ' -or ';
  for (const value of values) {
    const term = `(${opathEquals(property, value)})`;
    if (term.length > maxLength)
      throw new Error(`A single filter value is longer than ${maxLength} characters`);
    const added = terms.length === 0 ? term.length : separator.length + term.length;
    if (terms.length > 0 && (length + added > maxLength || terms.length >= maxTerms)) {
      filters.push(terms.join(separator));
      terms = [];
      length = 0;
    }
    length += terms.length === 0 ? term.length : separator.length + term.length;
    terms.push(term);
  }
  if (terms.length > 0) filters.push(terms.join(separator));
  return filters;
}
