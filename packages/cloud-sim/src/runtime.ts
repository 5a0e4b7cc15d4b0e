// What every request handler can reach: state, signing key, knobs and the sync engine.
import type { KeyObject } from 'node:crypto';
import {
  emptyStats,
  ThrottleGate,
  type CallStats,
  type Fault,
  type Latency,
  type Service,
  type LostWrite,
  type GraphFault,
  type TokenFault,
} from './control/knobs.js';
import type { DeltaSession } from './graph/delta.js';
import type { SimState, TenantState } from './state.js';

export interface SyncCycleRequest {
  /** Let a cycle delete more objects than the threshold (like allowing a stopped export once). */
  allowDeletions?: boolean;
}

export class SimRuntime {
  baseUrl = '';
  latency: Partial<Record<Service, Latency>> = {};
  readonly throttles = new Map<string, ThrottleGate>();
  /** Graph's own budget per tenant (Graph and Exchange throttle separately). */
  readonly graphThrottles = new Map<string, ThrottleGate>();
  /**
   * Per tenant, the object ids of deletions that have reached Graph but not Exchange yet (asynchronous sync):
   * Graph no longer shows them, Exchange still does.
   */
  readonly hiddenFromGraph = new Map<string, Set<string>>();
  /** Graph delta query state tokens (deltaLink / nextLink) → what they stand for; oldest dropped first. */
  readonly deltaSessions = new Map<string, DeltaSession>();
  readonly faults = new Map<string, Fault[]>();
  readonly tokenFaults = new Map<string, TokenFault[]>();
  readonly graphFaults = new Map<string, GraphFault[]>();
  readonly lostWrites = new Map<string, LostWrite[]>();
  readonly stats = new Map<string, CallStats>();
  /**
   * Set by CloudSim: triggers one sync cycle for a tenant as a real trigger does (the Graph Cloud Sync job start):
   * inline timing runs it before answering, async timing only accepts it.
   */
  triggerSync: (tenantId: string, request: SyncCycleRequest) => Promise<unknown> = () =>
    Promise.reject(new Error('directory sync is not configured'));

  constructor(
    public state: SimState,
    readonly signingKey: KeyObject,
    readonly publicKey: KeyObject,
    readonly keyId: string,
  ) {}

  /** Finds a tenant by id or by any of its accepted domains (how Entra and EXO accept both). */
  findTenant(segment: string): TenantState | undefined {
    const lower = segment.toLowerCase();
    const byId =
      this.state.tenants[lower] ??
      Object.values(this.state.tenants).find((t) => t.id.toLowerCase() === lower);
    if (byId) return byId;
    return Object.values(this.state.tenants).find((t) =>
      t.acceptedDomains.some((d) => d.DomainName.toLowerCase() === lower),
    );
  }

  statsFor(tenantId: string): CallStats {
    let s = this.stats.get(tenantId);
    if (!s) this.stats.set(tenantId, (s = emptyStats()));
    return s;
  }

  throttleFor(tenantId: string): ThrottleGate {
    return gateOf(this.throttles, tenantId);
  }

  graphThrottleFor(tenantId: string): ThrottleGate {
    return gateOf(this.graphThrottles, tenantId);
  }

  /** Whether Graph stopped showing this object while Exchange still does (a deletion on its way). */
  isHiddenFromGraph(tenantId: string, externalDirectoryObjectId: string): boolean {
    return this.hiddenFromGraph.get(tenantId)?.has(externalDirectoryObjectId.toLowerCase()) ?? false;
  }

  setHiddenFromGraph(tenantId: string, externalDirectoryObjectId: string, hidden: boolean): void {
    let set = this.hiddenFromGraph.get(tenantId);
    if (!set) this.hiddenFromGraph.set(tenantId, (set = new Set()));
    if (hidden) set.add(externalDirectoryObjectId.toLowerCase());
    else set.delete(externalDirectoryObjectId.toLowerCase());
  }

  /** Consumes one injected token-endpoint fault for this tenant, if any is pending. */
  takeTokenFault(tenantId: string): TokenFault | undefined {
    const fault = this.tokenFaults.get(tenantId)?.find((f) => f.count > 0);
    if (fault) fault.count--;
    return fault;
  }

  /** Consumes one injected lost write for this cmdlet when the call names its parameter; returns the parameter key. */
  takeLostWrite(tenantId: string, cmdlet: string, parameters: Record<string, unknown>): string | undefined {
    for (const lost of this.lostWrites.get(tenantId) ?? []) {
      if (lost.count <= 0 || lost.cmdlet.toLowerCase() !== cmdlet.toLowerCase()) continue;
      const key = Object.keys(parameters).find((k) => k.toLowerCase() === lost.parameter.toLowerCase());
      if (key === undefined) continue;
      lost.count--;
      return key;
    }
    return undefined;
  }

  /** Consumes one injected Graph fault for this route ("METHOD /path/{id}"), if any is pending. */
  takeGraphFault(tenantId: string, route: string): GraphFault | undefined {
    const fault = this.graphFaults.get(tenantId)?.find((f) => f.route === route && f.count > 0);
    if (fault) fault.count--;
    return fault;
  }

  /** Consumes one injected fault for this cmdlet, if any is pending. */
  takeFault(tenantId: string, cmdlet: string): Fault | undefined {
    const list = this.faults.get(tenantId);
    const fault = list?.find((f) => f.cmdlet.toLowerCase() === cmdlet.toLowerCase() && f.count > 0);
    if (!fault) return undefined;
    fault.count--;
    return fault;
  }
}

/** A tenant's gate of one service, unlimited until a test or the control API sets a budget. */
function gateOf(gates: Map<string, ThrottleGate>, tenantId: string): ThrottleGate {
  let gate = gates.get(tenantId);
  if (!gate)
    gates.set(
      tenantId,
      (gate = new ThrottleGate({ requestsPerWindow: 0, windowSeconds: 60, maxConcurrent: 0 })),
    );
  return gate;
}
