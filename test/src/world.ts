// The world an end-to-end test migrates in: a Samba lab seeded with the contoso fixture, an in-process simulated
// tenant whose directory sync reads that lab, a certificate-authenticated connection to the tenant, an LDAPS
// connection to the lab, and a SQLite state store. reset() puts directory and tenant back to their initial state.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActiveDirectory } from '@dlmigrate/ad';
import { CloudSim, type SyncConfig } from '@dlmigrate/cloud-sim';
import { MigrationEngine, type EngineDeps, type SyncTriggerConfig } from '@dlmigrate/core';
import { forgetTenantReads } from '@dlmigrate/core/testing';
import type { CloudConnection } from '@dlmigrate/exo';
import { Lab, type LabEnv } from '@dlmigrate/lab';
import type { StateStore } from '@dlmigrate/state';
import { afterAll, beforeAll } from 'vitest';
import { childDeps, labFixture } from './child-deps.js';
import { simulatedContoso, type SimulatedContoso } from './tenant.js';

export interface World {
  readonly lab: Lab;
  readonly env: LabEnv;
  readonly objects: NonNullable<ReturnType<Lab['seeded']>>['objects'];
  readonly sim: CloudSim;
  readonly tenantId: string;
  readonly cloud: CloudConnection;
  readonly ad: ActiveDirectory;
  readonly state: StateStore;
  readonly statePath: string;
  readonly syncTrigger: SyncTriggerConfig;
  /** The tenant's sync configuration; a test that changes it spreads this, so the world's choices stay. */
  readonly syncConfig: SyncConfig;
  readonly deps: EngineDeps;
  readonly engine: MigrationEngine;
  /** What the child processes of a test need to build the same deps (no secrets beyond the lab's own). */
  readonly childConfig: ChildConfig;
  /** Directory and tenant back to their initial state; injected faults cleared. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface ChildConfig {
  readonly labName: string;
  readonly simUrl: string;
  readonly simCaPem: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly statePath: string;
  /** The lab holds the big-groups fixture of these sizes instead of contoso (`groups.big<size>`). */
  readonly bigGroups?: readonly number[];
  /** The ceiling of Exchange Online calls per second the process keeps (the CLI's tenant.maxCallsPerSecond). */
  readonly maxCallsPerSecond?: number;
}

/** What a runner in a process of its own needs to reach the lab and the simulated tenant, its state at `statePath`. */
export function childConfigOf(
  labName: string,
  sim: CloudSim,
  { tenant, app, cert }: SimulatedContoso,
  statePath: string,
  bigGroups?: readonly number[],
): ChildConfig {
  return {
    labName,
    simUrl: sim.url,
    simCaPem: sim.caPem,
    tenantId: tenant.id,
    clientId: app.clientId,
    certPem: cert.certPem,
    keyPem: cert.keyPem,
    statePath,
    ...(bigGroups ? { bigGroups } : {}),
  };
}

export interface WorldOptions {
  /** Seed the big-groups fixture of these sizes (lab/src/fixtures/big-groups.ts) instead of contoso. */
  readonly bigGroups?: readonly number[];
  /**
   * How long Exchange keeps a deleted holder's addresses taken (tenant behaviour `addressQuarantineSeconds`, issue 12).
   * Default {@link STRICT_QUARANTINE_SECONDS}: every e2e migration that deletes and re-adds addresses waits it out, as
   * DLConversionV2 had to against real tenants (packages/cloud-sim README, fidelity ledger).
   */
  readonly addressQuarantineSeconds?: number;
  /**
   * Whether the simulated sync adds a routing-domain address to synced objects that hold none (`SyncConfig.
   * stampRoutingAddress`). Default false: the tenant gets only the addresses on-premises holds (the contoso fixture
   * gives every synced recipient its routing address, as the hybrid email address policy would), so an object without
   * one sends the product looking for a free one (test/src/core-strict.test.ts, with a soft-deleted holder in its way).
   */
  readonly stampRoutingAddress?: boolean;
  /** Tenant objects to add after the first sync, part of the state reset() returns to (e.g. cloud-only dependants). */
  readonly seedTenant?: (world: World) => Promise<void>;
}

/**
 * How long a deleted holder's addresses stay taken in every e2e world: long enough that a take-over writing them
 * straight after the deletion meets the quarantine, short enough to keep the suite quick (the real length is unknown;
 * DLConversionV2 allowed up to 10 × 10 s).
 */
const STRICT_QUARANTINE_SECONDS = 3;
export async function openWorld(labName: string, options: WorldOptions = {}): Promise<World> {
  const lab = await Lab.ensure({ name: labName, ...labFixture(options.bigGroups) });
  await lab.reset();
  const env = lab.env();
  const objects = lab.seeded()!.objects;

  const sim = await CloudSim.start();
  const contoso = simulatedContoso(sim, env, objects, {
    subject: 'dlmigrate e2e',
    // The roles auth init asks for (the Address Lists role lets plan read address lists that filter on a group).
    exchangeRoles: ['Address Lists'],
    sync: { stampRoutingAddress: options.stampRoutingAddress ?? false },
  });
  const { tenant, syncConfig } = contoso;
  sim.setBehaviour(tenant.id, {
    addressQuarantineSeconds: options.addressQuarantineSeconds ?? STRICT_QUARANTINE_SECONDS,
  });
  // The cloud DL an earlier (DLConversionV2) migration left behind: contacts.migratedRouting routes to it.
  sim.seedRecipients(tenant.id, [
    { type: 'MailUniversalDistributionGroup', name: 'Legacy', primarySmtpAddress: 'legacy@contoso.com' },
  ]);
  const first = await sim.runSync(tenant.id);
  if (first.status !== 'success')
    throw new Error(`initial sync: ${first.status} ${JSON.stringify(first.errors)}`);
  let baseline = sim.snapshot();

  const statePath = join(mkdtempSync(join(tmpdir(), 'dlmigrate-e2e-')), 'state.db');
  const childConfig = childConfigOf(labName, sim, contoso, statePath, options.bigGroups);
  // Parks fail fast in the tests that make them fail.
  const { deps, ad, cloud, close } = await childDeps(childConfig, {
    moveRetry: { attempts: 2, delayMs: 100 },
  });
  const syncTrigger: SyncTriggerConfig = { kind: 'http', url: `${sim.url}/_sim/sync/run`, caPem: sim.caPem };

  const world: World = {
    lab,
    env,
    objects,
    sim,
    tenantId: tenant.id,
    cloud,
    ad,
    state: deps.state,
    statePath,
    syncTrigger,
    syncConfig,
    deps,
    engine: new MigrationEngine(deps),
    childConfig,
    async reset() {
      sim.clearFaults(tenant.id);
      // The engine keeps tenant-wide reads a few minutes per connection; the tenant is about to change under it.
      forgetTenantReads();
      await lab.reset();
      sim.restore(baseline);
    },
    async close() {
      await close();
      await sim.stop();
    },
  };
  if (options.seedTenant !== undefined) {
    await options.seedTenant(world);
    baseline = sim.snapshot();
  }
  return world;
}

/**
 * The lab instance of the scenario files that share the contoso fixture as it is (`useWorld(sharedLab())`). The e2e
 * project runs two files at a time (test/vitest.config.ts), so each vitest worker gets an instance of its own
 * (`core-1`, `core-2`): two files resetting one directory under each other would see each other's groups.
 */
export function sharedLab(): string {
  return `core-${process.env['VITEST_POOL_ID'] ?? '1'}`;
}

/**
 * The world of one test file: opened before its tests, closed after them. Returns a stand-in that forwards to the
 * open world, so tests write `w.engine`, `w.reset()` as with the world itself.
 */
export function useWorld(labName: string, options: WorldOptions = {}): World {
  let current: World | undefined;
  beforeAll(async () => {
    current = await openWorld(labName, options);
  }, 600_000);
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as World, {
    get(_target, key) {
      if (current === undefined)
        throw new Error('the world opens in beforeAll; use it inside tests and hooks');
      return Reflect.get(current, key) as unknown;
    },
  });
}
