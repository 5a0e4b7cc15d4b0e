// The simulated Microsoft 365 tenant(s) behind one HTTP(S) port: Entra token endpoint, Exchange
// Online admin API, a Graph subset, directory sync and the /_sim control plane.
import { generateKeyPairSync, createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { AadError, issueToken } from './auth/token-endpoint.js';
import {
  delay,
  type Fault,
  type GraphFault,
  type Latency,
  type Service,
  type Throttling,
  type CallStats,
  type LostWrite,
  type TokenFault,
} from './control/knobs.js';
import { handleControl } from './control/routes.js';
import { configOf, type TransportRuleBinding } from './exchange/config-state.js';
import { RecipientDirectory } from './exchange/directory.js';
import { handleInvokeCommand } from './exchange/invoke.js';
import { seedEntra, type EntraSeed } from './graph/entra-seed.js';
import { handleGraph } from './graph/routes.js';
import { header, HttpError, readBody, sendJson } from './http/io.js';
import { SimRuntime, type SyncCycleRequest } from './runtime.js';
import { setBehaviour } from './behaviour.js';
import {
  emptyState,
  type AppRegistration,
  type SimState,
  type TenantBehaviour,
  type TenantState,
} from './state.js';
import { SyncEngine, type SyncConfig, type SyncCycleResult, type SyncTriggerAck } from './sync/engine.js';
import type { SyncTiming } from './sync/timing.js';
import {
  createTenantState,
  registerApp,
  seedRecipients,
  type CreateTenantInput,
  type RegisterAppInput,
  type SeedRecipient,
} from './tenants.js';
import { generateServerTls } from './tls.js';

export interface CloudSimOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** HTTPS (default) with a generated CA; false = plain HTTP. */
  https?: boolean;
  /** Host name MSAL is told to use as authority (never resolved). */
  authorityHost?: string;
}

export class CloudSim {
  readonly runtime: SimRuntime;
  private readonly snapshots = new Map<string, SimState>();
  private readonly sync = new Map<string, SyncEngine>();
  private server: http.Server | https.Server | undefined;
  /** PEM of the CA that signed the server certificate ('' over plain HTTP). */
  caPem = '';
  url = '';
  readonly authorityHost: string;

  private constructor(options: CloudSimOptions) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = createHash('sha1')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url');
    this.runtime = new SimRuntime(emptyState(), privateKey, publicKey, keyId);
    this.runtime.triggerSync = (tenantId, req) => this.triggerSync(tenantId, req);
    this.authorityHost = options.authorityHost ?? 'login.sim.test';
  }

  static async start(options: CloudSimOptions = {}): Promise<CloudSim> {
    const sim = new CloudSim(options);
    const host = options.host ?? '127.0.0.1';
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void sim.handle(req, res);
    if (options.https === false) {
      sim.server = http.createServer(handler);
    } else {
      const tls = generateServerTls([host === '0.0.0.0' ? '127.0.0.1' : host]);
      sim.caPem = tls.caPem;
      sim.server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler);
    }
    sim.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      sim.server!.once('error', reject);
      sim.server!.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = sim.server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    sim.url = `${options.https === false ? 'http' : 'https'}://${urlHost}:${port}`;
    sim.runtime.baseUrl = sim.url;
    return sim;
  }

  async stop(): Promise<void> {
    for (const engine of this.sync.values()) {
      engine.stopSchedule();
      engine.cancel();
    }
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---- tenants and apps -------------------------------------------------------------------

  createTenant(input: CreateTenantInput): TenantState {
    const tenant = createTenantState(input);
    if (this.runtime.findTenant(tenant.id) || this.runtime.findTenant(tenant.initialDomain))
      throw new Error(`A tenant with id ${tenant.id} or name ${tenant.name} already exists.`);
    this.runtime.state.tenants[tenant.id] = tenant;
    return tenant;
  }

  tenant(idOrDomain: string): TenantState {
    const t = this.runtime.findTenant(idOrDomain);
    if (!t) throw new Error(`Unknown tenant "${idOrDomain}".`);
    return t;
  }

  registerApp(tenant: string, input: RegisterAppInput): AppRegistration {
    return registerApp(this.tenant(tenant), input);
  }

  /** Adds cloud-only recipients; all or nothing (a bad seed leaves the tenant as it was). */
  seedRecipients(tenant: string, seeds: SeedRecipient[]): void {
    const t = this.tenant(tenant);
    const before = structuredClone(t.recipients);
    const softBefore = structuredClone(t.softDeletedRecipients);
    try {
      seedRecipients(t, seeds);
    } catch (err) {
      t.recipients = before;
      t.softDeletedRecipients = softBefore;
      RecipientDirectory.forget(t);
      throw err;
    }
  }

  /** Adds Entra-only objects (licences, app roles, Conditional Access, role assignments, owners…); all or nothing. */
  seedEntra(tenant: string, seed: EntraSeed): void {
    seedEntra(this.tenant(tenant), seed);
  }

  /**
   * Whether transport rules keep the recipients they name as addresses (default) or as objects — the one thing about
   * them only a real tenant can tell (README, "Configuration references"). Set it before creating rules.
   */
  setTransportRuleBinding(tenant: string, binding: TransportRuleBinding): void {
    if (binding !== 'address' && binding !== 'object')
      throw new Error(`The transport rule binding must be "address" or "object", not "${String(binding)}".`);
    configOf(this.tenant(tenant)).transportRuleBinding = binding;
  }

  /** OpenID metadata to hand MSAL as `authorityMetadata` (JSON.stringify it). */
  authorityMetadata(tenant: string): Record<string, unknown> {
    const t = this.tenant(tenant);
    const authority = `https://${this.authorityHost}/${t.id}`;
    return {
      token_endpoint: `${this.url}/${t.id}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${this.url}/${t.id}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${authority}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.url}/oidc/userinfo`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  /** JWKS of the key that signs access tokens (for clients that want to check them). */
  jwks(): Record<string, unknown> {
    const jwk = this.runtime.publicKey.export({ format: 'jwk' });
    return {
      keys: [
        { kty: 'RSA', use: 'sig', kid: this.runtime.keyId, x5t: this.runtime.keyId, n: jwk.n, e: jwk.e },
      ],
    };
  }

  // ---- state ------------------------------------------------------------------------------

  /** A deep copy of everything (certificates are public; no secret is ever part of the state). */
  dump(): SimState {
    return structuredClone(this.runtime.state);
  }

  snapshot(): string {
    const id = randomUUID();
    this.snapshots.set(id, structuredClone(this.runtime.state));
    return id;
  }

  /** Puts a snapshot back; sync cycles still running and deletions on their way are dropped. */
  restore(id: string): void {
    const snap = this.snapshots.get(id);
    if (!snap) throw new Error(`Unknown snapshot "${id}".`);
    for (const engine of this.sync.values()) engine.cancel();
    this.runtime.hiddenFromGraph.clear();
    this.runtime.state = structuredClone(snap);
  }

  /** Forgets every tenant, knob, counter and sync configuration. */
  reset(): void {
    for (const engine of this.sync.values()) {
      engine.stopSchedule();
      engine.cancel();
    }
    this.runtime.hiddenFromGraph.clear();
    this.runtime.graphThrottles.clear();
    this.runtime.deltaSessions.clear();
    this.sync.clear();
    this.runtime.state = emptyState();
    this.runtime.latency = {};
    this.runtime.throttles.clear();
    this.runtime.faults.clear();
    this.runtime.tokenFaults.clear();
    this.runtime.lostWrites.clear();
    this.runtime.stats.clear();
  }

  // ---- knobs ------------------------------------------------------------------------------

  /** Changes some of a tenant's behaviour settings (README, "Tenant behaviour"); returns all of them. */
  setBehaviour(tenant: string, behaviour: Partial<TenantBehaviour>): TenantBehaviour {
    return { ...setBehaviour(this.tenant(tenant), behaviour) };
  }

  behaviour(tenant: string): TenantBehaviour {
    return { ...this.tenant(tenant).behaviour };
  }

  setLatency(service: Service, latency: Latency): void {
    this.runtime.latency[service] = latency;
  }

  /** The tenant's Exchange budget and concurrency cap, and (`graph`) its Graph budget (absent = unlimited). */
  setThrottling(tenant: string, settings: Throttling): void {
    const id = this.tenant(tenant).id;
    const { graph, ...exchange } = settings;
    this.runtime.throttleFor(id).configure(exchange);
    this.runtime.graphThrottleFor(id).configure({
      requestsPerWindow: graph?.requestsPerWindow ?? 0,
      windowSeconds: graph?.windowSeconds ?? 1,
      maxConcurrent: 0,
    });
  }

  injectFault(tenant: string, fault: Fault): void {
    const id = this.tenant(tenant).id;
    const list = this.runtime.faults.get(id) ?? [];
    list.push({ ...fault });
    this.runtime.faults.set(id, list);
  }

  /** Test-only: the next `count` calls of the cmdlet succeed but drop the parameter (see LostWrite). */
  injectLostWrite(tenant: string, lost: LostWrite): void {
    const id = this.tenant(tenant).id;
    const list = this.runtime.lostWrites.get(id) ?? [];
    list.push({ ...lost });
    this.runtime.lostWrites.set(id, list);
  }

  clearFaults(tenant: string): void {
    const id = this.tenant(tenant).id;
    this.runtime.faults.delete(id);
    this.runtime.lostWrites.delete(id);
    this.runtime.tokenFaults.delete(id);
    this.runtime.graphFaults.delete(id);
  }

  /** The next `count` Graph requests of `fault.route` for the tenant fail with the error given (see GraphFault). */
  injectGraphFault(tenant: string, fault: GraphFault): void {
    if (!/^(GET|POST|PATCH|PUT|DELETE) \/\S*$/.test(fault.route))
      throw new Error('A Graph fault route is "METHOD /path", with ids as {id}.');
    if (fault.status < 400 || fault.status > 599) throw new Error('A Graph fault status must be 4xx or 5xx.');
    const id = this.tenant(tenant).id;
    const list = this.runtime.graphFaults.get(id) ?? [];
    list.push({ ...fault });
    this.runtime.graphFaults.set(id, list);
  }

  /** The next `count` token requests for the tenant fail (after tenant lookup, before credential checks). */
  injectTokenFault(tenant: string, fault: TokenFault): void {
    if (fault.status !== 429 && fault.status < 500)
      throw new Error('A token fault status must be 429 or 5xx.');
    const id = this.tenant(tenant).id;
    const list = this.runtime.tokenFaults.get(id) ?? [];
    list.push({ ...fault });
    this.runtime.tokenFaults.set(id, list);
  }

  calls(tenant: string): CallStats {
    return structuredClone(this.runtime.statsFor(this.tenant(tenant).id));
  }

  resetCalls(tenant: string): void {
    this.runtime.stats.delete(this.tenant(tenant).id);
  }

  // ---- directory sync ---------------------------------------------------------------------

  configureSync(tenant: string, config: SyncConfig): void {
    const t = this.tenant(tenant);
    this.sync.get(t.id)?.stopSchedule();
    const engine = new SyncEngine(() => this.tenant(t.id), config, {
      hide: (objectId) => this.runtime.setHiddenFromGraph(t.id, objectId, true),
      show: (objectId) => this.runtime.setHiddenFromGraph(t.id, objectId, false),
    });
    this.sync.set(t.id, engine);
    engine.startSchedule();
  }

  syncStatus(tenant: string): Record<string, unknown> | undefined {
    return this.sync.get(this.tenant(tenant).id)?.status();
  }

  /**
   * Runs one cycle and waits until it is over — exported, and with an async timing every deletion of it applied in
   * Graph and Exchange — then returns its result. (What tests and seeding want; a real trigger is `triggerSync`.)
   */
  async runSync(tenant: string, request: SyncCycleRequest = {}): Promise<SyncCycleResult> {
    return this.syncEngine(tenant).runCycle(request);
  }

  /**
   * Triggers a cycle as Entra Connect's Start-ADSyncSyncCycle does: with an async timing it answers at once (the
   * cycle is accepted; SyncBusyError while one runs if `whenBusy` is 'refuse'); inline, it runs the cycle first.
   */
  async triggerSync(
    tenant: string,
    request: SyncCycleRequest = {},
  ): Promise<SyncCycleResult | SyncTriggerAck> {
    return this.syncEngine(tenant).trigger(request);
  }

  /** Waits until no sync cycle runs or is queued and no deletion is on its way. */
  async settleSync(tenant: string): Promise<void> {
    await this.syncEngine(tenant).settle();
  }

  /** Changes when sync changes reach the tenant (merged into the current timing). */
  setSyncTiming(tenant: string, timing: Partial<SyncTiming>): SyncTiming {
    return this.syncEngine(tenant).setTiming(timing);
  }

  /** Gives matching objects their own deletion delays (a straggler). */
  addSyncStraggler(tenant: string, rule: SyncTiming['stragglers'][number]): SyncTiming {
    return this.syncEngine(tenant).addStraggler(rule);
  }

  clearSyncStragglers(tenant: string): void {
    this.syncEngine(tenant).clearStragglers();
  }

  private syncEngine(tenant: string): SyncEngine {
    const t = this.tenant(tenant);
    const engine = this.sync.get(t.id);
    if (!engine) throw new Error(`Directory sync is not configured for tenant ${t.name}.`);
    return engine;
  }

  /** Tenants that have directory sync configured (for POST /_sim/sync/run without a tenant). */
  syncedTenants(): string[] {
    return [...this.sync.keys()];
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    try {
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] === '_sim') return await handleControl(this, req, res, parts.slice(1));
      if (
        parts[0] === 'adminapi' &&
        parts[1] === 'beta' &&
        parts.length === 4 &&
        parts[3] === 'InvokeCommand' &&
        req.method === 'POST'
      )
        return await handleInvokeCommand(this.runtime, req, res, decodeURIComponent(parts[2]!), url);
      if (parts[0] === 'v1.0' || parts[0] === 'beta') return await handleGraph(this.runtime, req, res, url);
      if (
        parts.length === 4 &&
        parts[1] === 'oauth2' &&
        parts[2] === 'v2.0' &&
        parts[3] === 'token' &&
        req.method === 'POST'
      )
        return await this.handleToken(req, res, decodeURIComponent(parts[0]!), url);
      if (
        parts.length === 4 &&
        parts[1] === 'v2.0' &&
        parts[2] === '.well-known' &&
        parts[3] === 'openid-configuration'
      )
        return sendJson(res, 200, this.authorityMetadata(decodeURIComponent(parts[0]!)));
      if (parts.length === 4 && parts[1] === 'discovery' && parts[3] === 'keys')
        return sendJson(res, 200, this.jwks());
      sendJson(res, 404, {
        error: { code: 'NotFound', message: `No such endpoint: ${req.method} ${url.pathname}` },
      });
    } catch (err) {
      if (err instanceof HttpError) return sendJson(res, err.status, err.body);
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'InternalServerError', message } });
      else res.destroy();
    }
  }

  private async handleToken(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    tenantSegment: string,
    url: URL,
  ): Promise<void> {
    await delay(this.runtime.latency.token);
    const form = new URLSearchParams(await readBody(req));
    const tenant = this.runtime.findTenant(tenantSegment);
    try {
      const fault = tenant ? this.runtime.takeTokenFault(tenant.id) : undefined;
      if (fault) {
        const throttled = fault.status === 429;
        const err = new AadError(
          fault.status,
          fault.error ?? (throttled ? 'invalid_request' : 'temporarily_unavailable'),
          fault.aadsts ?? (throttled ? 50196 : 90033),
          fault.message ??
            (throttled
              ? 'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.'
              : 'A transient error has occurred. Please try again.'),
        );
        const correlation =
          header(req, 'client-request-id') ?? url.searchParams.get('client-request-id') ?? undefined;
        sendJson(
          res,
          err.status,
          err.body(correlation),
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        );
        return;
      }
      const body = issueToken(
        { tenant, tenantSegment, form, tokenEndpointUrl: `${this.url}${url.pathname}` },
        { key: this.runtime.signingKey, keyId: this.runtime.keyId },
      );
      if (tenant) this.runtime.statsFor(tenant.id).tokens++;
      sendJson(res, 200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
    } catch (err) {
      if (!(err instanceof AadError)) throw err;
      const correlation =
        header(req, 'client-request-id') ?? url.searchParams.get('client-request-id') ?? undefined;
      sendJson(res, err.status, err.body(correlation));
    }
  }
}
