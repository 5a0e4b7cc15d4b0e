// GET /groups/delta — change tracking on groups, as "group: delta" (microsoft-graph-docs-contrib
// api-reference/v1.0/api/group-delta.md) and "Use delta query to track changes in Microsoft Graph data"
// (concepts/delta-query-overview.md, concepts/delta-query-groups.md) describe it:
//   - a round starts without a token (every group that exists now, paged with @odata.nextLink, then an
//     @odata.deltaLink), or with $deltatoken=latest (no data, just a deltaLink: "sync from now");
//   - a deltaLink answers the changes since it was issued: new and changed groups in full (the selected properties),
//     deleted ones as {id, "@removed": {"reason": "deleted"}} (synced groups are hard-deleted, never restorable);
//   - $select limits what is tracked (a change to a property not selected does not show); `members` (or no $select)
//     adds members@delta (all members first, then the added ones and the removed ones with @removed);
//   - $filter only as `id eq '…' or id eq '…'`, at most 50 ids; $top/$orderby/$expand are not supported;
//   - query parameters are given once, in the first request; the tokens carry them;
//   - an unknown or expired token answers 410 Gone with a Location to restart from (synchronization reset).
// Sim choices: a page holds at most 100 objects; Prefer: return=minimal is ignored (full objects, the documented
// default); tokens live in memory, the 256 most recent per simulator.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecipientDirectory } from '../exchange/directory.js';
import type { Recipient } from '../exchange/recipient.js';
import { sendJson } from '../http/io.js';
import type { SimRuntime } from '../runtime.js';
import type { TenantState } from '../state.js';
import { GraphError } from './graph-error.js';
import { graphDirectoryObject, graphGroup } from './render.js';
import { visibleGroups } from './visibility.js';

const PAGE_SIZE = 100;
const MAX_FILTER_IDS = 50;
const MAX_TOKENS = 256;

export interface DeltaQuery {
  /** Selected properties (id always); null = all. */
  readonly select: readonly string[] | null;
  readonly trackMembers: boolean;
  /** Lower-case ids from $filter; null = every group. */
  readonly ids: readonly string[] | null;
}

export interface Known {
  readonly stamp: string;
  /** member id → @odata.type */
  readonly members?: ReadonlyMap<string, string>;
}

export type Snapshot = ReadonlyMap<string, Known>;

/** What a token stands for: a deltaLink (the state to diff against) or a nextLink (the rest of a page run). */
export type DeltaSession =
  | {
      readonly kind: 'delta';
      readonly tenantId: string;
      readonly query: DeltaQuery;
      readonly known: Snapshot;
    }
  | {
      readonly kind: 'page';
      readonly tenantId: string;
      readonly query: DeltaQuery;
      readonly items: readonly Record<string, unknown>[];
      readonly final: Snapshot;
    };

export async function handleGroupDelta(
  rt: SimRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: TenantState,
  url: URL,
  version: string,
): Promise<void> {
  const param = (name: string) => {
    for (const [k, v] of url.searchParams) if (k.toLowerCase() === name) return v;
    return undefined;
  };
  const deltaUrl = `${rt.baseUrl}/${version}/groups/delta`;
  const context = `${rt.baseUrl}/${version}/$metadata#groups`;
  const respond = (items: readonly Record<string, unknown>[], final: Snapshot, query: DeltaQuery) => {
    if (items.length > PAGE_SIZE) {
      const token = remember(rt, {
        kind: 'page',
        tenantId: tenant.id,
        query,
        items: items.slice(PAGE_SIZE),
        final,
      });
      return sendJson(res, 200, {
        '@odata.context': context,
        '@odata.nextLink': `${deltaUrl}?$skiptoken=${token}`,
        value: items.slice(0, PAGE_SIZE),
      });
    }
    const token = remember(rt, { kind: 'delta', tenantId: tenant.id, query, known: final });
    return sendJson(res, 200, {
      '@odata.context': context,
      '@odata.deltaLink': `${deltaUrl}?$deltatoken=${token}`,
      value: items,
    });
  };

  const skipToken = param('$skiptoken');
  const deltaToken = param('$deltatoken');
  if (skipToken !== undefined) {
    const session = recall(rt, tenant, skipToken, deltaUrl);
    if (session.kind !== 'page') throw reset(deltaUrl);
    return respond(session.items, session.final, session.query);
  }
  if (deltaToken !== undefined && deltaToken.toLowerCase() !== 'latest') {
    const session = recall(rt, tenant, deltaToken, deltaUrl);
    if (session.kind !== 'delta') throw reset(deltaUrl);
    const groups = tracked(rt, tenant, session.query);
    const current = snapshot(tenant, groups, session.query);
    return respond(changes(tenant, groups, session.known, current, session.query), current, session.query);
  }
  if (param('$top') !== undefined || param('$orderby') !== undefined || param('$expand') !== undefined)
    throw new GraphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
  const query = parseQuery(param('$select'), param('$filter'));
  const groups = tracked(rt, tenant, query);
  const current = snapshot(tenant, groups, query);
  if (deltaToken !== undefined) return respond([], current, query); // $deltatoken=latest: sync from now
  return respond(
    groups.map((g) => representation(tenant, g, query, undefined)),
    current,
    query,
  );
}

function parseQuery(select: string | undefined, filter: string | undefined): DeltaQuery {
  let props: string[] | null = null;
  let trackMembers = true;
  if (select !== undefined) {
    const wanted = select
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    trackMembers = wanted.some((w) => w.toLowerCase() === 'members');
    props = wanted.filter((w) => w.toLowerCase() !== 'members');
  }
  let ids: string[] | null = null;
  if (filter !== undefined) {
    ids = filter.split(/\s+or\s+/i).map((clause) => {
      const m = /^\s*\(?\s*id\s+eq\s+'([^']+)'\s*\)?\s*$/i.exec(clause);
      if (!m) throw new GraphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
      return m[1]!.toLowerCase();
    });
    if (ids.length > MAX_FILTER_IDS)
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `A delta query can track at most ${MAX_FILTER_IDS} objects by id.`,
      );
  }
  return { select: props, trackMembers, ids };
}

function tracked(rt: SimRuntime, tenant: TenantState, query: DeltaQuery): Recipient[] {
  const groups = visibleGroups(rt, tenant);
  if (query.ids === null) return groups;
  const wanted = new Set(query.ids);
  return groups.filter((g) => wanted.has(g.ExternalDirectoryObjectId.toLowerCase()));
}

function properties(g: Recipient, query: DeltaQuery): Record<string, unknown> {
  const all = graphGroup(g);
  if (query.select === null) return all;
  const wanted = query.select.map((s) => s.toLowerCase());
  return Object.fromEntries(
    Object.entries(all).filter(([k]) => k === 'id' || wanted.includes(k.toLowerCase())),
  );
}

function membersOf(tenant: TenantState, g: Recipient): Map<string, string> {
  const dir = RecipientDirectory.of(tenant);
  const out = new Map<string, string>();
  for (const guid of g.Members) {
    const m = dir.get(guid);
    const obj = m ? graphDirectoryObject(m) : undefined;
    if (obj) out.set(String(obj['id']), String(obj['@odata.type']));
  }
  return out;
}

function snapshot(tenant: TenantState, groups: Recipient[], query: DeltaQuery): Snapshot {
  const out = new Map<string, Known>();
  for (const g of groups) {
    out.set(g.ExternalDirectoryObjectId.toLowerCase(), {
      stamp: JSON.stringify(properties(g, query)),
      ...(query.trackMembers ? { members: membersOf(tenant, g) } : {}),
    });
  }
  return out;
}

/** A group as a delta answer shows it; `before` = what the token knew (undefined: all members are news). */
function representation(
  tenant: TenantState,
  g: Recipient,
  query: DeltaQuery,
  before: Known | undefined,
): Record<string, unknown> {
  const out = properties(g, query);
  if (!query.trackMembers) return out;
  const now = membersOf(tenant, g);
  const delta: Record<string, unknown>[] = [];
  for (const [id, type] of now) if (!before?.members?.has(id)) delta.push({ '@odata.type': type, id });
  for (const [id, type] of before?.members ?? [])
    if (!now.has(id)) delta.push({ '@odata.type': type, id, '@removed': { reason: 'deleted' } });
  if (delta.length > 0) out['members@delta'] = delta;
  return out;
}

function changes(
  tenant: TenantState,
  groups: Recipient[],
  known: Snapshot,
  current: Snapshot,
  query: DeltaQuery,
): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const g of groups) {
    const id = g.ExternalDirectoryObjectId.toLowerCase();
    const before = known.get(id);
    const now = current.get(id)!;
    if (before !== undefined && before.stamp === now.stamp && sameMembers(before, now)) continue;
    items.push(representation(tenant, g, query, before));
  }
  // Synced groups leave the directory for good (no recycle bin for them): "deleted", not "changed".
  for (const id of known.keys()) if (!current.has(id)) items.push({ id, '@removed': { reason: 'deleted' } });
  return items;
}

function sameMembers(a: Known, b: Known): boolean {
  if (a.members === undefined || b.members === undefined) return true;
  if (a.members.size !== b.members.size) return false;
  for (const id of a.members.keys()) if (!b.members.has(id)) return false;
  return true;
}

function remember(rt: SimRuntime, session: DeltaSession): string {
  const token = randomBytes(18).toString('base64url');
  rt.deltaSessions.set(token, session);
  while (rt.deltaSessions.size > MAX_TOKENS) {
    const oldest = rt.deltaSessions.keys().next().value as string;
    rt.deltaSessions.delete(oldest);
  }
  return token;
}

function recall(rt: SimRuntime, tenant: TenantState, token: string, deltaUrl: string): DeltaSession {
  const session = rt.deltaSessions.get(token);
  if (session === undefined || session.tenantId !== tenant.id) throw reset(deltaUrl);
  return session;
}

/** Synchronization reset: the state behind the token is gone; start a new round at Location. */
function reset(deltaUrl: string): GraphError {
  return new GraphError(
    410,
    'syncStateNotFound',
    'The delta token is not valid or has expired; restart change tracking with a new delta query.',
    { location: deltaUrl },
  );
}
