// The OData $filter forms used to look groups up: clauses joined by "and", each one of
//   <prop> eq '<v>' | <prop> eq true/false/null | proxyAddresses/any(x:x eq '<v>')
//   | startswith(<prop>,'<v>') | NOT groupTypes/any(c:c eq 'Unified')
import type { Recipient } from '../exchange/recipient.js';
import { graphGroup } from './render.js';

export class UnsupportedFilter extends Error {}

function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && filter.slice(i, i + 5).toLowerCase() === ' and ') {
      parts.push(filter.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(filter.slice(start));
  return parts.map((p) => p.trim());
}

function literal(raw: string): unknown {
  const t = raw.trim();
  if (t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  throw new UnsupportedFilter(`Unsupported literal ${t}`);
}

function clause(text: string): (g: Record<string, unknown>) => boolean {
  let m = /^(not\s+)?(\w+)\/any\((\w+):\s*\3\s+eq\s+('(?:[^']|'')*')\)$/i.exec(text);
  if (m) {
    const negate = Boolean(m[1]);
    const prop = m[2]!;
    const value = String(literal(m[4]!)).toLowerCase();
    return (g) => {
      const list = g[prop];
      const hit = Array.isArray(list) && list.some((v) => String(v).toLowerCase() === value);
      return negate ? !hit : hit;
    };
  }
  m = /^startswith\((\w+),\s*('(?:[^']|'')*')\)$/i.exec(text);
  if (m) {
    const prop = m[1]!;
    const value = String(literal(m[2]!)).toLowerCase();
    return (g) => typeof g[prop] === 'string' && (g[prop] as string).toLowerCase().startsWith(value);
  }
  m = /^(\w+)\s+(eq|ne)\s+(.+)$/i.exec(text);
  if (m) {
    const prop = m[1]!;
    const ne = m[2]!.toLowerCase() === 'ne';
    const value = literal(m[3]!);
    return (g) => {
      const v = g[prop];
      const eq =
        typeof v === 'string' && typeof value === 'string'
          ? v.toLowerCase() === value.toLowerCase()
          : v === value;
      return ne ? !eq : eq;
    };
  }
  throw new UnsupportedFilter(text);
}

export function groupFilter(filter: string): (r: Recipient) => boolean {
  const clauses = splitAnd(filter).map(clause);
  return (r) => {
    const g = graphGroup(r);
    return clauses.every((c) => c(g));
  };
}
