// A small OPATH parser/evaluator for the -Filter forms Exchange documents:
//   Prop -eq 'v' | -ne | -like 'a*' | -notlike, combined with -and / -or / -not and parentheses.
// Values: 'single', "double" quoted, $true/$false/$null, or bare words.
import type { RecipientDirectory } from './directory.js';
import { cmdletErrors } from './errors.js';
import { customAttributeNames, extensionCustomAttributeNames, linkProperties, type Recipient } from './recipient.js';

type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; expr: Node }
  | { op: 'cmp'; prop: string; cmp: string; value: string | boolean | null };

const comparisons = ['-eq', '-ne', '-like', '-notlike', '-gt', '-lt', '-ge', '-le'];

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length) {
        if (text[j] === c && text[j + 1] === c) {
          s += c;
          j += 2;
        } else if (text[j] === c) break;
        else if (text[j] === '`' && j + 1 < text.length) {
          s += text[j + 1];
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length) throw invalidFilter(text, 'unterminated string');
      tokens.push(`\u0000${s}`);
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()]/.test(text[j]!)) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

function invalidFilter(filter: string, why: string) {
  return cmdletErrors.invalidArgument('Filter', `Invalid filter syntax "${filter}": ${why}.`);
}

export function parseFilter(filter: string): Node {
  const tokens = tokenize(filter);
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();
  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === '-or') {
      pos++;
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseUnary();
    while (peek() === '-and') {
      pos++;
      left = { op: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (peek() === '-not') {
      pos++;
      return { op: 'not', expr: parseUnary() };
    }
    if (peek() === '(') {
      pos++;
      const inner = parseOr();
      if (peek() !== ')') throw invalidFilter(filter, 'missing )');
      pos++;
      return inner;
    }
    const prop = tokens[pos++];
    const cmp = tokens[pos++]?.toLowerCase();
    const raw = tokens[pos++];
    if (!prop || !cmp || raw === undefined || !comparisons.includes(cmp)) throw invalidFilter(filter, 'expected Property -op Value');
    let value: string | boolean | null;
    if (raw.startsWith('\u0000')) value = raw.slice(1);
    else if (raw.toLowerCase() === '$true') value = true;
    else if (raw.toLowerCase() === '$false') value = false;
    else if (raw.toLowerCase() === '$null') value = null;
    else value = raw;
    return { op: 'cmp', prop, cmp, value };
  };
  const node = parseOr();
  if (pos !== tokens.length) throw invalidFilter(filter, `unexpected "${tokens[pos]}"`);
  return node;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Values of a filterable property; link properties compare by DistinguishedName as in Exchange. */
function propertyValues(dir: RecipientDirectory, r: Recipient, prop: string): (string | boolean | null)[] | undefined {
  const p = prop.toLowerCase();
  const link = [...linkProperties, 'Members'].find((l) => l.toLowerCase() === p);
  if (link) return (r[link as keyof Recipient] as string[]).map((g) => (dir.get(g) ? dir.distinguishedName(dir.get(g)!) : ''));
  const alias: Record<string, (string | boolean | null)[]> = {
    acceptmessagesonlyfrom: r.AcceptMessagesOnlyFromSendersOrMembers.map((g) => dnOf(dir, g)),
    acceptmessagesonlyfromdlmembers: r.AcceptMessagesOnlyFromSendersOrMembers.map((g) => dnOf(dir, g)),
    rejectmessagesfrom: r.RejectMessagesFromSendersOrMembers.map((g) => dnOf(dir, g)),
    rejectmessagesfromdlmembers: r.RejectMessagesFromSendersOrMembers.map((g) => dnOf(dir, g)),
    bypassmoderationfromdlmembers: r.BypassModerationFromSendersOrMembers.map((g) => dnOf(dir, g)),
    forwardingaddress: r.ForwardingAddress ? [dnOf(dir, r.ForwardingAddress)] : [null],
    // Documented quirk: PrimarySmtpAddress -eq matches any SMTP proxy address too.
    primarysmtpaddress: r.EmailAddresses.filter((a) => /^smtp:/i.test(a)).map((a) => a.slice(5)),
    emailaddresses: r.EmailAddresses.flatMap((a) => (/^smtp:/i.test(a) ? [a, a.slice(5)] : [a])),
    externaldirectoryobjectid: [r.ExternalDirectoryObjectId],
    guid: [r.Guid],
    exchangeobjectid: [r.Guid],
    name: [r.Name],
    alias: [r.Alias],
    displayname: [r.DisplayName],
    isdirsynced: [r.IsDirSynced],
    recipienttype: [r.RecipientType],
    recipienttypedetails: [r.RecipientTypeDetails],
    hiddenfromaddresslistsenabled: [r.HiddenFromAddressListsEnabled],
    legacyexchangedn: [r.LegacyExchangeDN],
    distinguishedname: [dir.distinguishedName(r)],
    windowsemailaddress: [r.WindowsEmailAddress],
    userprincipalname: [r.UserPrincipalName],
    externalemailaddress: [r.ExternalEmailAddress, r.ExternalEmailAddress?.replace(/^smtp:/i, '') ?? null],
    moderationenabled: [r.ModerationEnabled],
  };
  if (p in alias) return alias[p];
  const custom = customAttributeNames.find((n) => n.toLowerCase() === p);
  if (custom) return [r.custom[custom] ?? null];
  const ext = extensionCustomAttributeNames.find((n) => n.toLowerCase() === p);
  if (ext) return r.extension[ext] ?? [];
  return undefined;
}

function dnOf(dir: RecipientDirectory, guid: string): string {
  const r = dir.get(guid);
  return r ? dir.distinguishedName(r) : '';
}

function compare(values: (string | boolean | null)[], cmp: string, expected: string | boolean | null): boolean {
  const eq = (v: string | boolean | null) =>
    typeof v === 'string' && typeof expected === 'string' ? v.toLowerCase() === expected.toLowerCase() : v === expected;
  switch (cmp) {
    case '-eq':
      return expected === null ? values.length === 0 || values.every((v) => v === null || v === '') : values.some(eq);
    case '-ne':
      return expected === null ? values.some((v) => v !== null && v !== '') : !values.some(eq);
    case '-like': {
      const re = likeToRegExp(String(expected));
      return values.some((v) => typeof v === 'string' && re.test(v));
    }
    case '-notlike': {
      const re = likeToRegExp(String(expected));
      return !values.some((v) => typeof v === 'string' && re.test(v));
    }
    default: {
      const s = String(expected);
      return values.some((v) => {
        if (typeof v !== 'string') return false;
        const c = v.localeCompare(s, undefined, { sensitivity: 'accent' });
        return cmp === '-gt' ? c > 0 : cmp === '-lt' ? c < 0 : cmp === '-ge' ? c >= 0 : c <= 0;
      });
    }
  }
}

export function evaluateFilter(dir: RecipientDirectory, node: Node, r: Recipient): boolean {
  switch (node.op) {
    case 'and':
      return evaluateFilter(dir, node.left, r) && evaluateFilter(dir, node.right, r);
    case 'or':
      return evaluateFilter(dir, node.left, r) || evaluateFilter(dir, node.right, r);
    case 'not':
      return !evaluateFilter(dir, node.expr, r);
    case 'cmp': {
      const values = propertyValues(dir, r, node.prop);
      if (values === undefined)
        throw cmdletErrors.invalidArgument(
          'Filter',
          `Cannot bind parameter 'Filter' to the target. Exception setting "Filter": ""${node.prop}" is not a recognized filterable property."`,
        );
      return compare(values, node.cmp, node.value);
    }
  }
}

export function filterPredicate(dir: RecipientDirectory, filter: string): (r: Recipient) => boolean {
  const node = parseFilter(filter);
  return (r) => evaluateFilter(dir, node, r);
}
