// Distinguished names per RFC 4514, treated as structured data: never split a DN on "," by hand,
// because CNs like `Smith\, John` or `\#Team` are legal and common in real directories.
import { AdError } from './errors.js';

interface Ava {
  type: string;
  value: string;
}
/** One RDN; usually a single AVA, multi-valued RDNs join AVAs with "+". */
type Rdn = Ava[];
export type ParsedDn = Rdn[];

const HEX = /^[0-9a-fA-F]{2}$/;
// Characters that must be escaped anywhere in a value (RFC 4514 §2.4), plus "=" which AD escapes too.
const SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);

function invalid(dn: string, why: string): AdError {
  return new AdError('AD_INVALID_DN', `Invalid distinguished name ${JSON.stringify(dn)}: ${why}.`);
}

/** Parse a DN string into RDNs (leftmost first). Escapes, hex pairs and multi-byte UTF-8 are decoded. */
export function parseDn(dn: string): ParsedDn {
  const result: ParsedDn = [];
  if (dn.trim() === '') return result;
  let i = 0;
  let rdn: Rdn = [];
  const n = dn.length;
  while (i < n) {
    while (i < n && dn[i] === ' ') i++;
    const typeStart = i;
    while (i < n && dn[i] !== '=') {
      if (dn[i] === ',' || dn[i] === '+') throw invalid(dn, `attribute type without "=" at position ${i}`);
      i++;
    }
    if (i >= n) throw invalid(dn, 'attribute type without "="');
    const type = dn.slice(typeStart, i).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)*)$/.test(type))
      throw invalid(dn, `bad attribute type ${JSON.stringify(type)}`);
    i++; // "="
    const { value, end } = parseValue(dn, i);
    i = end;
    rdn.push({ type, value });
    if (i < n && dn[i] === '+') {
      i++;
      continue;
    }
    result.push(rdn);
    rdn = [];
    if (i < n) {
      if (dn[i] !== ',' && dn[i] !== ';')
        throw invalid(dn, `unexpected ${JSON.stringify(dn[i])} at position ${i}`);
      i++;
      if (i >= n) throw invalid(dn, 'trailing separator');
    }
  }
  if (rdn.length > 0) result.push(rdn);
  return result;
}

function parseValue(dn: string, start: number): { value: string; end: number } {
  let i = start;
  const n = dn.length;
  if (dn[i] === '#') {
    // A BER hexstring value (RFC 4514 §2.4). AD never emits them for names; a CN starting with "#" is "\#".
    throw invalid(dn, 'BER-encoded (#…) values are not supported; escape a leading "#" as "\\#"');
  }
  const bytes: number[] = [];
  let trailingUnescapedSpaces = 0;
  while (i < n) {
    const c = dn[i] as string;
    if (c === ',' || c === '+' || c === ';') break;
    if (c === '\\') {
      const pair = dn.slice(i + 1, i + 3);
      if (HEX.test(pair)) {
        bytes.push(parseInt(pair, 16));
        i += 3;
      } else if (i + 1 < n) {
        pushUtf8(bytes, dn[i + 1] as string);
        i += 2;
      } else {
        throw invalid(dn, 'dangling "\\" at the end');
      }
      trailingUnescapedSpaces = 0;
      continue;
    }
    if (c === '"' || c === '<' || c === '>' || c === '=') {
      // Lenient for "=" (seen unescaped in the wild), strict for the others which RFC 4514 reserves.
      if (c !== '=') throw invalid(dn, `unescaped ${JSON.stringify(c)} at position ${i}`);
    }
    trailingUnescapedSpaces = c === ' ' ? trailingUnescapedSpaces + 1 : 0;
    const cp = dn.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    pushUtf8(bytes, ch);
    i += ch.length;
  }
  // Unescaped trailing spaces are insignificant (RFC 4514 §3).
  if (trailingUnescapedSpaces > 0)
    bytes.splice(bytes.length - trailingUnescapedSpaces, trailingUnescapedSpaces);
  const value = Buffer.from(bytes).toString('utf8');
  if (value.includes('\uFFFD') && !Buffer.from(bytes).equals(Buffer.from(value, 'utf8'))) {
    throw invalid(dn, 'escaped bytes are not valid UTF-8');
  }
  return { value, end: i };
}

function pushUtf8(bytes: number[], ch: string): void {
  for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
}

/** Escape one attribute value for use in a DN (RFC 4514 §2.4). */
export function escapeDnValue(value: string): string {
  let out = '';
  const chars = Array.from(value);
  chars.forEach((ch, idx) => {
    const code = ch.codePointAt(0) as number;
    if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(16).padStart(2, '0').toUpperCase();
    else if (SPECIAL.has(ch)) out += '\\' + ch;
    else if (idx === 0 && (ch === '#' || ch === ' ')) out += '\\' + ch;
    else if (idx === chars.length - 1 && ch === ' ') out += '\\ ';
    else out += ch;
  });
  return out;
}

function formatRdn(rdn: Rdn): string {
  return rdn.map((ava) => `${ava.type}=${escapeDnValue(ava.value)}`).join('+');
}

/** Build a DN string from parsed RDNs. */
export function formatDn(dn: ParsedDn): string {
  return dn.map(formatRdn).join(',');
}

/** Build `type=value,<parent>` with the value escaped. */
export function childDn(type: string, value: string, parent: string): string {
  const rdn = `${type}=${escapeDnValue(value)}`;
  return parent ? `${rdn},${parent}` : rdn;
}

/** A printable ASCII value with nothing to escape: none of RFC 4514's specials, no space or "#" leading, no space last. */
const PLAIN_VALUE =
  '[^ #,+"\\\\<>;=\\x00-\\x1f\\x7f-\\uffff](?:[^,+"\\\\<>;=\\x00-\\x1f\\x7f-\\uffff]*[^ ,+"\\\\<>;=\\x00-\\x1f\\x7f-\\uffff])?';
const PLAIN_RDN = `[A-Za-z][A-Za-z0-9-]*=${PLAIN_VALUE}`;
/**
 * A DN whose canonical form is its lower-cased text: one `type=value` per RDN, "," between them, no escapes and no
 * spaces around separators — what the directory answers for almost every object. normalizeDn takes it as it is
 * instead of decoding each value byte by byte: a 100,000-member group's DNs are normalised several times per
 * migration, and the parse made most of its CPU and garbage (issue 17).
 */
const PLAIN_DN = new RegExp(`^${PLAIN_RDN}(?:,${PLAIN_RDN})*$`);

/**
 * Canonical form for comparing DNs: types and values lower-cased, escapes re-done one way, spaces
 * around separators removed. AD compares names case-insensitively.
 */
export function normalizeDn(dn: string): string {
  if (PLAIN_DN.test(dn)) return dn.toLowerCase();
  return parseDn(dn)
    .map((rdn) =>
      rdn
        .map((ava) => ({ type: ava.type.toLowerCase(), value: ava.value.toLowerCase() }))
        .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
        .map((ava) => `${ava.type}=${escapeDnValue(ava.value)}`)
        .join('+'),
    )
    .join(',');
}

export function dnEquals(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
}

/** The DN without its first RDN ("" for a single-RDN DN). */
export function parentDn(dn: string): string {
  return formatDn(parseDn(dn).slice(1));
}

/** The first RDN's value (e.g. the CN). */
export function rdnValue(dn: string): string {
  const first = parseDn(dn)[0];
  if (!first || !first[0]) throw invalid(dn, 'empty DN');
  return first[0].value;
}

export function rdnType(dn: string): string {
  const first = parseDn(dn)[0];
  if (!first || !first[0]) throw invalid(dn, 'empty DN');
  return first[0].type;
}

/** The trailing DC= components: the naming context of the object's domain, e.g. DC=lab,DC=test. */
export function domainDnOf(dn: string): string {
  const rdns = parseDn(dn);
  let firstDc = rdns.length;
  for (let k = rdns.length - 1; k >= 0; k--) {
    const rdn = rdns[k] as Rdn;
    if (rdn.length === 1 && (rdn[0] as Ava).type.toLowerCase() === 'dc') firstDc = k;
    else break;
  }
  if (firstDc === rdns.length) throw invalid(dn, 'no DC= components, so the domain is unknown');
  return formatDn(rdns.slice(firstDc));
}

/** The DNS name of the object's domain, e.g. lab.test. */
export function domainNameOf(dn: string): string {
  return parseDn(domainDnOf(dn))
    .map((rdn) => (rdn[0] as Ava).value)
    .join('.');
}

/** True when `dn` equals `ancestor` or lies below it. */
export function isUnder(dn: string, ancestor: string): boolean {
  const a = normalizeDn(ancestor);
  const d = normalizeDn(dn);
  return d === a || d.endsWith(',' + a);
}
