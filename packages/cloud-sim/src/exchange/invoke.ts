// POST /adminapi/beta/{tenant}/InvokeCommand — the Exchange Online admin API gateway.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkAccessToken } from '../auth/access-token.js';
import { concurrencyRefusal, delay } from '../control/knobs.js';
import { header, HttpError, readJson, sendJson, sendText } from '../http/io.js';
import type { SimRuntime } from '../runtime.js';
import { exchangeDirectoryRoles, type ExchangeManagementRole, type TenantState } from '../state.js';
import type { CmdletContext, LazyOutput } from './cmdlet.js';
import { cmdletRegistry } from './cmdlets/index.js';
import { CmdletError, cmdletErrorBody, cmdletErrors } from './errors.js';
import { RecipientDirectory } from './directory.js';
import { bindParameters } from './params.js';
import { settleSoaReleases } from '../graph/source-of-authority.js';
import type { OutputObject } from './render.js';

/** The largest page the gateway returns (the module caps odata.maxpagesize at 1000). */
export const maxPageSize = 1000;

const rolesForWrite = new Set<string>([
  exchangeDirectoryRoles['Exchange Administrator'],
  exchangeDirectoryRoles['Exchange Recipient Administrator'],
  exchangeDirectoryRoles['Global Administrator'],
]);
const rolesForRead = new Set<string>([...rolesForWrite, exchangeDirectoryRoles['Global Reader']]);
/**
 * -BypassSecurityGroupManagerCheck "requires … the Organization Management role group or the
 * Security Group Creation and Membership role" (Set-DistributionGroup.md). Exchange Administrator and
 * Global Administrator hold Organization Management; Exchange Recipient Administrator (Recipient
 * Management) does not.
 */
const rolesWithManagerBypass = new Set<string>([
  exchangeDirectoryRoles['Exchange Administrator'],
  exchangeDirectoryRoles['Global Administrator'],
]);

function gatewayError(status: number, code: string, message: string, detail?: string): HttpError {
  return new HttpError(status, {
    error: {
      code,
      message,
      ...(detail ? { details: [{ code: 'Client', target: '', message: detail }] } : {}),
    },
  });
}

function hasManagementRole(tenant: TenantState, appId: string, role: ExchangeManagementRole): boolean {
  return tenant.apps[appId]?.exchangeRoles?.includes(role) ?? false;
}

/** Validates X-AnchorMailbox when present: its tenant part must name this tenant. */
function checkAnchor(anchor: string, tenant: TenantState): boolean {
  const m = /^(APP|UPN|SMTP|MBX|OID):(.+)$/i.exec(anchor);
  if (!m) return false;
  const value = m[2]!;
  const at = value.lastIndexOf('@');
  if (at < 0) return false;
  const domainPart = value.slice(at + 1).toLowerCase();
  return (
    domainPart === tenant.id.toLowerCase() ||
    tenant.acceptedDomains.some((d) => d.DomainName.toLowerCase() === domainPart)
  );
}

interface PageToken {
  cmdlet: string;
  offset: number;
}

function decodePageToken(token: string): PageToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
    if (typeof t.cmdlet === 'string' && Number.isInteger(t.offset) && t.offset >= 0) return t;
  } catch {
    // fall through
  }
  throw gatewayError(400, 'BadRequest', 'The $skiptoken is not valid.');
}

function pageSizeFrom(prefer: string | undefined): number {
  const m = /odata\.maxpagesize=(\d+)/i.exec(prefer ?? '');
  const n = m ? Number(m[1]) : maxPageSize;
  return Math.min(Math.max(n, 1), maxPageSize);
}

function select(objects: OutputObject[], selectParam: string | null): OutputObject[] {
  if (!selectParam) return objects;
  const wanted = selectParam
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return objects.map((o) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => wanted.includes(k.toLowerCase()))),
  );
}

export async function handleInvokeCommand(
  rt: SimRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  tenantSegment: string,
  url: URL,
): Promise<void> {
  const tenant = rt.findTenant(tenantSegment);
  const check = checkAccessToken(header(req, 'authorization'), rt.publicKey, {
    audiences: tenant ? [tenant.resources.exchange] : [],
    tenantId: tenant?.id ?? '',
    anyRole: ['Exchange.ManageAsApp'],
  });
  if (!tenant || !check.ok) {
    const message = !tenant
      ? `The tenant '${tenantSegment}' could not be found.`
      : check.ok
        ? ''
        : check.message;
    sendJson(
      res,
      401,
      { error: { code: 'Unauthorized', message } },
      {
        'www-authenticate': `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"`,
      },
    );
    return;
  }
  const wids = check.claims.wids ?? [];
  // Session RBAC: directory roles from the token, plus Exchange role groups holding the service principal.
  const roleGroups = tenant.apps[check.claims.appid]?.exchangeRoleGroups ?? [];
  const canWrite =
    wids.some((w) => rolesForWrite.has(w)) ||
    roleGroups.some((g) => g !== 'View-Only Organization Management');
  const canRead = canWrite || wids.some((w) => rolesForRead.has(w)) || roleGroups.length > 0;
  const app = tenant.apps[check.claims.appid];
  const canBypassManagerCheck =
    wids.some((w) => rolesWithManagerBypass.has(w)) ||
    roleGroups.includes('Organization Management') ||
    (app?.exchangeRoles ?? []).includes('Security Group Creation and Membership');
  if (!canRead) {
    throw gatewayError(
      403,
      'Forbidden',
      'Error executing request.',
      `|Microsoft.Exchange.Management.PSDirectInvoke.UnauthorizedAccessException|The role assigned to application ${check.claims.appid} isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.`,
    );
  }
  const stats = rt.statsFor(tenant.id);
  const anchor = header(req, 'x-anchormailbox');
  if (anchor === undefined) stats.withoutAnchorMailbox++;
  else if (!checkAnchor(anchor, tenant))
    throw gatewayError(
      400,
      'ErrorIncorrectRoutingHint',
      `The x-anchormailbox header value '${anchor}' is not a valid routing hint for this tenant.`,
    );

  const gate = rt.throttleFor(tenant.id);
  const refusal = gate.admit();
  if (refusal?.kind === 'concurrency') {
    stats.throttled++;
    sendText(res, 429, concurrencyRefusal);
    return;
  }
  if (refusal?.kind === 'budget') {
    stats.throttled++;
    sendJson(
      res,
      429,
      {
        error: {
          code: 'TooManyRequests',
          message: `Too many requests. The tenant's request budget is used up; retry after ${refusal.retryAfterSeconds} seconds.`,
        },
      },
      { 'retry-after': String(refusal.retryAfterSeconds) },
    );
    return;
  }
  gate.inFlight++;
  try {
    // Injected latency is server time: the request counts as in flight meanwhile.
    await delay(rt.latency.exchange);
    await runCmdlet(rt, req, res, tenant, tenantSegment, url, {
      canWrite,
      canBypassManagerCheck,
      appId: check.claims.appid,
    });
  } finally {
    gate.inFlight--;
  }
}

async function runCmdlet(
  rt: SimRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: TenantState,
  tenantSegment: string,
  url: URL,
  session: { canWrite: boolean; canBypassManagerCheck: boolean; appId: string },
): Promise<void> {
  const body = (await readJson(req)) as
    { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } } | undefined;
  const input = body?.CmdletInput;
  if (!input || typeof input.CmdletName !== 'string')
    throw gatewayError(
      400,
      'BadRequest',
      'The request body must be {"CmdletInput":{"CmdletName":"…","Parameters":{…}}}.',
    );
  const parameters = (input.Parameters ?? {}) as Record<string, unknown>;
  if (typeof parameters !== 'object' || Array.isArray(parameters) || parameters === null)
    throw gatewayError(400, 'BadRequest', 'CmdletInput.Parameters must be an object.');
  const requested = input.CmdletName;
  const stats = rt.statsFor(tenant.id);
  settleSoaReleases(tenant);
  const ctx: CmdletContext = { tenant, dir: RecipientDirectory.of(tenant), warnings: [], cmdlet: requested };
  const requestId = header(req, 'client-request-id') ?? randomUUID();
  try {
    const def = cmdletRegistry.get(requested.toLowerCase());
    // RBAC: cmdlets outside the caller's roles do not exist in its session.
    if (!def || (!def.readOnly && !session.canWrite)) throw cmdletErrors.commandNotFound(requested);
    if (def.role && !hasManagementRole(tenant, session.appId, def.role))
      throw cmdletErrors.commandNotFound(requested);
    ctx.cmdlet = def.name;
    stats.cmdlets[def.name] = (stats.cmdlets[def.name] ?? 0) + 1;
    const fault = rt.takeFault(tenant.id, def.name);
    if (fault) {
      const code =
        fault.code ??
        (fault.status === 404
          ? 'NotFound'
          : fault.status === 429
            ? 'TooManyRequests'
            : fault.status >= 500
              ? 'InternalServerError'
              : 'BadRequest');
      throw new CmdletError(fault.errorId, fault.exceptionType, fault.message, fault.status, code);
    }
    const lost = rt.takeLostWrite(tenant.id, def.name, parameters);
    if (lost !== undefined) delete parameters[lost]; // test-only: the call succeeds without this value
    // RBAC is per parameter too: a parameter outside the session's roles doesn't exist for it.
    if (!session.canBypassManagerCheck) {
      const bypass = Object.keys(parameters).find(
        (k) => k.toLowerCase() === 'bypasssecuritygroupmanagercheck',
      );
      if (bypass) throw cmdletErrors.unknownParameter(bypass);
    }
    const bound = bindParameters(def.params, parameters);
    for (const m of def.mandatory ?? []) if (!bound.has(m)) throw cmdletErrors.missingParameter(def.name, m);
    const output = def.run(ctx, bound) ?? [];
    if (ctx.serverTimeMs) await sleep(ctx.serverTimeMs);
    if (ctx.cutOff) {
      sendJson(
        res,
        504,
        {
          error: {
            code: 'GatewayTimeout',
            message: `The operation exceeded the ${tenant.behaviour.restTimeoutSeconds}-second limit of REST-backed cmdlets and was stopped. Part of it may have been done.`,
          },
        },
        { 'request-id': requestId },
      );
      return;
    }
    const results: unknown[] = Array.isArray(output) ? output : (output as LazyOutput<unknown>).items;
    const render = Array.isArray(output)
      ? (o: unknown) => o as OutputObject
      : (output as LazyOutput<unknown>).render;

    const skiptoken = url.searchParams.get('$skiptoken');
    const offset = skiptoken ? decodePageToken(skiptoken) : { cmdlet: def.name, offset: 0 };
    if (offset.cmdlet !== def.name)
      throw gatewayError(400, 'BadRequest', 'The $skiptoken belongs to a different command.');
    const pageSize = pageSizeFrom(header(req, 'prefer'));
    const page = results.slice(offset.offset, offset.offset + pageSize);
    const next = offset.offset + pageSize < results.length;
    const base = `${rt.baseUrl}/adminapi/beta/${tenantSegment}`;
    const nextUrl = new URL(`${base}/InvokeCommand`);
    if (url.searchParams.get('$select'))
      nextUrl.searchParams.set('$select', url.searchParams.get('$select')!);
    nextUrl.searchParams.set(
      '$skiptoken',
      Buffer.from(JSON.stringify({ cmdlet: def.name, offset: offset.offset + pageSize })).toString(
        'base64url',
      ),
    );
    sendJson(
      res,
      200,
      {
        '@odata.context': `${base}/$metadata#Collection(Exchange.GenericHashTable)`,
        ...(next ? { '@odata.nextLink': nextUrl.toString() } : {}),
        value: select(page.map(render), url.searchParams.get('$select')),
        ...(ctx.warnings.length > 0 ? { '@adminapi.warnings': ctx.warnings } : {}),
      },
      { 'request-id': requestId },
    );
  } catch (err) {
    if (ctx.serverTimeMs) await sleep(ctx.serverTimeMs);
    if (err instanceof CmdletError) {
      sendJson(res, err.status, cmdletErrorBody(err), {
        'x-exceptiontype': err.exceptionType.split('.').pop()!,
        'request-id': requestId,
      });
      return;
    }
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
