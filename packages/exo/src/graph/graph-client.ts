// Microsoft Graph, for what Exchange can't tell us: the Entra group behind a DL (and whether it is
// gone), its members, the Source-of-Authority switch (onPremisesSyncBehavior, beta), and starting
// a Cloud Sync job. Tokens come from the same MSAL app as Exchange's, for the Graph resource.
import {
  AuthenticationHandler,
  Client,
  GraphError,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import { trimSlash, type CloudEndpoints } from '../cloud.js';
import type { TokenSource } from '../auth/token-source.js';
import type { HttpClient } from '../http/client.js';
import { EntraReferences, type GraphQuery } from './entra-references.js';
import type { Random } from '../rate/backoff.js';
import { systemClock, type Clock } from '../rate/clock.js';
import type { RateBudget, RateBudgetOptions, RateBudgetStats } from '../rate/rate-budget.js';
import { rateBudgetFor } from '../rate/registry.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../rate/retry.js';
import {
  existingGroupIds,
  GroupDeletionWatch,
  type GroupDeltaReader,
  type GroupDeltaRound,
} from './group-deletions.js';
import { HttpsHandler } from './https-handler.js';
import { GraphRateHandler } from './rate-handler.js';

export interface GraphGroup {
  readonly id: string;
  readonly displayName: string;
  readonly mail: string | null;
  readonly mailNickname: string | null;
  readonly mailEnabled: boolean;
  readonly securityEnabled: boolean;
  readonly groupTypes: readonly string[];
  readonly proxyAddresses: readonly string[];
  /** true = synced from AD; false = was synced, no longer; null = never synced. */
  readonly onPremisesSyncEnabled: boolean | null;
  readonly onPremisesSecurityIdentifier: string | null;
  readonly onPremisesSamAccountName: string | null;
  readonly onPremisesLastSyncDateTime: string | null;
}

export interface GraphDirectoryObject {
  readonly id: string;
  /** e.g. #microsoft.graph.user, #microsoft.graph.group, #microsoft.graph.orgContact */
  readonly odataType: string;
  readonly displayName: string | null;
  readonly mail: string | null;
}

export class GraphRequestError extends Error {
  override readonly name = 'GraphRequestError';
  readonly code = 'GRAPH_REQUEST_FAILED';
  constructor(
    message: string,
    readonly status: number,
    /** Graph's own error code, e.g. Authorization_RequestDenied. */
    readonly graphCode: string | undefined,
    readonly requestId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface GraphClientOptions {
  readonly cloud: CloudEndpoints;
  readonly tokens: TokenSource;
  readonly http: HttpClient;
  /** The tenant id: with the Graph endpoint, it names the process-wide Graph budget this client draws from. */
  readonly tenantId: string;
  /** Calls per second: a budget to use, or options for the shared Graph budget of the tenant. */
  readonly rate?: RateBudget | RateBudgetOptions;
  /** Retries of 429 / 503 / 504 (Retry-After honoured, jittered), within a time budget. */
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: Clock;
  readonly random?: Random;
}

/** Requests, retries and throttles of one Graph client, and the tenant's shared Graph budget. */
export interface GraphClientStats {
  readonly requests: number;
  readonly retries: number;
  readonly throttles: number;
  readonly rate: RateBudgetStats;
}

const GROUP_SELECT = [
  'id',
  'displayName',
  'mail',
  'mailNickname',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
  'proxyAddresses',
  'onPremisesSyncEnabled',
  'onPremisesSecurityIdentifier',
  'onPremisesSamAccountName',
  'onPremisesLastSyncDateTime',
].join(',');

export class GraphClient implements GroupDeltaReader {
  private readonly client: Client;
  private readonly sender: HttpsHandler;
  /** What Entra holds by a group's object id: licences, app roles, Conditional Access, roles, memberOf, owners. */
  readonly entra: EntraReferences;
  private readonly pacing: GraphRateHandler;
  readonly rate: RateBudget;
  /**
   * The token source's last failure. Concurrent calls share one token request per resource (auth/token-source.ts),
   * so calls that failed together failed with this one error.
   */
  private tokenFailure: unknown;

  constructor(options: GraphClientOptions) {
    const { cloud, tokens } = options;
    // The SDK turns whatever the token provider throws into a GraphError of status -1 (its "no answer"), which would
    // read as a network blip: keep the token source's own error, so a refusal by Entra (an unknown app, a certificate
    // not registered) is judged as what it is (see `call`).
    const authProvider: AuthenticationProvider = {
      getAccessToken: () =>
        tokens.token(cloud.graphResource).catch((error: unknown) => {
          this.tokenFailure = error;
          throw error;
        }),
    };
    this.sender = new HttpsHandler(options.http);
    const baseUrl = trimSlash(cloud.graphEndpoint);
    this.rate = rateBudgetFor(
      { service: 'graph', endpoint: baseUrl, tenantId: options.tenantId },
      options.rate,
    );
    this.pacing = new GraphRateHandler({
      rate: this.rate,
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
    });
    this.client = Client.initWithMiddleware({
      baseUrl,
      defaultVersion: 'v1.0',
      // Pacing and retries first (no SDK RetryHandler: it would retry on top of ours), then the token, then our
      // HTTP layer.
      middleware: [this.pacing, new AuthenticationHandler(authProvider), this.sender],
      // The SDK attaches the token only to Graph hosts it knows, or to these.
      customHosts: new Set([new URL(baseUrl).hostname]),
    });
    this.entra = new EntraReferences({
      get: (path, query) =>
        this.call(() => this.request(path, query).get() as Promise<Record<string, unknown>>),
      all: (path, query) => this.allPages(this.request(path, query)),
    });
  }

  private request(path: string, query: GraphQuery = {}): ReturnType<Client['api']> {
    let request = this.client.api(path);
    if (query.select) request = request.select(query.select);
    if (query.filter) request = request.filter(query.filter);
    if (query.top) request = request.top(query.top);
    return request;
  }

  /** HTTP requests sent (retries included). */
  get requests(): number {
    return this.sender.requests;
  }

  stats(): GraphClientStats {
    return {
      requests: this.sender.requests,
      retries: this.pacing.retries,
      throttles: this.pacing.throttles,
      rate: this.rate.stats(),
    };
  }

  /** The group, or null when it doesn't exist (a deleted DL is gone at once: no recycle bin). */
  async getGroup(id: string): Promise<GraphGroup | null> {
    try {
      const raw = await this.call(() =>
        this.client
          .api(`/groups/${encodeURIComponent(id)}`)
          .select(GROUP_SELECT)
          .get(),
      );
      return toGraphGroup(raw);
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return null;
      throw error;
    }
  }

  async findGroupsByMail(mail: string): Promise<GraphGroup[]> {
    const filter = `mail eq ${odataString(mail)}`;
    const items = await this.allPages(this.client.api('/groups').filter(filter).select(GROUP_SELECT));
    return items.map(toGraphGroup);
  }

  /** Direct members, every page. */
  async getGroupMembers(id: string): Promise<GraphDirectoryObject[]> {
    const request = this.client
      .api(`/groups/${encodeURIComponent(id)}/members`)
      .select('id,displayName,mail')
      .top(999);
    const items = await this.allPages(request);
    return items.map((raw) => ({
      id: String(raw['id'] ?? ''),
      odataType: String(raw['@odata.type'] ?? ''),
      displayName: (raw['displayName'] as string | null | undefined) ?? null,
      mail: (raw['mail'] as string | null | undefined) ?? null,
    }));
  }

  /** Whether the group's source of authority is the cloud (beta API); null when the group doesn't exist. */
  async getOnPremisesSyncBehavior(id: string): Promise<{ isCloudManaged: boolean } | null> {
    try {
      const raw = await this.call(() =>
        this.client
          .api(`/groups/${encodeURIComponent(id)}/onPremisesSyncBehavior`)
          .version('beta')
          .get(),
      );
      return { isCloudManaged: (raw as { isCloudManaged?: unknown }).isCloudManaged === true };
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /** Switch the source of authority: true = managed in the cloud from now on, false = AD takes it back. */
  async setOnPremisesSyncBehavior(id: string, isCloudManaged: boolean): Promise<void> {
    await this.call(() =>
      this.client
        .api(`/groups/${encodeURIComponent(id)}/onPremisesSyncBehavior`)
        .version('beta')
        .patch({ isCloudManaged }),
    );
  }

  /**
   * Starts a delta round on groups, tracking only creations and deletions (`$select=id`): `latest` = "sync from now"
   * (no data, one call); `ids` (≤ 50) = those groups only. Every page is followed.
   */
  async startGroupDelta(options: {
    readonly ids?: readonly string[];
    readonly latest?: boolean;
  }): Promise<GroupDeltaRound> {
    let request = this.client.api('/groups/delta').select('id');
    if (options.ids !== undefined && options.ids.length > 0)
      request = request.filter(options.ids.map((id) => `id eq ${odataString(id)}`).join(' or '));
    if (options.latest) request = request.query({ $deltatoken: 'latest' });
    return this.deltaRound(await this.call(() => request.get()));
  }

  /** Continues a delta round from its deltaLink (every page followed). */
  async followGroupDelta(deltaLink: string): Promise<GroupDeltaRound> {
    return this.deltaRound(await this.call(() => this.client.api(deltaLink).get()));
  }

  /** Which of these group ids Graph still shows: one call per 50 ids. */
  existingGroupIds(ids: readonly string[]): Promise<Set<string>> {
    return existingGroupIds(this, ids);
  }

  /**
   * Watches groups expected to be deleted: one call per poll for all of them (see GroupDeletionWatch). Graph is the
   * first to lose a deleted group; check Exchange (existingRecipientIds) before taking its addresses.
   */
  watchGroupDeletions(ids: readonly string[]): Promise<GroupDeletionWatch> {
    return GroupDeletionWatch.start(this, ids);
  }

  /** Start an Entra Cloud Sync job (runs a provisioning cycle now instead of in up to 2 minutes). */
  async startSyncJob(servicePrincipalId: string, jobId: string): Promise<void> {
    await this.call(() =>
      this.client
        .api(
          `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/jobs/${encodeURIComponent(jobId)}/start`,
        )
        .post({}),
    );
  }

  private async deltaRound(first: unknown): Promise<GroupDeltaRound> {
    const present: string[] = [];
    const removed: Array<{ id: string; reason: string }> = [];
    let calls = 1;
    let page = first as { value?: unknown[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
    for (;;) {
      for (const item of page.value ?? []) {
        const raw = item as { id?: unknown; '@removed'?: { reason?: unknown } };
        if (typeof raw.id !== 'string') continue;
        if (raw['@removed'] !== undefined)
          removed.push({ id: raw.id, reason: String(raw['@removed'].reason ?? '') });
        else present.push(raw.id);
      }
      const next = page['@odata.nextLink'];
      if (next !== undefined) {
        page = (await this.call(() => this.client.api(next).get())) as typeof page;
        calls++;
        continue;
      }
      const deltaLink = page['@odata.deltaLink'];
      if (deltaLink === undefined)
        throw new GraphRequestError(
          'Microsoft Graph ended a delta round without a deltaLink',
          200,
          undefined,
          undefined,
        );
      return { present, removed, deltaLink, calls };
    }
  }

  private async allPages(request: ReturnType<Client['api']>): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let page = (await this.call(() => request.get())) as { value?: unknown[]; '@odata.nextLink'?: string };
    for (;;) {
      for (const v of page.value ?? []) items.push(v as Record<string, unknown>);
      const next = page['@odata.nextLink'];
      if (!next) return items;
      page = (await this.call(() => this.client.api(next).get())) as typeof page;
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.tokenFailureBehind(error) ?? toGraphRequestError(error);
    }
  }

  /** The token source's error when the SDK's status -1 GraphError is its wrapper (GraphErrorHandler.constructError names the error's class in `code`). */
  private tokenFailureBehind(error: unknown): unknown {
    const failure = this.tokenFailure;
    const wrapped =
      error instanceof GraphError &&
      error.statusCode === -1 &&
      failure instanceof Error &&
      error.code === failure.name &&
      error.message === failure.message;
    return wrapped ? failure : undefined;
  }
}

function toGraphRequestError(error: unknown): unknown {
  if (!(error instanceof GraphError)) return error;
  const status = error.statusCode;
  const hint =
    status === 401
      ? ' The Graph token was refused: check the app has Graph application permissions with admin consent.'
      : status === 403
        ? ' The app lacks a Graph permission for this call (e.g. Group.Read.All, Directory.Read.All, Policy.Read.All, Group-OnPremisesSyncBehavior.ReadWrite.All, Synchronization.ReadWrite.All).'
        : '';
  return new GraphRequestError(
    `Microsoft Graph answered ${status}${error.code ? ` ${error.code}` : ''}: ${error.message}${hint}`,
    status,
    error.code ?? undefined,
    error.requestId ?? undefined,
    { cause: error },
  );
}

/** OData string literal: single quotes doubled. */
function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function toGraphGroup(raw: Record<string, unknown>): GraphGroup {
  const s = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : null);
  const arr = (k: string) => (Array.isArray(raw[k]) ? (raw[k] as unknown[]).map(String) : []);
  const sync = raw['onPremisesSyncEnabled'];
  return {
    id: String(raw['id'] ?? ''),
    displayName: s('displayName') ?? '',
    mail: s('mail'),
    mailNickname: s('mailNickname'),
    mailEnabled: raw['mailEnabled'] === true,
    securityEnabled: raw['securityEnabled'] === true,
    groupTypes: arr('groupTypes'),
    proxyAddresses: arr('proxyAddresses'),
    onPremisesSyncEnabled: typeof sync === 'boolean' ? sync : null,
    onPremisesSecurityIdentifier: s('onPremisesSecurityIdentifier'),
    onPremisesSamAccountName: s('onPremisesSamAccountName'),
    onPremisesLastSyncDateTime: s('onPremisesLastSyncDateTime'),
  };
}
