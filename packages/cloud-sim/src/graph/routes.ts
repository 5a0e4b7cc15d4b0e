// The Microsoft Graph subset: groups by id / by filter, members, onPremisesSyncBehavior (Group
// source-of-authority conversion) and starting the Cloud Sync job.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkAccessToken } from '../auth/access-token.js';
import { decodeJwt } from '../auth/jwt.js';
import { delay, type GraphFault } from '../control/knobs.js';
import { RecipientDirectory } from '../exchange/directory.js';
import { isGroup, type Recipient } from '../exchange/recipient.js';
import { header, readJson, sendJson } from '../http/io.js';
import type { SimRuntime } from '../runtime.js';
import type { TenantState } from '../state.js';
import { groupLicenceProperties, handleEntraRequest } from './entra-routes.js';
import { handleGroupDelta } from './delta.js';
import { groupFilter, UnsupportedFilter } from './filter.js';
import { GraphError } from './graph-error.js';
import { graphDirectoryObject, graphGroup } from './render.js';
import { visibleGroups } from './visibility.js';
import { cloudReferences, setCloudManaged, settleSoaReleases } from './source-of-authority.js';

const graphRoles = {
  readGroups: [
    'Group.Read.All',
    'Group.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
    'GroupMember.Read.All',
    'GroupMember.ReadWrite.All',
  ],
  // There is no Group-OnPremisesSyncBehavior.Read.All: GET and PATCH both need ReadWrite.All
  // (permission includes of onpremisessyncbehavior-get / -update).
  syncBehavior: ['Group-OnPremisesSyncBehavior.ReadWrite.All'],
  synchronization: ['Synchronization.ReadWrite.All'],
};

const defaultPageSize = 100;
const maxPageSize = 999;

function sendGraphError(req: IncomingMessage, res: ServerResponse, err: GraphError): void {
  sendJson(
    res,
    err.status,
    {
      error: {
        code: err.code,
        message: err.message,
        innerError: {
          ...err.innerError,
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': randomUUID(),
          'client-request-id': header(req, 'client-request-id') ?? randomUUID(),
        },
      },
    },
    err.headers,
  );
}

const notFound = (id: string) =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
const denied = () =>
  new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

function selectProps(obj: Record<string, unknown>, select: string | null): Record<string, unknown> {
  if (!select) return obj;
  const wanted = select.split(',').map((s) => s.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(obj).filter(
      ([k]) => k === '@odata.type' || k === 'id' || wanted.includes(k.toLowerCase()),
    ),
  );
}

/**
 * Graph shows distribution groups, mail-enabled security groups and Microsoft 365 groups; not dynamic DLs, and not
 * an object whose deletion has reached Graph but not Exchange yet (asynchronous sync).
 */
function findGroup(rt: SimRuntime, tenant: TenantState, id: string): Recipient {
  const r = Object.values(tenant.recipients).find(
    (x) => x.ExternalDirectoryObjectId.toLowerCase() === id.toLowerCase(),
  );
  if (!r || !isGroup(r) || rt.isHiddenFromGraph(tenant.id, r.ExternalDirectoryObjectId)) throw notFound(id);
  return r;
}

function pageOf<T>(items: T[], url: URL, base: string): { page: T[]; nextLink?: string } {
  const top = Math.min(
    Number(url.searchParams.get('$top') ?? defaultPageSize) || defaultPageSize,
    maxPageSize,
  );
  const offset =
    Number(
      url.searchParams.get('$skiptoken')
        ? Buffer.from(url.searchParams.get('$skiptoken')!, 'base64url').toString()
        : 0,
    ) || 0;
  const page = items.slice(offset, offset + top);
  if (offset + top >= items.length) return { page };
  const next = new URL(base + url.pathname);
  for (const [k, v] of url.searchParams) if (k !== '$skiptoken') next.searchParams.set(k, v);
  next.searchParams.set('$top', String(top));
  next.searchParams.set('$skiptoken', Buffer.from(String(offset + top)).toString('base64url'));
  return { page, nextLink: next.toString() };
}

export async function handleGraph(
  rt: SimRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  await delay(rt.latency.graph);
  try {
    await route(rt, req, res, url);
  } catch (err) {
    if (err instanceof GraphError) return sendGraphError(req, res, err);
    throw err;
  }
}

async function route(rt: SimRuntime, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const version = parts[0]!;
  const authorization = header(req, 'authorization');
  // Graph has no tenant in the URL: the token's tid picks the tenant.
  const tid = decodeJwt(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '')?.payload['tid'];
  const tenant = typeof tid === 'string' ? rt.findTenant(tid) : undefined;
  const check = checkAccessToken(authorization, rt.publicKey, {
    audiences: tenant ? [tenant.resources.graph, '00000003-0000-0000-c000-000000000000'] : [],
    tenantId: tenant?.id ?? '',
  });
  if (!tenant || !check.ok)
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      check.ok ? 'Access token validation failure.' : `Access token validation failure. ${check.message}`,
    );
  const roles = check.claims.roles ?? [];
  const need = (allowed: string[]) => {
    if (!allowed.some((r) => roles.includes(r))) throw denied();
  };
  const stats = rt.statsFor(tenant.id);
  const refusal = rt.graphThrottleFor(tenant.id).admit();
  if (refusal?.kind === 'budget') {
    stats.graphThrottled++;
    // The throttling answer as Microsoft Graph throttling guidance (concepts/throttling.md) shows it.
    throw new GraphError(
      429,
      'TooManyRequests',
      'Please retry again later.',
      { 'retry-after': String(refusal.retryAfterSeconds) },
      { code: '429', status: '429', message: 'Please retry after' },
    );
  }
  settleSoaReleases(tenant);
  const base = rt.baseUrl;
  const context = (suffix: string) => `${base}/${version}/$metadata#${suffix}`;
  const method = req.method ?? 'GET';
  const rest = parts.slice(1);
  const isId = (p: string, i: number) =>
    i % 2 === 1 && rest[0] !== 'servicePrincipals' && p !== 'delta' && p !== 'microsoft.graph.delta';
  const key = `${method} /${rest.map((p, i) => (isId(p, i) ? '{id}' : p)).join('/')}`;
  stats.graph[key] = (stats.graph[key] ?? 0) + 1;
  const fault = rt.takeGraphFault(tenant.id, key);
  if (fault !== undefined) throw injected(fault);

  if (
    rest[0] === 'groups' &&
    rest.length === 2 &&
    (rest[1] === 'delta' || rest[1] === 'microsoft.graph.delta') &&
    method === 'GET'
  ) {
    need(graphRoles.readGroups);
    return handleGroupDelta(rt, req, res, tenant, url, version);
  }
  if (rest[0] === 'groups' && rest.length === 1 && method === 'GET') {
    need(graphRoles.readGroups);
    let predicate: (r: Recipient) => boolean = () => true;
    const filter = url.searchParams.get('$filter');
    if (filter) {
      try {
        predicate = groupFilter(filter);
      } catch (err) {
        if (err instanceof UnsupportedFilter)
          throw new GraphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
        throw err;
      }
    }
    const groups = visibleGroups(rt, tenant)
      .filter((r) => predicate(r))
      .sort((a, b) => a.DisplayName.localeCompare(b.DisplayName));
    const { page, nextLink } = pageOf(groups, url, base);
    return sendJson(res, 200, {
      '@odata.context': context('groups'),
      ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
      value: page.map((g) => selectProps(graphGroup(g), url.searchParams.get('$select'))),
    });
  }
  if (rest[0] === 'groups' && rest.length === 2 && method === 'GET') {
    need(graphRoles.readGroups);
    const g = findGroup(rt, tenant, rest[1]!);
    return sendJson(res, 200, {
      '@odata.context': context('groups/$entity'),
      ...selectProps(
        {
          ...graphGroup(g),
          ...selectedOnly(groupLicenceProperties(tenant, g.ExternalDirectoryObjectId), url),
        },
        url.searchParams.get('$select'),
      ),
    });
  }
  if (rest[0] === 'groups' && rest.length === 3 && rest[2] === 'members' && method === 'GET') {
    need(graphRoles.readGroups);
    const g = findGroup(rt, tenant, rest[1]!);
    const dir = RecipientDirectory.of(tenant);
    const members = g.Members.map((m) => dir.get(m))
      .filter(
        (m): m is Recipient =>
          m !== undefined && !rt.isHiddenFromGraph(tenant.id, m.ExternalDirectoryObjectId),
      )
      .map(graphDirectoryObject)
      .filter((m): m is Record<string, unknown> => m !== undefined);
    const { page, nextLink } = pageOf(members, url, base);
    return sendJson(res, 200, {
      '@odata.context': context('directoryObjects'),
      ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
      value: page.map((m) => selectProps(m, url.searchParams.get('$select'))),
    });
  }
  if (rest[0] === 'groups' && rest.length === 3 && rest[2] === 'onPremisesSyncBehavior') {
    const g = findGroup(rt, tenant, rest[1]!);
    need(graphRoles.syncBehavior);
    const entity = () => ({
      '@odata.context': context(`groups('${g.ExternalDirectoryObjectId}')/onPremisesSyncBehavior/$entity`),
      '@odata.type': '#microsoft.graph.onPremisesSyncBehavior',
      id: g.ExternalDirectoryObjectId,
      isCloudManaged: g.dir.isCloudManaged,
    });
    if (method === 'GET') return sendJson(res, 200, entity());
    if (method === 'PATCH') {
      const body = (await readJson(req)) as Record<string, unknown> | undefined;
      // The documented request carries "@odata.type": "#microsoft.graph.onPremisesSyncBehavior".
      const typeOk =
        body?.['@odata.type'] === undefined ||
        body['@odata.type'] === '#microsoft.graph.onPremisesSyncBehavior';
      if (
        !body ||
        typeof body['isCloudManaged'] !== 'boolean' ||
        !typeOk ||
        Object.keys(body).some((k) => k !== 'isCloudManaged' && k !== '@odata.type')
      )
        throw new GraphError(
          400,
          'Request_BadRequest',
          'The request body must be {"isCloudManaged": true|false} (optionally with "@odata.type": "#microsoft.graph.onPremisesSyncBehavior").',
        );
      if (!g.dir.sourceAnchor)
        throw new GraphError(
          400,
          'Request_BadRequest',
          `Group '${g.ExternalDirectoryObjectId}' is not synchronized from on-premises; its source of authority is already the cloud.`,
        );
      const cloudManaged = body['isCloudManaged'] as boolean;
      if (!cloudManaged && g.dir.isCloudManaged) {
        const references = cloudReferences(tenant, g);
        if (references.length > 0)
          throw new GraphError(
            400,
            'Request_BadRequest',
            `Group '${g.ExternalDirectoryObjectId}' has cloud references (cloud-only members: ${references.map((r) => r.Name).join(', ')}); remove them before handing the group back to on-premises.`,
          );
      }
      setCloudManaged(tenant, g, cloudManaged);
      // "If successful, this method returns a 200 OK response code and an updated
      // onPremisesSyncBehavior object in the response body" (onpremisessyncbehavior-update).
      return sendJson(res, 200, entity());
    }
  }
  if (rest[0] === 'directory' && rest[1] === 'deletedItems' && method === 'GET') {
    need(graphRoles.readGroups);
    // Distribution groups are hard-deleted and this simulator deletes every object for good:
    // the deleted-items container is always empty.
    if (rest.length >= 4) throw notFound(rest[3]!);
    return sendJson(res, 200, { '@odata.context': context('directoryObjects'), value: [] });
  }
  if (
    rest[0] === 'servicePrincipals' &&
    rest.length >= 5 &&
    rest[2] === 'synchronization' &&
    rest[3] === 'jobs'
  ) {
    need(graphRoles.synchronization);
    const job = tenant.cloudSyncJob;
    if (rest[1] !== job.servicePrincipalId || rest[4] !== job.jobId) throw notFound(rest[4]!);
    if (rest.length === 6 && rest[5] === 'start' && method === 'POST') {
      try {
        await rt.triggerSync(tenant.id, {});
      } catch (err) {
        // The sim's connector is busy (async timing, whenBusy 'refuse'): the job cannot start now.
        throw new GraphError(409, 'Request_BadRequest', err instanceof Error ? err.message : String(err));
      }
      res.writeHead(204).end();
      return;
    }
  }
  const entra = handleEntraRequest({
    tenant,
    method,
    rest,
    url,
    need,
    fail: (status, code, message) => new GraphError(status, code, message),
    notFound,
    page: (items) => pageOf(items, url, base),
    select: (obj) => selectProps(obj, url.searchParams.get('$select')),
    context,
  });
  if (entra) return sendJson(res, 200, entra);
  throw new GraphError(400, 'Request_BadRequest', `Unsupported request: ${method} ${url.pathname}`);
}

/** Properties Graph returns "only on $select": absent unless the request names them. */
function selectedOnly(props: Record<string, unknown>, url: URL): Record<string, unknown> {
  const wanted = (url.searchParams.get('$select') ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  return Object.fromEntries(Object.entries(props).filter(([k]) => wanted.includes(k.toLowerCase())));
}

/** An injected fault (CloudSim.injectGraphFault) as Graph answers it. */
function injected(fault: GraphFault): GraphError {
  const code =
    fault.code ??
    (fault.status === 429
      ? 'TooManyRequests'
      : fault.status === 503
        ? 'serviceNotAvailable'
        : fault.status >= 500
          ? 'generalException'
          : fault.status === 403
            ? 'Authorization_RequestDenied'
            : 'BadRequest');
  return new GraphError(
    fault.status,
    code,
    fault.message ?? 'The injected fault.',
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
  );
}
