// The verify step's arithmetic: every value a migration promises to carry is one ExpectedValue; what the directory and
// the tenant hold now is a list of ObservedAttribute; compareValues counts the values checked and lists each expected
// value that is not there. Pure — the sources (verify/sources.ts) do the reading.

export type VerifySide = 'cloud' | 'on-premises';

export interface ExpectedValue {
  readonly side: VerifySide;
  /** The object as the report names it (an address, a DN, an Exchange identity). */
  readonly object: string;
  readonly attribute: string;
  /** The value as the report shows it. */
  readonly value: string;
  /** Forms under which the value may be rendered by the system read (compared case-insensitively). */
  readonly forms: readonly string[];
}

export interface ObservedAttribute {
  readonly side: VerifySide;
  readonly object: string;
  readonly attribute: string;
  readonly values: readonly string[];
}

export interface Difference {
  readonly expected: ExpectedValue;
  /** What the attribute holds now (empty when the object or the attribute is gone). */
  readonly observed: readonly string[];
}

export interface Verification {
  readonly checked: number;
  readonly differences: readonly Difference[];
}

function keyOf(v: { side: VerifySide; object: string; attribute: string }): string {
  return `${v.side}\u0000${v.object.toLowerCase()}\u0000${v.attribute.toLowerCase()}`;
}

/** Each distinct expected value counts once (the same member named twice is one value). */
export function distinctValues(expected: readonly ExpectedValue[]): ExpectedValue[] {
  const seen = new Set<string>();
  const out: ExpectedValue[] = [];
  for (const e of expected) {
    const key = `${keyOf(e)}\u0000${e.value.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

export function compareValues(
  expected: readonly ExpectedValue[],
  observed: readonly ObservedAttribute[],
): Verification {
  const byKey = new Map<string, string[]>();
  for (const o of observed) {
    const list = byKey.get(keyOf(o)) ?? [];
    list.push(...o.values);
    byKey.set(keyOf(o), list);
  }
  const values = distinctValues(expected);
  const differences: Difference[] = [];
  for (const e of values) {
    const now = byKey.get(keyOf(e)) ?? [];
    const held = new Set(now.map((v) => v.toLowerCase()));
    if (!e.forms.some((f) => f !== '' && held.has(f.toLowerCase())))
      differences.push({ expected: e, observed: now });
  }
  return { checked: values.length, differences };
}

/** A setting's value as the systems render it: booleans and numbers as text, lists element by element. */
export function renderedValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => renderedValues(v));
  if (typeof value === 'object') return [JSON.stringify(value)];
  return [String(value as string | number | boolean)];
}

/** The summary line every verification report opens with. */
export function verificationSummary(v: Pick<Verification, 'checked'> & { differences: number }): string {
  return `${v.checked} values checked, ${v.differences} difference${v.differences === 1 ? '' : 's'}`;
}
