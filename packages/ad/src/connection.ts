// The LDAP transport: options and TLS, lazy connect + bind, routing each operation to its server (DC of the
// object's domain, GC, default DC), paged searches and ranged retrieval everywhere, and a per-connection
// operation counter. The per-server client pool is pool.ts; reading range windows is ranged-values.ts.
// Everything above this file speaks AdEntry, never ldapts.
import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import {
  Attribute,
  Change,
  Client,
  type Control,
  type Filter,
  ModifyDNRequest,
  StatusCodeParser,
} from 'ldapts';
import { domainDnOf, normalizeDn, parseDn, formatDn } from './dn.js';
import { appendAll, type AdEntry } from './entry.js';
import { AdError, translateError } from './errors.js';
import { present } from './filter.js';
import { ServerPool } from './pool.js';
import { addRangedWindows, entryFromRaw, rangeWindow } from './ranged-values.js';
import type { AdOperationCounts, AttributeChange } from './types.js';

export interface AdConnectionOptions {
  /** `ldaps://dc:636` (default scheme) or `ldap://dc:389` together with `startTls: true`. */
  url: string;
  startTls?: boolean;
  /** Global catalog (`ldaps://gc:3269` or `ldap://gc:3268` + startTls) for forest-wide reads. */
  gcUrl?: string;
  /** Domain controllers of other domains: domain naming context (`DC=child,DC=corp,DC=com`) → URL. Writes go there. */
  domainControllers?: Record<string, string>;
  caFile?: string;
  caPem?: string | Buffer;
  /** Certificate verification; on unless explicitly false (then a warning is emitted). */
  rejectUnauthorized?: boolean;
  /** Verify the certificate against this name instead of the URL's host (dialling a DC by IP whose certificate names it). */
  tlsServerName?: string;
  /** UPN (`admin@corp.com`), down-level (`CORP\admin`) or a DN. */
  bindDn: string;
  password: string;
  /** Per-operation timeout (default 30 s). */
  timeoutMs?: number;
  /** TCP/TLS connect timeout (default 10 s). */
  connectTimeoutMs?: number;
  /** Parallel operations per server (default 4). */
  maxConcurrency?: number;
  /** Entries per page of a paged search (default 1000, AD's MaxPageSize). */
  pageSize?: number;
  /** Values per `;range=` window (default 1500, AD's MaxValRange). */
  rangeSize?: number;
  /** Receives warnings (e.g. certificate verification disabled). Default: console.warn. */
  onWarning?: (message: string) => void;
}

export interface SearchRequest {
  filter?: Filter;
  scope?: 'base' | 'one' | 'sub';
  attributes: string[];
  /** Attributes to request window by window with `;range=` (multi-valued links). */
  ranged?: readonly string[];
  /** Attributes whose values are binary (objectGUID, objectSid, nTSecurityDescriptor, …). */
  binary?: readonly string[];
  controls?: Control[];
  /** Read from the global catalog instead of a domain controller (falls back to the DC without a GC). */
  gc?: boolean;
  pageSize?: number;
}

const BINARY_DEFAULT = [
  'objectGUID',
  'objectSid',
  'nTSecurityDescriptor',
  'msExchMasterAccountSid',
  'schemaIDGUID',
  'sIDHistory',
];

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.includes('://') ? url : `ldaps://${url}`);
  } catch {
    throw new AdError(
      'AD_INVALID_OPTIONS',
      `${JSON.stringify(url)} is not an LDAP URL (expected ldaps://host:636 or ldap://host:389).`,
    );
  }
  if (parsed.protocol !== 'ldaps:' && parsed.protocol !== 'ldap:') {
    throw new AdError(
      'AD_INVALID_OPTIONS',
      `${url}: only ldaps:// and ldap:// (with startTls) are supported.`,
    );
  }
  return parsed;
}

export class AdConnection {
  readonly counts: AdOperationCounts = {
    binds: 0,
    searches: 0,
    rangedReads: 0,
    extraPages: 0,
    modifies: 0,
    adds: 0,
    deletes: 0,
    modifyDns: 0,
    reconnects: 0,
  };
  readonly maxConcurrency: number;
  readonly pageSize: number;
  readonly rangeSize: number;
  private readonly tls: ConnectionOptions;
  private readonly servers = new Map<string, ServerPool>();
  private readonly dc: ServerPool;
  private readonly gc: ServerPool | undefined;
  private readonly domainServers = new Map<string, ServerPool>();
  /** The naming contexts of `domainControllers`, as configured. */
  readonly domainNamingContexts: readonly string[];
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly bindDn: string;
  // Kept private and never logged or put in an error message.
  readonly #password: string;
  private rootDsePromise: Promise<AdEntry> | undefined;

  constructor(options: AdConnectionOptions) {
    if (!options.bindDn?.trim())
      throw new AdError('AD_INVALID_OPTIONS', 'bindDn is required (UPN, DOMAIN\\user or DN).');
    // An empty password makes a simple bind anonymous (RFC 4513 §5.1.2): refuse it instead of silently reading as nobody.
    if (!options.password)
      throw new AdError(
        'AD_INVALID_OPTIONS',
        'password is required; an empty password would bind anonymously.',
      );
    this.bindDn = options.bindDn.trim();
    this.#password = options.password;
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 4);
    this.pageSize = Math.max(1, options.pageSize ?? 1000);
    this.rangeSize = Math.max(1, options.rangeSize ?? 1500);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const warn = options.onWarning ?? ((m: string) => console.warn(m));
    let ca: Buffer[] | undefined;
    if (options.caPem) ca = [Buffer.from(options.caPem)];
    else if (options.caFile) {
      try {
        ca = [readFileSync(options.caFile)];
      } catch (error) {
        throw new AdError(
          'AD_INVALID_OPTIONS',
          `Cannot read the CA file ${options.caFile}: ${(error as Error).message}`,
        );
      }
    }
    const rejectUnauthorized = options.rejectUnauthorized !== false;
    if (!rejectUnauthorized)
      warn(
        'AD: TLS certificate verification is DISABLED (rejectUnauthorized: false); the connection can be intercepted.',
      );
    const name = options.tlsServerName;
    this.tls = {
      rejectUnauthorized,
      ...(ca ? { ca } : {}),
      ...(name
        ? {
            servername: name,
            checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(name, cert),
          }
        : {}),
    };
    const startTls = options.startTls === true;
    const check = (url: string) => {
      const parsed = parseUrl(url);
      if (parsed.protocol === 'ldap:' && !startTls) {
        throw new AdError(
          'AD_INVALID_OPTIONS',
          `${url} is plain LDAP: use ldaps:// or set startTls: true, so the password is never sent in clear text.`,
        );
      }
      return parsed.protocol === 'ldap:';
    };
    const server = (url: string) => {
      const existing = this.servers.get(url);
      if (existing) return existing;
      const startTlsHere = check(url);
      const s = new ServerPool(url, {
        maxConcurrency: this.maxConcurrency,
        openClient: () => this.openClient(url, startTlsHere),
        onReconnect: () => this.counts.reconnects++,
      });
      this.servers.set(url, s);
      return s;
    };
    this.dc = server(options.url.includes('://') ? options.url : `ldaps://${options.url}`);
    this.gc = options.gcUrl ? server(options.gcUrl) : undefined;
    for (const [domainDn, url] of Object.entries(options.domainControllers ?? {}))
      this.domainServers.set(normalizeDn(domainDn), server(url));
    this.domainNamingContexts = Object.keys(options.domainControllers ?? {});
  }

  get url(): string {
    return this.dc.url;
  }

  /** Create, connect (StartTLS if asked) and bind a new client. */
  private async openClient(url: string, startTls: boolean): Promise<Client> {
    const parsed = parseUrl(url);
    const client = new Client({
      url,
      timeout: this.timeoutMs,
      connectTimeout: this.connectTimeoutMs,
      // A fresh copy per client: ldapts mutates the options it is given (startTLS sets .socket).
      // Never with StartTLS: ldapts treats any tlsOptions as "dial TLS directly", even on ldap://.
      ...(startTls ? {} : { tlsOptions: { ...this.tls } }),
      strictDN: false,
    });
    try {
      if (startTls) {
        const host = parsed.hostname.replace(/^\[|\]$/g, '');
        const isIp = /^[\d.]+$|:/.test(host);
        await client.startTLS({ ...(isIp ? {} : { servername: host }), ...this.tls, host });
      }
      this.counts.binds++;
      await client.bind(this.bindDn, this.#password);
      return client;
    } catch (error) {
      try {
        await client.unbind();
      } catch {
        // already closed
      }
      throw translateError(error, `bind to ${url} as ${this.bindDn}`, url);
    }
  }

  private serverFor(dn: string | undefined, gc: boolean | undefined): ServerPool {
    if (gc && this.gc) return this.gc;
    if (dn && this.domainServers.size > 0) {
      try {
        const s = this.domainServers.get(normalizeDn(domainDnOf(dn)));
        if (s) return s;
      } catch {
        // <GUID=…>/<SID=…> bases and DNs without DC= parts go to the default DC.
      }
    }
    return this.dc;
  }

  /** URL of the server an operation on `dn` goes to (writes: a DC of the object's domain). */
  serverUrlFor(dn: string, options: { gc?: boolean } = {}): string {
    return this.serverFor(dn, options.gc).url;
  }

  /**
   * Whether a DC of the domain `domainNc` is known: one configured for it, or the default DC when it is its own
   * domain. Another domain's objects are asked only of its own DC: the default DC would answer with a referral (or,
   * holding a stale replica, with a copy no DC of that domain vouches for).
   */
  async hasDomainControllerFor(domainNc: string): Promise<boolean> {
    const nc = normalizeDn(domainNc);
    return this.domainServers.has(nc) || normalizeDn(await this.defaultNamingContext()) === nc;
  }

  /** Whether a separate GC endpoint is configured. */
  get hasGlobalCatalog(): boolean {
    return this.gc !== undefined;
  }

  async rootDse(): Promise<AdEntry> {
    this.rootDsePromise ??= this.search('', {
      scope: 'base',
      attributes: [
        'defaultNamingContext',
        'rootDomainNamingContext',
        'schemaNamingContext',
        'configurationNamingContext',
        'dnsHostName',
        'namingContexts',
      ],
    }).then((entries) => {
      const e = entries[0];
      if (!e) throw new AdError('AD_OPERATION_FAILED', `${this.dc.url} returned no rootDSE.`);
      return e;
    });
    try {
      return await this.rootDsePromise;
    } catch (error) {
      this.rootDsePromise = undefined;
      throw error;
    }
  }

  async defaultNamingContext(): Promise<string> {
    const dn = (await this.rootDse()).string('defaultNamingContext');
    if (!dn) throw new AdError('AD_OPERATION_FAILED', 'The rootDSE has no defaultNamingContext.');
    return dn;
  }

  /**
   * Search with paging (every non-base search), then complete every ranged attribute of every
   * entry. Returns merged entries. Attributes in `ranged` are requested as `attr;range=0-(n-1)`.
   */
  async search(base: string, req: SearchRequest): Promise<AdEntry[]> {
    const scope = req.scope ?? 'sub';
    const binary = [...BINARY_DEFAULT, ...(req.binary ?? [])];
    const ranged = new Set((req.ranged ?? []).map((a) => a.toLowerCase()));
    const attributes = req.attributes.map((a) =>
      ranged.has(a.toLowerCase()) ? `${a};range=0-${this.rangeSize - 1}` : a,
    );
    const server = this.serverFor(base, req.gc);
    const filter = req.filter ?? present('objectClass');
    const raw = await server.run(`search ${base || 'rootDSE'}`, base, async (client) => {
      const out: Record<string, unknown>[] = [];
      if (scope === 'base') {
        // A base read returns at most one entry: nothing to page.
        this.counts.searches++;
        const r = await client.search(
          base,
          { scope, filter, attributes, explicitBufferAttributes: binary },
          req.controls,
        );
        appendAll(out, r.searchEntries);
        return out;
      }
      let page = 0;
      const paginator = client.searchPaginated(
        base,
        {
          scope,
          filter,
          attributes,
          explicitBufferAttributes: binary,
          paged: { pageSize: req.pageSize ?? this.pageSize },
        },
        req.controls,
      );
      for await (const r of paginator) {
        if (page === 0) this.counts.searches++;
        else this.counts.extraPages++;
        page++;
        // A server that ignores the paging control answers everything in one page (hundreds of thousands of
        // entries): appended one by one, never spread into push's arguments, which overflow the call stack.
        appendAll(out, r.searchEntries);
      }
      return out;
    });
    const entries = raw.map(entryFromRaw);
    await Promise.all(entries.map((e) => this.completeRanges(e.entry, e.pending, req, binary)));
    return entries.map((e) => e.entry);
  }

  /** Base read of one object; undefined when it does not exist. */
  async read(dn: string, req: Omit<SearchRequest, 'scope' | 'filter'>): Promise<AdEntry | undefined> {
    try {
      const [entry] = await this.search(dn, { ...req, scope: 'base' });
      return entry;
    } catch (error) {
      if (error instanceof AdError && error.code === 'AD_NO_SUCH_OBJECT') return undefined;
      throw error;
    }
  }

  /** Follow `attr;range=N-*` windows until the server answers with the terminal `-*` key. */
  private async completeRanges(
    entry: AdEntry,
    pending: Map<string, number>,
    req: SearchRequest,
    binary: string[],
  ): Promise<void> {
    const server = this.serverFor(entry.dn, req.gc);
    while (pending.size > 0) {
      const attributes = [...pending].map(([name, low]) => rangeWindow(name, low, this.rangeSize));
      const raw = await server.run(`read ranged values of ${entry.dn}`, entry.dn, async (client) => {
        this.counts.rangedReads++;
        const r = await client.search(
          entry.dn,
          { scope: 'base', filter: present('objectClass'), attributes, explicitBufferAttributes: binary },
          req.controls,
        );
        return r.searchEntries[0];
      });
      const asked = new Set(pending.keys());
      if (!raw) break;
      pending = addRangedWindows(entry, asked, raw);
    }
  }

  async modify(dn: string, changes: AttributeChange[], controls?: Control[]): Promise<void> {
    if (changes.length === 0) return;
    const ldapChanges = changes.map(
      (c) =>
        new Change({
          operation: c.operation,
          modification: new Attribute({ type: c.attribute, values: c.values as string[] }),
        }),
    );
    const what = `modify ${dn} (${changes.map((c) => `${c.operation} ${c.attribute}`).join(', ')})`;
    try {
      await this.serverFor(dn, false).run(what, dn, async (client) => {
        this.counts.modifies++;
        await client.modify(dn, ldapChanges, controls);
      });
    } catch (error) {
      // AD (and Samba) answer 68 entryAlreadyExists, not 20, when a linked value (member, …) is already there.
      // On a replace, 68 means a value that must be unique forest-wide (sAMAccountName, UPN) is taken.
      if (error instanceof AdError && error.code === 'AD_ALREADY_EXISTS') {
        if (changes.every((c) => c.operation === 'add')) {
          throw new AdError(
            'AD_VALUE_EXISTS',
            `${what}: the value is already present (LDAP 68).`,
            error.details,
            { cause: error },
          );
        }
        throw new AdError(
          'AD_CONSTRAINT_VIOLATION',
          `${what}: a value that must be unique (sAMAccountName, userPrincipalName, …) is already used by another object (LDAP 68). Choose another value.`,
          error.details,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async add(dn: string, attributes: Record<string, (string | Buffer)[]>): Promise<void> {
    const attrs = Object.entries(attributes)
      .filter(([, v]) => v.length > 0)
      .map(([type, values]) => new Attribute({ type, values: values as string[] }));
    await this.serverFor(dn, false).run(`create ${dn}`, dn, async (client) => {
      this.counts.adds++;
      await client.add(dn, attrs);
    });
  }

  async del(dn: string, controls?: Control[]): Promise<void> {
    await this.serverFor(dn, false).run(`delete ${dn}`, dn, async (client) => {
      this.counts.deletes++;
      await client.del(dn, controls);
    });
  }

  /**
   * modifyDN with an explicit newSuperior. ldapts' own modifyDN splits the new DN with a regex that
   * misreads RDNs ending in an escaped backslash, so the request is built from parsed RDNs here.
   */
  async modifyDn(dn: string, newRdn: string, newSuperior?: string): Promise<void> {
    const rdn = formatDn(parseDn(newRdn).slice(0, 1));
    await this.serverFor(dn, false).run(`move/rename ${dn}`, dn, async (client) => {
      this.counts.modifyDns++;
      const req = new ModifyDNRequest({
        messageId: 0,
        dn,
        deleteOldRdn: true,
        newRdn: rdn,
        ...(newSuperior ? { newSuperior } : {}),
      });
      // ldapts declares these members private; they are what its own modifyDN calls (a foreign library's internals).
      const internal = client as unknown as {
        _ensureConnected(): Promise<void>;
        _nextMessageId(): number;
        _send(r: unknown): Promise<{ status: number } | undefined>;
      };
      await internal._ensureConnected();
      req.messageId = internal._nextMessageId();
      const result = await internal._send(req);
      if (result?.status !== 0) throw StatusCodeParser.parse(result as never);
    });
  }

  /** Operation counts so far (a copy). */
  snapshotCounts(): AdOperationCounts {
    return { ...this.counts };
  }

  resetCounts(): void {
    for (const k of Object.keys(this.counts) as (keyof AdOperationCounts)[]) this.counts[k] = 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.close()));
  }
}
