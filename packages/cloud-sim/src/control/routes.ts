// /_sim/... — the HTTP JSON control plane (same operations as the CloudSim methods).
// No authentication: the simulator binds to loopback and exists for tests and the demo.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudSim } from '../cloud-sim.js';
import { HttpError, readJson, sendJson } from '../http/io.js';
import type { GraphThrottling, Service } from './knobs.js';

function bad(message: string): HttpError {
  return new HttpError(400, { error: { code: 'BadRequest', message } });
}

function object(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** Runs a control operation, turning thrown input errors into 400s. */
function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw bad(err instanceof Error ? err.message : String(err));
  }
}

async function attemptAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw bad(err instanceof Error ? err.message : String(err));
  }
}

/** A cycle result (inline, or waited for) is 200; an accepted asynchronous cycle is 202. */
function answerSync(res: ServerResponse, outcome: unknown): void {
  const accepted = typeof outcome === 'object' && outcome !== null && 'acceptedAt' in outcome;
  sendJson(res, accepted ? 202 : 200, outcome);
}

function num(v: unknown, name: string, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw bad(`"${name}" must be a non-negative number.`);
  return v;
}

export async function handleControl(
  sim: CloudSim,
  req: IncomingMessage,
  res: ServerResponse,
  parts: string[],
): Promise<void> {
  const method = req.method ?? 'GET';
  const route = `${method} /${parts.map((p, i) => (parts[i - 1] === 'tenants' || parts[i - 1] === 'snapshots' ? ':id' : p)).join('/')}`;
  const id = parts[1] ? decodeURIComponent(parts[1]) : '';
  const tenant = () => attempt(() => sim.tenant(id));
  const ok = (body: unknown = { ok: true }) => sendJson(res, 200, body);

  switch (route) {
    case 'GET /health':
      return ok({ ok: true, url: sim.url });
    case 'GET /state':
      return ok(sim.dump());
    case 'POST /reset':
      sim.reset();
      return ok();
    case 'POST /snapshots':
      return ok({ id: sim.snapshot() });
    case 'POST /snapshots/:id/restore':
      attempt(() => sim.restore(id));
      return ok();
    case 'POST /tenants': {
      const body = object(await readJson(req));
      const t = attempt(() => sim.createTenant(body as never));
      return ok({
        id: t.id,
        name: t.name,
        initialDomain: t.initialDomain,
        routingDomain: t.routingDomain,
        cloudSyncJob: t.cloudSyncJob,
      });
    }
    case 'GET /tenants/:id':
      return ok(structuredClone(tenant()));
    case 'GET /tenants/:id/authority-metadata':
      return ok(attempt(() => sim.authorityMetadata(id)));
    case 'POST /tenants/:id/apps': {
      const body = object(await readJson(req));
      if (!Array.isArray(body['certificates'])) throw bad('"certificates" must be an array of PEM strings.');
      const app = attempt(() => sim.registerApp(id, body as never));
      return ok(app);
    }
    case 'POST /tenants/:id/recipients': {
      const body = object(await readJson(req));
      if (!Array.isArray(body['recipients'])) throw bad('"recipients" must be an array.');
      tenant();
      const before = new Set(Object.keys(tenant().recipients));
      attempt(() => sim.seedRecipients(id, body['recipients'] as never));
      const created = Object.values(tenant().recipients)
        .filter((r) => !before.has(r.Guid))
        .map((r) => ({
          Name: r.Name,
          Guid: r.Guid,
          ExternalDirectoryObjectId: r.ExternalDirectoryObjectId,
          PrimarySmtpAddress: r.PrimarySmtpAddress,
        }));
      return ok({ created });
    }
    case 'POST /tenants/:id/entra': {
      const body = object(await readJson(req));
      attempt(() => sim.seedEntra(id, body as never));
      return ok();
    }
    case 'PUT /tenants/:id/transport-rule-binding': {
      const body = object(await readJson(req));
      attempt(() => sim.setTransportRuleBinding(id, body['binding'] as never));
      return ok();
    }
    case 'GET /tenants/:id/behaviour':
      return ok(attempt(() => sim.behaviour(id)));
    case 'PUT /tenants/:id/behaviour': {
      const body = object(await readJson(req));
      return ok(attempt(() => sim.setBehaviour(id, body as never)));
    }
    case 'PUT /latency': {
      const body = object(await readJson(req));
      for (const [service, v] of Object.entries(body)) {
        if (!['token', 'exchange', 'graph'].includes(service))
          throw bad(`Unknown service "${service}" (token, exchange, graph).`);
        const l = object(v);
        sim.setLatency(service as Service, {
          fixedMs: num(l['fixedMs'], 'fixedMs', 0),
          jitterMs: num(l['jitterMs'], 'jitterMs', 0),
        });
      }
      return ok();
    }
    case 'PUT /tenants/:id/throttling': {
      const b = object(await readJson(req));
      let graph: GraphThrottling | undefined;
      if (b['graph'] !== undefined) {
        const g = object(b['graph']);
        graph = {
          requestsPerWindow: num(g['requestsPerWindow'], 'graph.requestsPerWindow', 0),
          windowSeconds: num(g['windowSeconds'], 'graph.windowSeconds', 1),
        };
      }
      attempt(() =>
        sim.setThrottling(id, {
          requestsPerWindow: num(b['requestsPerWindow'], 'requestsPerWindow', 0),
          windowSeconds: num(b['windowSeconds'], 'windowSeconds', 60),
          maxConcurrent: num(b['maxConcurrent'], 'maxConcurrent', 0),
          ...(graph ? { graph } : {}),
        }),
      );
      return ok();
    }
    case 'POST /tenants/:id/faults': {
      const b = object(await readJson(req));
      for (const k of ['cmdlet', 'errorId', 'exceptionType', 'message'] as const)
        if (typeof b[k] !== 'string') throw bad(`"${k}" must be a string.`);
      attempt(() =>
        sim.injectFault(id, {
          cmdlet: b['cmdlet'] as string,
          count: num(b['count'], 'count', 1),
          errorId: b['errorId'] as string,
          exceptionType: b['exceptionType'] as string,
          message: b['message'] as string,
          status: num(b['status'], 'status', 400),
          code: typeof b['code'] === 'string' ? b['code'] : undefined,
        }),
      );
      return ok();
    }
    case 'POST /tenants/:id/token-faults': {
      const b = object(await readJson(req));
      attempt(() =>
        sim.injectTokenFault(id, {
          count: num(b['count'], 'count', 1),
          status: num(b['status'], 'status', 429),
          retryAfterSeconds:
            b['retryAfterSeconds'] === undefined
              ? undefined
              : num(b['retryAfterSeconds'], 'retryAfterSeconds'),
          error: typeof b['error'] === 'string' ? b['error'] : undefined,
          aadsts: typeof b['aadsts'] === 'number' ? b['aadsts'] : undefined,
          message: typeof b['message'] === 'string' ? b['message'] : undefined,
        }),
      );
      return ok();
    }
    case 'DELETE /tenants/:id/faults':
      attempt(() => sim.clearFaults(id));
      return ok();
    case 'GET /tenants/:id/calls':
      return ok(attempt(() => sim.calls(id)));
    case 'DELETE /tenants/:id/calls':
      attempt(() => sim.resetCalls(id));
      return ok();
    case 'PUT /tenants/:id/sync': {
      const b = object(await readJson(req));
      attempt(() => sim.configureSync(id, b as never));
      return ok(sim.syncStatus(id));
    }
    case 'GET /tenants/:id/sync':
      return ok(attempt(() => sim.syncStatus(id)) ?? { configured: false });
    case 'POST /tenants/:id/sync/run': {
      const b = object(await readJson(req));
      return answerSync(res, await runSync(sim, id, b));
    }
    case 'PUT /tenants/:id/sync/timing': {
      const b = object(await readJson(req));
      return ok(attempt(() => sim.setSyncTiming(id, b)));
    }
    case 'POST /tenants/:id/sync/stragglers': {
      const b = object(await readJson(req));
      return ok(attempt(() => sim.addSyncStraggler(id, b as never)));
    }
    case 'DELETE /tenants/:id/sync/stragglers':
      attempt(() => sim.clearSyncStragglers(id));
      return ok();
    case 'POST /tenants/:id/sync/settle':
      await attemptAsync(() => sim.settleSync(id));
      return ok(sim.syncStatus(id));
    case 'POST /sync/run': {
      const b = object(await readJson(req));
      let target = typeof b['tenant'] === 'string' ? b['tenant'] : undefined;
      if (!target) {
        const synced = sim.syncedTenants();
        if (synced.length !== 1)
          throw new HttpError(409, {
            error: {
              code: 'Conflict',
              message: `Name the tenant: ${synced.length} tenants have sync configured.`,
            },
          });
        target = synced[0]!;
      }
      return answerSync(res, await runSync(sim, target, b));
    }
  }
  sendJson(res, 404, {
    error: { code: 'NotFound', message: `No control endpoint ${method} /_sim/${parts.join('/')}` },
  });
}

/** `{wait: true}` runs the cycle to its end (deletions included); otherwise it is triggered as a real trigger is. */
async function runSync(sim: CloudSim, tenant: string, body: Record<string, unknown>): Promise<unknown> {
  const request = { allowDeletions: body['allowDeletions'] === true };
  try {
    return body['wait'] === true
      ? await sim.runSync(tenant, request)
      : await sim.triggerSync(tenant, request);
  } catch (err) {
    throw new HttpError(409, {
      error: { code: 'Conflict', message: err instanceof Error ? err.message : String(err) },
    });
  }
}
