// An Entra-Connect-like sync cycle: import the in-scope OUs, add/update synced recipients,
// delete the ones that left scope (groups hard-deleted), leave cloud-managed (converted) groups
// alone, and stop the whole export when it would delete more than the threshold. With an 'async'
// timing (./timing.ts) the trigger answers at once, the export comes `cycleMs` later, and each
// deletion leaves Graph and then Exchange after its own delay.
import { randomUUID } from 'node:crypto';
import { RecipientDirectory } from '../exchange/directory.js';
import { CmdletError } from '../exchange/errors.js';
import { linkProperties, type Recipient } from '../exchange/recipient.js';
import type { SyncCycleRequest } from '../runtime.js';
import type { TenantState } from '../state.js';
import { readInScope, type DirectoryEntry, type LdapSource } from './ldap-reader.js';
import { isSyncedObject, project } from './projection.js';
import { deletionDelays, inlineTiming, parseStraggler, parseTiming, type SyncTiming } from './timing.js';

/** Entra Connect's default "prevent accidental deletes" threshold. */
export const defaultDeletionThreshold = 500;

export interface SyncConfig {
  ldap: LdapSource;
  /** DNs of the OUs in sync scope (subtrees). */
  scopeOus: string[];
  /** Defaults to the tenant's `<name>.mail.onmicrosoft.com`. */
  routingDomain?: string;
  /**
   * Stamp `smtp:<alias>@<routing domain>` on every synced user and group (default true). In a real
   * hybrid that address comes from the on-premises email address policy, so it may be missing: set
   * false to project only what AD holds (plus the initial-domain address).
   */
  stampRoutingAddress?: boolean;
  deletionThreshold?: number;
  /** Scheduled cycle interval; 0 or absent = no schedule (cycles run on demand only). */
  intervalSeconds?: number;
  /** When the changes reach the tenant (default: inline, the whole cycle inside the trigger call). */
  timing?: Partial<SyncTiming>;
}

/** What a trigger answers in 'async' mode: the cycle has been accepted, nothing has been exported yet. */
export interface SyncTriggerAck {
  tenantId: string;
  /** Number of the accepted cycle (1 = the engine's first). */
  cycle: number;
  /** 'started' when no other cycle was running, 'queued' behind the running one. */
  status: 'started' | 'queued';
  acceptedAt: string;
}

/** A deletion exported to the directory that has not reached Graph and/or Exchange yet. */
export interface PendingDeletion {
  name: string;
  externalDirectoryObjectId: string;
  onPremisesDistinguishedName?: string;
  /** When Graph stops showing it (ISO). */
  graphAt: string;
  /** When Exchange stops showing it (ISO). */
  exchangeAt: string;
  /** Whether Graph already stopped showing it. */
  goneFromGraph: boolean;
}

/** A trigger while a cycle runs, with `whenBusy: 'refuse'` (Entra Connect: "… AAD is busy."). */
export class SyncBusyError extends Error {
  constructor(connector: string) {
    super(`System.InvalidOperationException: Connector: ${connector} - AAD is busy.`);
    this.name = 'SyncBusyError';
  }
}

/** How the engine makes Graph stop showing an object before Exchange does. */
export interface GraphVisibility {
  hide(externalDirectoryObjectId: string): void;
  show(externalDirectoryObjectId: string): void;
}

export interface SyncChange {
  name: string;
  recipientTypeDetails: string;
  externalDirectoryObjectId: string;
  onPremisesDistinguishedName?: string;
}

export interface SyncCycleResult {
  tenantId: string;
  startedAt: string;
  finishedAt: string;
  /** success | stoppedDeletionThreshold (nothing was exported) | failed (import error, nothing changed). */
  status: 'success' | 'stoppedDeletionThreshold' | 'failed';
  imported: number;
  added: SyncChange[];
  updated: SyncChange[];
  deleted: SyncChange[];
  /** Converted (cloud-managed) groups sync skipped (Entra Connect logs event 6956 for them). */
  skippedCloudManaged: SyncChange[];
  errors: { dn: string; message: string }[];
  deletionThreshold: number;
  pendingDeletions?: number;
  /** async: when each deletion of this cycle leaves Graph and Exchange. */
  deletionSchedule?: {
    externalDirectoryObjectId: string;
    name: string;
    graphAt: string;
    exchangeAt: string;
  }[];
}

interface ScheduledDeletion {
  readonly info: PendingDeletion;
  readonly guid: string;
  readonly cancel: () => void;
  readonly done: Promise<void>;
}

function change(r: Recipient): SyncChange {
  return {
    name: r.Name,
    recipientTypeDetails: r.RecipientTypeDetails,
    externalDirectoryObjectId: r.ExternalDirectoryObjectId,
    onPremisesDistinguishedName: r.dir.onPremisesDistinguishedName,
  };
}

/** Compares the parts of two recipients sync owns (timestamps excluded). */
function sameProjection(a: Recipient, b: Recipient): boolean {
  const strip = (r: Recipient) => ({
    ...r,
    WhenChangedUTC: '',
    dir: { ...r.dir, onPremisesLastSyncDateTime: '' },
  });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

export class SyncEngine {
  private timer: NodeJS.Timeout | undefined;
  private last: SyncCycleResult | undefined;
  private cycles = 0;
  private accepted = 0;
  /** Cycles accepted and not exported yet (the running one and those queued behind it). */
  private unexported = 0;
  /** Cycles run one after the other. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Bumped by cancel(): cycles and deletions of an older generation are dropped. */
  private generation = 0;
  private timing: SyncTiming;
  private readonly pending = new Map<string, ScheduledDeletion>();

  constructor(
    private readonly tenant: () => TenantState,
    private readonly config: SyncConfig,
    private readonly graph: GraphVisibility = { hide: () => undefined, show: () => undefined },
  ) {
    if (!config?.ldap?.url || !config.ldap.bindDn || typeof config.ldap.bindPassword !== 'string')
      throw new Error('Sync needs ldap.url, ldap.bindDn and ldap.bindPassword.');
    if (!Array.isArray(config.scopeOus) || config.scopeOus.length === 0)
      throw new Error('Sync needs at least one in-scope OU (scopeOus).');
    this.timing = parseTiming(config.timing, inlineTiming);
  }

  startSchedule(): void {
    const seconds = this.config.intervalSeconds ?? 0;
    if (seconds > 0) {
      this.timer = setInterval(() => void this.runCycle({}).catch(() => undefined), seconds * 1000);
      this.timer.unref();
    }
  }

  stopSchedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Changes the timing (a partial one is merged into the current timing); applies to cycles exported from now on. */
  setTiming(timing: unknown): SyncTiming {
    this.timing = parseTiming(timing, this.timing);
    return this.timing;
  }

  addStraggler(rule: unknown): SyncTiming {
    this.timing = { ...this.timing, stragglers: [...this.timing.stragglers, parseStraggler(rule)] };
    return this.timing;
  }

  clearStragglers(): void {
    this.timing = { ...this.timing, stragglers: [] };
  }

  /** The configuration without the bind password, the last result and the schedule. */
  status(): Record<string, unknown> {
    const { ldap, timing: _given, ...rest } = this.config;
    return {
      configured: true,
      ldap: { url: ldap.url, bindDn: ldap.bindDn, caPem: ldap.caPem ? '(set)' : undefined },
      ...rest,
      deletionThreshold: this.config.deletionThreshold ?? defaultDeletionThreshold,
      timing: this.timing,
      cycles: this.cycles,
      running: this.unexported > 0,
      pendingDeletions: [...this.pending.values()].map((p) => p.info),
      lastCycle: this.last,
    };
  }

  /**
   * Runs one cycle and waits until it is over: exported and (async) every deletion of it applied in Graph and
   * Exchange. A request during a running cycle waits for it and then runs its own. (Tests and seeding use this.)
   */
  async runCycle(request: SyncCycleRequest): Promise<SyncCycleResult> {
    const { outcome } = this.enqueue(request);
    const { result, settled } = await outcome;
    await settled;
    return result;
  }

  /**
   * What a real trigger does: 'inline' runs the cycle (as runCycle) and answers with its result; 'async' accepts
   * the cycle and answers at once (or refuses with SyncBusyError while another runs, when so configured).
   */
  async trigger(request: SyncCycleRequest): Promise<SyncCycleResult | SyncTriggerAck> {
    if (this.timing.mode === 'inline') return this.runCycle(request);
    if (this.unexported > 0 && this.timing.whenBusy === 'refuse')
      throw new SyncBusyError(this.tenant().initialDomain);
    const status = this.unexported > 0 ? 'queued' : 'started';
    const { cycle, outcome } = this.enqueue(request);
    outcome.catch(() => undefined);
    return { tenantId: this.tenant().id, cycle, status, acceptedAt: new Date().toISOString() };
  }

  /** Resolves once no cycle is running or queued and no deletion is on its way. */
  async settle(): Promise<void> {
    for (;;) {
      await this.chain.catch(() => undefined);
      const pending = [...this.pending.values()].map((p) => p.done);
      if (pending.length === 0 && this.unexported === 0) return;
      await Promise.all(pending);
    }
  }

  /** Drops every running cycle and every deletion on its way (the tenant was restored or reset). */
  cancel(): void {
    this.generation++;
    for (const p of this.pending.values()) p.cancel();
    this.pending.clear();
  }

  private enqueue(request: SyncCycleRequest): {
    cycle: number;
    outcome: Promise<{ result: SyncCycleResult; settled: Promise<void> }>;
  } {
    const cycle = ++this.accepted;
    this.unexported++;
    const generation = this.generation;
    const outcome = this.chain.then(() => this.cycle(request, generation));
    this.chain = outcome.catch(() => undefined);
    void outcome.then(
      ({ result }) => {
        this.unexported--;
        this.last = result;
        this.cycles++;
      },
      () => {
        this.unexported--;
      },
    );
    return { cycle, outcome };
  }

  private async cycle(
    request: SyncCycleRequest,
    generation: number,
  ): Promise<{ result: SyncCycleResult; settled: Promise<void> }> {
    const begun = Date.now();
    const startedAt = new Date(begun).toISOString();
    const threshold = this.config.deletionThreshold ?? defaultDeletionThreshold;
    const result: SyncCycleResult = {
      tenantId: this.tenant().id,
      startedAt,
      finishedAt: startedAt,
      status: 'success',
      imported: 0,
      added: [],
      updated: [],
      deleted: [],
      skippedCloudManaged: [],
      errors: [],
      deletionThreshold: threshold,
    };
    const done = () => ({ result, settled: Promise.resolve() });
    let entries: DirectoryEntry[];
    try {
      entries = (await readInScope(this.config.ldap, this.config.scopeOus)).filter(isSyncedObject);
    } catch (err) {
      result.status = 'failed';
      result.errors.push({
        dn: this.config.ldap.url,
        message: err instanceof Error ? err.message : String(err),
      });
      result.finishedAt = new Date().toISOString();
      return done();
    }
    const timing = this.timing;
    if (timing.mode === 'async') {
      const remaining = begun + timing.cycleMs - Date.now();
      if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    }
    if (generation !== this.generation) {
      result.status = 'failed';
      result.errors.push({ dn: '', message: 'The cycle was cancelled: the tenant was restored or reset.' });
      result.finishedAt = new Date().toISOString();
      return done();
    }
    // Everything below is synchronous, so no API call sees a half-applied export.
    const settled = this.export(entries, request, result, timing);
    result.finishedAt = new Date().toISOString();
    return { result, settled };
  }

  /** Applies one imported cycle to the tenant; returns when its deletions will all have been applied. */
  private export(
    entries: DirectoryEntry[],
    request: SyncCycleRequest,
    result: SyncCycleResult,
    timing: SyncTiming,
  ): Promise<void> {
    const threshold = result.deletionThreshold;
    const tenant = this.tenant();
    const dir = RecipientDirectory.of(tenant);
    result.imported = entries.length;
    const routingDomain = this.config.routingDomain ?? tenant.routingDomain;
    const byAnchor = new Map<string, Recipient>();
    // An object whose deletion is on its way is gone for the directory: it is neither updated nor deleted again;
    // if its AD object is back in scope, a new object is added (and fails while the old one holds its addresses).
    for (const r of dir.all())
      if (r.dir.sourceAnchor && !this.pending.has(r.Guid)) byAnchor.set(r.dir.sourceAnchor, r);
    const inScope = new Set(entries.map((e) => e.objectGuid));

    // Deletions: objects sync once exported that are no longer in scope (converted groups excepted).
    const toDelete = [...byAnchor.values()].filter(
      (r) =>
        !inScope.has(r.dir.sourceAnchor!) && !r.dir.isCloudManaged && r.dir.onPremisesSyncEnabled === true,
    );
    if (toDelete.length > threshold && !request.allowDeletions) {
      result.status = 'stoppedDeletionThreshold';
      result.pendingDeletions = toDelete.length;
      result.errors.push({
        dn: '',
        message: `Stopped: the export would delete ${toDelete.length} objects, more than the deletion threshold of ${threshold}. Nothing was exported.`,
      });
      return Promise.resolve();
    }
    const deletions: Promise<void>[] = [];
    for (const r of toDelete) {
      result.deleted.push(change(r));
      if (timing.mode === 'inline') dir.remove(r.Guid);
      else deletions.push(this.scheduleDeletion(r, timing, result));
    }

    const guidByAnchor = new Map<string, string>();
    for (const e of entries) guidByAnchor.set(e.objectGuid, byAnchor.get(e.objectGuid)?.Guid ?? randomUUID());
    const guidByDn = new Map<string, string>();
    for (const e of entries) guidByDn.set(e.dn.toLowerCase(), guidByAnchor.get(e.objectGuid)!);
    const resolve = (dn: string) => guidByDn.get(dn.toLowerCase());
    const now = new Date().toISOString();

    for (const e of entries) {
      const existing = byAnchor.get(e.objectGuid);
      if (existing?.dir.isCloudManaged) {
        result.skippedCloudManaged.push(change(existing));
        continue;
      }
      const projected = project(
        e,
        tenant,
        routingDomain,
        this.config.stampRoutingAddress !== false,
        guidByAnchor.get(e.objectGuid)!,
        existing,
        resolve,
        now,
      );
      try {
        // Sync re-provisioning is not held back by the address quarantine (README, fidelity ledger).
        dir.assertAddressesFree(projected.EmailAddresses, projected.Guid, { quarantine: false });
        const nameLower = projected.Name.toLowerCase();
        if (
          dir
            .candidates(projected.Name)
            .some((r) => r.Guid !== projected.Guid && r.Name.toLowerCase() === nameLower)
        )
          throw new Error(`The name "${projected.Name}" is already used by another recipient.`);
      } catch (err) {
        const message =
          err instanceof CmdletError ? err.detail : err instanceof Error ? err.message : String(err);
        result.errors.push({ dn: e.dn, message });
        continue;
      }
      if (existing && sameProjection(existing, projected)) continue;
      projected.WhenChangedUTC = now;
      projected.dir.onPremisesLastSyncDateTime = now;
      dir.put(projected);
      (existing ? result.updated : result.added).push(change(projected));
    }
    // Links to objects that failed to provision point nowhere: drop them, as the cloud would.
    for (const r of dir.all()) {
      for (const prop of [...linkProperties, 'Members'] as const) {
        if (r[prop].some((g) => !tenant.recipients[g])) r[prop] = r[prop].filter((g) => tenant.recipients[g]);
      }
    }
    return Promise.all(deletions).then(() => undefined);
  }

  /** The object leaves Graph after its Graph delay, then Exchange (and the tenant) after its Exchange delay. */
  private scheduleDeletion(r: Recipient, timing: SyncTiming, result: SyncCycleResult): Promise<void> {
    const exportedAt = Date.now();
    const { graphMs, exchangeMs } = deletionDelays(timing, r);
    const info: PendingDeletion = {
      name: r.Name,
      externalDirectoryObjectId: r.ExternalDirectoryObjectId,
      ...(r.dir.onPremisesDistinguishedName
        ? { onPremisesDistinguishedName: r.dir.onPremisesDistinguishedName }
        : {}),
      graphAt: new Date(exportedAt + graphMs).toISOString(),
      exchangeAt: new Date(exportedAt + exchangeMs).toISOString(),
      goneFromGraph: false,
    };
    (result.deletionSchedule ??= []).push({
      externalDirectoryObjectId: info.externalDirectoryObjectId,
      name: info.name,
      graphAt: info.graphAt,
      exchangeAt: info.exchangeAt,
    });
    const guid = r.Guid;
    const objectId = r.ExternalDirectoryObjectId;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const graphTimer = setTimeout(() => {
      info.goneFromGraph = true;
      this.graph.hide(objectId);
    }, graphMs);
    const exchangeTimer = setTimeout(() => {
      this.pending.delete(guid);
      const tenant = this.tenant();
      if (tenant.recipients[guid]) RecipientDirectory.of(tenant).remove(guid);
      this.graph.show(objectId);
      finish();
    }, exchangeMs);
    this.pending.set(guid, {
      info,
      guid,
      done,
      cancel: () => {
        clearTimeout(graphTimer);
        clearTimeout(exchangeTimer);
        this.graph.show(objectId);
        finish();
      },
    });
    return done;
  }
}
