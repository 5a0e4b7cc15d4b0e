// One directory object as returned by a search, with ranged values already merged. Attribute names
// are matched case-insensitively, as LDAP does.

export type Value = string | Buffer;

/**
 * Appends `items` to `target` one by one: `target.push(...items)` passes every item as an argument and overflows the
 * call stack somewhere above ~100,000 of them (a search of a large directory, a big group's values).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

export class AdEntry {
  readonly dn: string;
  private readonly attrs = new Map<string, { name: string; values: Value[] }>();

  constructor(dn: string) {
    this.dn = dn;
  }

  /** Append values (used when merging `;range=` windows). */
  add(name: string, values: Value[]): void {
    const key = name.toLowerCase();
    const existing = this.attrs.get(key);
    if (existing) appendAll(existing.values, values);
    else this.attrs.set(key, { name, values: [...values] });
  }

  has(name: string): boolean {
    return (this.attrs.get(name.toLowerCase())?.values.length ?? 0) > 0;
  }

  names(): string[] {
    return [...this.attrs.values()].filter((a) => a.values.length > 0).map((a) => a.name);
  }

  strings(name: string): string[] {
    return (this.attrs.get(name.toLowerCase())?.values ?? []).map((v) =>
      typeof v === 'string' ? v : v.toString('utf8'),
    );
  }

  string(name: string): string | undefined {
    return this.strings(name)[0];
  }

  buffers(name: string): Buffer[] {
    return (this.attrs.get(name.toLowerCase())?.values ?? []).map((v) =>
      typeof v === 'string' ? Buffer.from(v, 'utf8') : v,
    );
  }

  buffer(name: string): Buffer | undefined {
    return this.buffers(name)[0];
  }

  number(name: string): number | undefined {
    const s = this.string(name);
    if (s === undefined || s.trim() === '') return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }

  boolean(name: string): boolean | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    return s.toUpperCase() === 'TRUE';
  }

  /** Every attribute as strings (binary values base64), for backups. */
  raw(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const { name, values } of this.attrs.values()) {
      if (values.length === 0) continue;
      out[name] = values.map((v) => (typeof v === 'string' ? v : v.toString('base64')));
    }
    return out;
  }
}
