// Distinguished names (RFC 4514): escaping when we build them, parsing when we compare them.
// The lab has its own small implementation on purpose: it must not depend on packages/ad, whose
// code it exists to test.

/** Escape one attribute value for use inside an RDN (`CN=<value>`), RFC 4514 §2.4. */
export function escapeRdnValue(value: string): string {
  if (value.length === 0) throw new Error('an RDN value cannot be empty');
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const code = ch.charCodeAt(0);
    const first = i === 0;
    const last = i === value.length - 1;
    if (
      ch === '\\' ||
      ch === '"' ||
      ch === '+' ||
      ch === ',' ||
      ch === ';' ||
      ch === '<' ||
      ch === '>' ||
      ch === '='
    ) {
      out += `\\${ch}`;
    } else if ((first && (ch === '#' || ch === ' ')) || (last && ch === ' ')) {
      out += `\\${ch}`;
    } else if (code < 0x20 || code === 0x7f) {
      // control characters are written as hex pairs: they are legal in AD names but invisible
      out += `\\${code.toString(16).padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** `CN=<escaped value>` */
export function rdn(type: string, value: string): string {
  return `${type}=${escapeRdnValue(value)}`;
}

export interface Rdn {
  type: string;
  value: string;
}

/**
 * Parse a DN into its RDNs with unescaped values. Multi-valued RDNs (`a=1+b=2`) are kept as one
 * RDN whose value holds the raw remainder; AD does not use them.
 */
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  let i = 0;
  while (i < dn.length) {
    let type = '';
    while (i < dn.length && dn[i] !== '=') type += dn[i++];
    if (i >= dn.length) throw new Error(`not a distinguished name: ${JSON.stringify(dn)}`);
    i++; // '='
    const bytes: number[] = [];
    const pushText = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
    while (i < dn.length && dn[i] !== ',' && dn[i] !== ';') {
      const ch = dn[i] as string;
      if (ch === '\\') {
        const next = dn.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(next)) {
          bytes.push(parseInt(next, 16));
          i += 3;
        } else if (i + 1 < dn.length) {
          pushText(dn[i + 1] as string);
          i += 2;
        } else {
          throw new Error(`dangling escape in distinguished name: ${JSON.stringify(dn)}`);
        }
      } else {
        const cp = dn.codePointAt(i) as number;
        const s = String.fromCodePoint(cp);
        pushText(s);
        i += s.length;
      }
    }
    rdns.push({ type: type.trim(), value: Buffer.from(bytes).toString('utf8') });
    if (i < dn.length) i++; // ',' or ';'
  }
  return rdns;
}

/**
 * A comparison key for a DN: types and values unescaped and lower-cased, so that two spellings of
 * the same DN (`\2C` vs `\,`, `cn=` vs `CN=`) compare equal. AD compares names case-insensitively.
 */
export function dnKey(dn: string): string {
  return parseDn(dn)
    .map((r) => `${r.type.toLowerCase()}=${escapeRdnValue(r.value.toLowerCase())}`)
    .join(',');
}

/** `DC=lab,DC=test` for the realm `LAB.TEST`. */
export function realmToBaseDn(realm: string): string {
  return realm
    .toLowerCase()
    .split('.')
    .map((label) => rdn('DC', label))
    .join(',');
}
