// Undo that is true to its word (engine audit §3 G/H, §5 item 2): after the staged DL took the group's name and
// addresses, or after a dispose that failed half-way, the rollback releases every address and gives the group back as
// it was — found by the identities recorded when the objects were made, not by names the migration has changed. An
// undo that fails in part ends "undo_failed" (never "rolled_back"), and resume finishes it. Undoing park waits for
// the sync by a bound of its own, not the 60-minute deletion deadline.
import { MigrationEngine, type EngineDeps } from '@dlmigrate/core';
import { describe, expect, it } from 'vitest';
import { seedCloudDependants } from './cloud-dependants.js';
import { directoryFaults, insufficientRights, syncFaults } from './faults.js';
import { directoryView, SALES_KEYS, tenantView, viewDiff } from './views.js';
import { useWorld, type World, sharedLab } from './world.js';

const w = useWorld(sharedLab());

/** Exchange Online answering lookups of the new DL from a replica that has not seen it yet. */
const notFoundYet = {
  cmdlet: 'Get-DistributionGroup',
  errorId: 'Ex6F9304',
  exceptionType: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  message: "The operation couldn't be performed because object 'x' couldn't be found.",
  status: 404,
  code: 'NotFound',
  count: 1_000_000,
};

async function before(world: World) {
  await world.reset();
  await seedCloudDependants(world);
  return { directory: await directoryView(world, SALES_KEYS), tenant: tenantView(world) };
}

async function expectAsBefore(world: World, was: Awaited<ReturnType<typeof before>>) {
  expect(await directoryView(world, SALES_KEYS)).toEqual(was.directory);
  expect(viewDiff(was.tenant, tenantView(world))).toEqual([]);
  // The group is synced again without a single address conflict.
  const next = await world.sim.runSync(world.tenantId);
  expect(next.errors).toEqual([]);
  expect(next.status).toBe('success');
}

const codes = (outcome: { report: { findings: readonly { code: string }[] } }) =>
  outcome.report.findings.map((f) => f.code);

describe('undo after the staged DL took the identity', () => {
  it('take-over not converged after the rename: the renamed DL is removed, the addresses are free again', async () => {
    const was = await before(w);
    const outcome = await w.engine.migrate(
      'sales@contoso.com',
      { nonSyncOu: w.objects['ous.nonSync']!.dn, deadlines: { takeOverMinutes: 0.02 } },
      {
        onEvent: (e) => {
          if (e.step === 'take-over' && e.event === 'started') w.sim.injectFault(w.tenantId, notFoundYet);
          if (e.step === 'take-over' && e.event === 'failed') w.sim.clearFaults(w.tenantId);
        },
      },
    );
    expect(outcome).toMatchObject({ status: 'rolled_back', step: 'take-over' });
    expect(codes(outcome)).toContain('TAKE_OVER_NOT_CONVERGED');
    expect(codes(outcome)).not.toContain('UNDO_FAILED');
    await expectAsBefore(w, was);
  }, 180_000);

  it('dispose failed half-way (renamed, not mail-disabled): name, attributes and place are given back', async () => {
    const was = await before(w);
    const ad = directoryFaults(w.deps.ad);
    ad.arm('mailDisableGroup', insufficientRights);
    const engine = new MigrationEngine({ ...w.deps, ad: ad.target });
    const outcome = await engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(ad.fired.get('mailDisableGroup')).toBe(1);
    expect(outcome).toMatchObject({ status: 'rolled_back', step: 'dispose' });
    expect(codes(outcome)).not.toContain('UNDO_FAILED');
    expect(outcome.report.steps.find((s) => s.name === 'dispose')?.status).toBe('undone');
    await expectAsBefore(w, was);
  }, 180_000);
});

describe('an undo that fails in part', () => {
  it('ends undo_failed with resume as the advice, and resume finishes the undo', async () => {
    const was = await before(w);
    const ad = directoryFaults(w.deps.ad);
    const engine = new MigrationEngine({ ...w.deps, ad: ad.target });
    const outcome = await engine.migrate(
      'sales@contoso.com',
      { nonSyncOu: w.objects['ous.nonSync']!.dn },
      {
        onEvent: (e) => {
          // Dispose fails, and the directory refuses the first move back of the undo.
          if (e.step === 'take-over' && e.event === 'completed')
            ad.arm('mailDisableGroup', insufficientRights);
          if (e.step === 'dispose' && e.event === 'failed') ad.arm('moveObject', insufficientRights);
        },
      },
    );
    expect(outcome).toMatchObject({ status: 'undo_failed', step: 'dispose' });
    expect(codes(outcome)).toContain('UNDO_FAILED');
    expect((await w.state.getMigration(outcome.migrationId))?.status).toBe('undo_failed');
    // It still holds the group: a new run is refused and pointed at this one.
    await expect(
      w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn }),
    ).rejects.toMatchObject({ openMigrationId: outcome.migrationId });

    const resumed = await w.engine.resume(outcome.migrationId);
    expect(resumed.status).toBe('rolled_back');
    await expectAsBefore(w, was);
  }, 240_000);

  it('undoing park waits for the sync by its own bound, and says so', async () => {
    const was = await before(w);
    const sync = syncFaults(w.deps.sync);
    const deps: EngineDeps = { ...w.deps, sync: sync.target };
    const outcome = await new MigrationEngine(deps).migrate(
      'sales@contoso.com',
      {
        nonSyncOu: w.objects['ous.nonSync']!.dn,
        // The deletion deadline stays an hour: the undo must not wait that long.
        deadlines: { cloudDeletionMinutes: 60, undoResyncMinutes: 0.02 },
      },
      {
        onEvent: (e) => {
          // Take-over fails once the group is gone; from then on no sync runs (the requests are lost).
          if (e.step === 'await-deletion' && e.event === 'completed') {
            w.sim.injectFault(w.tenantId, {
              cmdlet: 'Set-DistributionGroup',
              errorId: 'Ex9F0001',
              exceptionType: 'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
              message: 'An unexpected error occurred.',
              status: 400,
              count: 1,
            });
            sync.swallow('trigger', Infinity);
          }
        },
      },
    );
    expect(outcome).toMatchObject({ status: 'undo_failed', step: 'take-over' });
    const undoFailure = outcome.report.findings.find((f) => f.code === 'UNDO_FAILED');
    expect(undoFailure?.message).toMatch(/park: .*deadlines\.undoResyncMinutes/);

    sync.clear();
    const resumed = await w.engine.resume(outcome.migrationId);
    expect(resumed.status).toBe('rolled_back');
    await expectAsBefore(w, was);
  }, 240_000);
});
