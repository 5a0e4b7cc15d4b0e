// The verify step's arithmetic: every value a migration promises to carry is one ExpectedValue; what the directory and
// the tenant hold now is a list of ObservedAttribute; compareValues counts the values checked and lists each expected
// value that is not there, and — for an attribute read as complete (members, addresses, link lists, Send-As) — each
// value that is there but was never captured: an extra member or Send-As trustee changes who gets or sends mail as
// silently as a lost one. Pure — the sources (verify/sources.ts) do the reading.

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
  /**
   * A value the product may add on purpose but need not (the configured fallback owner): never missing, never extra,
   * not counted.
   */
  readonly optional?: boolean;
}

export interface ObservedAttribute {
  readonly side: VerifySide;
  readonly object: string;
  readonly attribute: string;
  readonly values: readonly string[];
  /**
   * Set when the attribute was read whole and must hold the expected values only: each entry (one value in every form
   * it is rendered in) that no expected value of the attribute names is an extra.
   */
  readonly entries?: readonly ObservedEntry[];
}

export interface ObservedEntry {
  /** How the report shows it. */
  readonly shown: string;
  readonly forms: readonly string[];
}

export interface Difference {
  /** missing: an expected value is not there; extra: a value is there that was not captured (in `expected`). */
  readonly kind: 'missing' | 'extra';
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

/** What one attribute holds now: its values as read (for the report) and, lower-cased, for look-ups. */
interface HeldAttribute {
  readonly values: readonly string[];
  readonly held: ReadonlySet<string>;
}

/** The observed values by attribute key, each attribute's look-up set built once. */
function heldByKey(observed: readonly ObservedAttribute[]): Map<string, HeldAttribute> {
  const lists = new Map<string, (readonly string[])[]>();
  for (const o of observed) {
    const list = lists.get(keyOf(o));
    if (list === undefined) lists.set(keyOf(o), [o.values]);
    else list.push(o.values);
  }
  const out = new Map<string, HeldAttribute>();
  for (const [key, parts] of lists) {
    const held = new Set<string>();
    for (const part of parts) for (const v of part) held.add(v.toLowerCase());
    // The values as read, shared rather than copied when one read gave them all (the members of a big group).
    out.set(key, { values: parts.length === 1 ? parts[0]! : parts.flat(), held });
  }
  return out;
}

/** One attribute's expected values: the first of each distinct value, and every form any of them names. */
interface AttributeExpectation {
  readonly first: Map<string, ExpectedValue>;
  readonly forms: Set<string>;
}

function expectationsByKey(expected: readonly ExpectedValue[]): Map<string, AttributeExpectation> {
  const out = new Map<string, AttributeExpectation>();
  for (const e of expected) {
    const key = keyOf(e);
    let attribute = out.get(key);
    if (attribute === undefined) out.set(key, (attribute = { first: new Map(), forms: new Set() }));
    const value = e.value.toLowerCase();
    if (attribute.first.has(value)) continue;
    attribute.first.set(value, e);
    for (const f of e.forms) if (f !== '') attribute.forms.add(f.toLowerCase());
  }
  return out;
}

/**
 * Every look-up is a set built once per attribute (values held, forms named): a 100,000-member group is compared in
 * time and memory linear in its members. A set of what was held built per expected value made verify quadratic —
 * minutes and hundreds of MiB of garbage at 10,000 members (issue 17).
 */
export function compareValues(
  expected: readonly ExpectedValue[],
  observed: readonly ObservedAttribute[],
): Verification {
  const now = heldByKey(observed);
  const expectations = expectationsByKey(expected);
  const differences: Difference[] = [];
  let checked = 0;
  // In the order the values were expected; each distinct value once (the same member named twice is one value).
  for (const e of expected) {
    const key = keyOf(e);
    if (e.optional === true || expectations.get(key)!.first.get(e.value.toLowerCase()) !== e) continue;
    checked++;
    const attribute = now.get(key);
    if (!e.forms.some((f) => f !== '' && attribute?.held.has(f.toLowerCase()) === true))
      differences.push({ kind: 'missing', expected: e, observed: attribute?.values ?? [] });
  }
  for (const o of observed) {
    const forms = expectations.get(keyOf(o))?.forms;
    for (const entry of o.entries ?? []) {
      if (entry.forms.some((f) => f !== '' && forms?.has(f.toLowerCase()) === true)) continue;
      checked++;
      differences.push({
        kind: 'extra',
        expected: {
          side: o.side,
          object: o.object,
          attribute: o.attribute,
          value: entry.shown,
          forms: entry.forms,
        },
        observed: o.values,
      });
    }
  }
  return { checked, differences };
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
