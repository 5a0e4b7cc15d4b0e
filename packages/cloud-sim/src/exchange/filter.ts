// A small OPATH parser/evaluator for the -Filter forms Exchange documents:
//   Prop -eq 'v' | -ne | -like 'a*' | -notlike, combined with -and / -or / -not and parentheses.
// Values: 'single', "double" quoted, $true/$false/$null, or bare words. Inside a quoted value the
// only escape is the quote doubled ("Recipient filters", Additional OPATH syntax information); a
// backtick is an ordinary character there (it escapes only in PowerShell's own strings).
import { linkKey, type RecipientDirectory } from './directory.js';
import { cmdletErrors } from './errors.js';
import { isFilterable, notFilterable } from './filterable.js';
import {
  customAttributeNames,
  extensionCustomAttributeNames,
  proxyKey,
  type Recipient,
} from './recipient.js';

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
        else s += text[j++];
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
    if (!prop || !cmp || raw === undefined || !comparisons.includes(cmp))
      throw invalidFilter(filter, 'expected Property -op Value');
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
  return new RegExp(`^${escaped}$`, 'is');
}

/** Values of a filterable property; link properties compare by DistinguishedName as in Exchange. */
function propertyValues(
  dir: RecipientDirectory,
  r: Recipient,
  prop: string,
): (string | boolean | null)[] | undefined {
  const p = prop.toLowerCase();
  const dns = (guids: string[]) => guids.map((g) => dnOf(dir, g));
  // Computes only the property asked for: filters run over every recipient for every term.
  switch (p) {
    case 'members':
      return dns(r.Members);
    case 'memberofgroup':
      // Documented (filter-properties.md, MemberOfGroup): the group's DN; matches when any membership has it.
      return memberOf(dir, r);
    case 'managedby':
      return dns(r.ManagedBy);
    case 'moderatedby':
      return dns(r.ModeratedBy);
    case 'grantsendonbehalfto':
      return dns(r.GrantSendOnBehalfTo);
    case 'acceptmessagesonlyfromsendersormembers':
    case 'acceptmessagesonlyfrom':
    case 'acceptmessagesonlyfromdlmembers':
      return dns(r.AcceptMessagesOnlyFromSendersOrMembers);
    case 'rejectmessagesfromsendersormembers':
    case 'rejectmessagesfrom':
    case 'rejectmessagesfromdlmembers':
      return dns(r.RejectMessagesFromSendersOrMembers);
    case 'bypassmoderationfromsendersormembers':
    case 'bypassmoderationfromdlmembers':
      return dns(r.BypassModerationFromSendersOrMembers);
    case 'forwardingaddress':
      return r.ForwardingAddress ? [dnOf(dir, r.ForwardingAddress)] : [null];
    case 'primarysmtpaddress':
      // Documented quirk: PrimarySmtpAddress -eq matches any SMTP proxy address too.
      return r.EmailAddresses.filter((a) => /^smtp:/i.test(a)).map((a) => a.slice(5));
    case 'emailaddresses':
      return r.EmailAddresses.flatMap((a) => (/^smtp:/i.test(a) ? [a, a.slice(5)] : [a]));
    case 'externaldirectoryobjectid':
      return [r.ExternalDirectoryObjectId];
    case 'guid':
    case 'exchangeobjectid':
      return [r.Guid];
    case 'name':
      return [r.Name];
    case 'alias':
      return [r.Alias];
    case 'displayname':
      return [r.DisplayName];
    case 'isdirsynced':
      return [r.IsDirSynced];
    case 'recipienttype':
      return [r.RecipientType];
    case 'recipienttypedetails':
      return [r.RecipientTypeDetails];
    case 'hiddenfromaddresslistsenabled':
      return [r.HiddenFromAddressListsEnabled];
    case 'moderationenabled':
      return [r.ModerationEnabled];
    case 'legacyexchangedn':
      return [r.LegacyExchangeDN];
    case 'distinguishedname':
      return [dir.distinguishedName(r)];
    case 'windowsemailaddress':
      return [r.WindowsEmailAddress];
    case 'userprincipalname':
      return [r.UserPrincipalName];
    case 'externalemailaddress':
      return [r.ExternalEmailAddress, r.ExternalEmailAddress?.replace(/^smtp:/i, '') ?? null];
  }
  const custom = customAttributeNames.find((n) => n.toLowerCase() === p);
  if (custom) return [r.custom[custom] ?? null];
  const ext = extensionCustomAttributeNames.find((n) => n.toLowerCase() === p);
  if (ext) return r.extension[ext] ?? [];
  return undefined;
}

/** DNs of the groups `r` is a direct member of, from the directory's link index. */
function memberOf(dir: RecipientDirectory, r: Recipient): string[] {
  return dir.byKey(linkKey('Members', r.Guid)).map((group) => dir.distinguishedName(group));
}

function dnOf(dir: RecipientDirectory, guid: string): string {
  const r = dir.get(guid);
  return r ? dir.distinguishedName(r) : '';
}

export function compare(
  values: (string | boolean | null)[],
  cmp: string,
  expected: string | boolean | null,
): boolean {
  const eq = (v: string | boolean | null) =>
    typeof v === 'string' && typeof expected === 'string'
      ? v.toLowerCase() === expected.toLowerCase()
      : v === expected;
  switch (cmp) {
    case '-eq':
      return expected === null
        ? values.length === 0 || values.every((v) => v === null || v === '')
        : values.some(eq);
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
      // "EmailAddresses -like" sees the addresses with their prefix only: 'lila*' doesn't match
      // smtp:lila@…, 'smtp:lila*' does (filter-properties.md, EmailAddresses).
      const prefixedOnly =
        node.prop.toLowerCase() === 'emailaddresses' && (node.cmp === '-like' || node.cmp === '-notlike');
      const values = prefixedOnly ? [...r.EmailAddresses] : propertyValues(dir, r, node.prop);
      if (values === undefined) throw notFilterable(node.prop);
      return compare(values, node.cmp, node.value);
    }
  }
}

/**
 * Recipients that can possibly match, from the identity index, when the filter pins them down
 * (an -eq on an indexed property, or ORs/ANDs of such); undefined means "scan everything".
 * The full filter is still evaluated on each candidate.
 */
function candidates(dir: RecipientDirectory, node: Node): Map<string, Recipient> | undefined {
  switch (node.op) {
    case 'or': {
      const l = candidates(dir, node.left);
      const r = l && candidates(dir, node.right);
      if (!l || !r) return undefined;
      for (const [k, v] of r) l.set(k, v);
      return l;
    }
    case 'and':
      return candidates(dir, node.left) ?? candidates(dir, node.right);
    case 'not':
      return undefined;
    case 'cmp': {
      if (node.cmp !== '-eq' || typeof node.value !== 'string') return undefined;
      const v = node.value.toLowerCase();
      const links = linkCandidates(dir, node.prop.toLowerCase(), v);
      if (links !== undefined) return links;
      let key: string;
      switch (node.prop.toLowerCase()) {
        case 'emailaddresses':
          key = /^[a-z0-9]+:/i.test(v) ? `proxy:${proxyKey(v)}` : `proxy:smtp:${v}`;
          break;
        case 'primarysmtpaddress':
        case 'windowsemailaddress':
          key = `proxy:smtp:${v}`;
          break;
        case 'externaldirectoryobjectid':
        case 'guid':
        case 'exchangeobjectid':
          key = `id:${v}`;
          break;
        case 'distinguishedname':
          key = `dn:${v}`;
          break;
        case 'name':
        case 'alias':
          key = `name:${v}`;
          break;
        case 'displayname':
          key = `display:${v}`;
          break;
        default:
          return undefined;
      }
      return new Map(dir.byKey(key).map((r) => [r.Guid, r]));
    }
  }
}

/** The stored list each link property of a filter reads (Exchange's three restriction views share one list). */
const LINK_LISTS: Readonly<Record<string, string>> = {
  members: 'Members',
  managedby: 'ManagedBy',
  moderatedby: 'ModeratedBy',
  grantsendonbehalfto: 'GrantSendOnBehalfTo',
  acceptmessagesonlyfrom: 'AcceptMessagesOnlyFromSendersOrMembers',
  acceptmessagesonlyfromdlmembers: 'AcceptMessagesOnlyFromSendersOrMembers',
  acceptmessagesonlyfromsendersormembers: 'AcceptMessagesOnlyFromSendersOrMembers',
  rejectmessagesfrom: 'RejectMessagesFromSendersOrMembers',
  rejectmessagesfromdlmembers: 'RejectMessagesFromSendersOrMembers',
  rejectmessagesfromsendersormembers: 'RejectMessagesFromSendersOrMembers',
  bypassmoderationfromdlmembers: 'BypassModerationFromSendersOrMembers',
  bypassmoderationfromsendersormembers: 'BypassModerationFromSendersOrMembers',
  forwardingaddress: 'ForwardingAddress',
};

/**
 * "<link> -eq '<dn>'": the recipients holding the object of that DN in the link, from the directory's link index
 * (the DN compares as propertyValues gives it: the target's Exchange DN), and "MemberOfGroup -eq '<dn>'": that
 * group's members. Undefined when the property is not a link. Without this every such filter computed the DNs of
 * every link of every recipient (53 % of the CPU of a 1,000-group batch; bench/cloud-sim-filters.bench.ts prints before/after).
 */
function linkCandidates(
  dir: RecipientDirectory,
  prop: string,
  dn: string,
): Map<string, Recipient> | undefined {
  const targets = () => dir.byKey(`dn:${dn}`);
  if (prop === 'memberofgroup') {
    const found = new Map<string, Recipient>();
    for (const group of targets())
      for (const guid of group.Members) {
        const member = dir.get(guid);
        if (member) found.set(guid, member);
      }
    return found;
  }
  const list = LINK_LISTS[prop];
  if (list === undefined) return undefined;
  const found = new Map<string, Recipient>();
  for (const target of targets())
    for (const holder of dir.byKey(linkKey(list, target.Guid))) found.set(holder.Guid, holder);
  return found;
}

/** Refuses the filter if any property in it is not filterable on `cmdlet` (checked before any object is seen). */
function assertFilterable(node: Node, cmdlet: string): void {
  if (node.op === 'cmp') {
    if (!isFilterable(cmdlet, node.prop)) throw notFilterable(node.prop);
  } else if (node.op === 'not') assertFilterable(node.expr, cmdlet);
  else {
    assertFilterable(node.left, cmdlet);
    assertFilterable(node.right, cmdlet);
  }
}

/**
 * The recipients `cmdlet -Filter` selects from the live recipients (`pool`, every one of them) and
 * `options.unindexed` (objects outside the live index: the soft-deleted recipients of Get-Recipient
 * -IncludeSoftDeletedRecipients). The index narrows only the live ones; every unindexed object is evaluated.
 * `indexed: false` evaluates every object (the reference the index is tested against). Before, asking for soft-deleted
 * recipients too evaluated the filter on every live recipient: capture's address-holder query (up to 200 OR-ed
 * EmailAddresses terms) did that for every group, the largest CPU cost of the in-process simulator in a batch run.
 */
export function applyFilter(
  dir: RecipientDirectory,
  filter: string,
  cmdlet: string,
  pool: () => Recipient[],
  options: { readonly indexed?: boolean; readonly unindexed?: () => Recipient[] } = {},
): Recipient[] {
  const node = parseFilter(filter);
  assertFilterable(node, cmdlet);
  const narrowed = options.indexed === false ? undefined : candidates(dir, node);
  const unindexed = options.unindexed?.() ?? [];
  const source = narrowed ? [...narrowed.values(), ...unindexed] : [...pool(), ...unindexed];
  return source.filter((r) => evaluateFilter(dir, node, r));
}
