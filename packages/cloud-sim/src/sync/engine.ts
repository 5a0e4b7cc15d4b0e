// An Entra-Connect-like sync cycle: import the in-scope OUs, add/update synced recipients,
// delete the ones that left scope (groups hard-deleted), leave cloud-managed (converted) groups
// alone, and stop the whole export when it would delete more than the threshold.
import { randomUUID } from 'node:crypto';
import { RecipientDirectory } from '../exchange/directory.js';
import { CmdletError } from '../exchange/errors.js';
import { linkProperties, type Recipient } from '../exchange/recipient.js';
import type { SyncCycleRequest } from '../runtime.js';
import type { TenantState } from '../state.js';
import { readInScope, type DirectoryEntry, type LdapSource } from './ldap-reader.js';
import { isSyncedObject, project } from './projection.js';

/** Entra Connect's default "prevent accidental deletes" threshold. */
export const defaultDeletionThreshold = 500;

export interface SyncConfig {
  ldap: LdapSource;
  /** DNs of the OUs in sync scope (subtrees). */
  scopeOus: string[];
  /** Defaults to the tenant's `<name>.mail.onmicrosoft.com`. */
  routingDomain?: string;
  deletionThreshold?: number;
  /** Scheduled cycle interval; 0 or absent = no schedule (cycles run on demand only). */
  intervalSeconds?: number;
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
  private running: Promise<SyncCycleResult> | undefined;
  private last: SyncCycleResult | undefined;
  private cycles = 0;

  constructor(
    private readonly tenant: () => TenantState,
    private readonly config: SyncConfig,
  ) {
    if (!config?.ldap?.url || !config.ldap.bindDn || typeof config.ldap.bindPassword !== 'string')
      throw new Error('Sync needs ldap.url, ldap.bindDn and ldap.bindPassword.');
    if (!Array.isArray(config.scopeOus) || config.scopeOus.length === 0)
      throw new Error('Sync needs at least one in-scope OU (scopeOus).');
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

  /** The configuration without the bind password, the last result and the schedule. */
  status(): Record<string, unknown> {
    const { ldap, ...rest } = this.config;
    return {
      configured: true,
      ldap: { url: ldap.url, bindDn: ldap.bindDn, caPem: ldap.caPem ? '(set)' : undefined },
      ...rest,
      deletionThreshold: this.config.deletionThreshold ?? defaultDeletionThreshold,
      cycles: this.cycles,
      running: this.running !== undefined,
      lastCycle: this.last,
    };
  }

  /** Runs one cycle; a request during a running cycle waits for it and then runs its own. */
  async runCycle(request: SyncCycleRequest): Promise<SyncCycleResult> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.cycle(request);
    this.running = run;
    try {
      const result = await run;
      this.last = result;
      this.cycles++;
      return result;
    } finally {
      this.running = undefined;
    }
  }

  private async cycle(request: SyncCycleRequest): Promise<SyncCycleResult> {
    const startedAt = new Date().toISOString();
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
      return result;
    }
    // The import is async; everything below is synchronous, so no API call sees a half-applied cycle.
    const tenant = this.tenant();
    const dir = RecipientDirectory.of(tenant);
    result.imported = entries.length;
    const routingDomain = this.config.routingDomain ?? tenant.routingDomain;
    const byAnchor = new Map<string, Recipient>();
    for (const r of dir.all()) if (r.dir.sourceAnchor) byAnchor.set(r.dir.sourceAnchor, r);
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
      result.finishedAt = new Date().toISOString();
      return result;
    }
    for (const r of toDelete) {
      dir.remove(r.Guid);
      result.deleted.push(change(r));
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
        guidByAnchor.get(e.objectGuid)!,
        existing,
        resolve,
        now,
      );
      try {
        dir.assertAddressesFree(projected.EmailAddresses, projected.Guid);
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
    result.finishedAt = new Date().toISOString();
    return result;
  }
}
