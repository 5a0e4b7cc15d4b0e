// A failure at each step before the point of no return undoes everything the migration did: the directory and the
// tenant end as they were before it started (the synced group re-created by the sync where it had been deleted).
import {
  createSyncTrigger,
  MigrationEngine,
  type MigrationOptionsInput,
  type RunOptions,
} from '@dlmigrate/core';
import { describe, expect, it } from 'vitest';
import { seedCloudDependants } from './cloud-dependants.js';
import { directoryView, SALES_KEYS, tenantView, viewDiff } from './views.js';
import { useWorld, type World, sharedLab } from './world.js';

const w = useWorld(sharedLab());

const addressFault = {
  cmdlet: 'Set-DistributionGroup',
  errorId: 'Ex1A3C7F',
  exceptionType: 'Microsoft.Exchange.Data.Directory.ProxyAddressExistsException',
  message:
    'The proxy address "SMTP:vertrieb@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/Vertrieb Alt". Please choose another proxy address.',
};

interface Case {
  readonly step: string;
  readonly code: string;
  readonly options?: MigrationOptionsInput;
  /** Prepares the failure; may return run options (an event hook that injects the fault at the right moment). */
  readonly arrange: (world: World) => Promise<RunOptions | void>;
  readonly engine?: (world: World) => MigrationEngine;
}

const cases: readonly Case[] = [
  {
    step: 'stage',
    code: 'STEP_FAILED',
    arrange: async (world) =>
      world.sim.injectFault(world.tenantId, {
        cmdlet: 'Update-DistributionGroupMember',
        errorId: 'Ex9F0001',
        exceptionType: 'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
        message: 'An unexpected error occurred.',
        status: 400,
        count: 1,
      }),
  },
  {
    step: 'park',
    code: 'STEP_FAILED',
    // Something already named like the group in the park OU: the move cannot succeed.
    arrange: async (world) =>
      void (await world.ad.createRoutingContact({
        parentDn: world.objects['ous.nonSync']!.dn,
        cn: 'Sales',
        displayName: 'Squatter',
        mail: 'squatter@contoso.com',
        mailNickname: 'squatter',
        targetAddress: 'SMTP:squatter@contoso.mail.onmicrosoft.com',
        cloudId: '00000000-0000-0000-0000-000000000000',
      })),
  },
  {
    step: 'await-deletion',
    code: 'CLOUD_DELETION_TIMEOUT',
    options: { deadlines: { cloudDeletionMinutes: 0.02 } },
    // No sync ever runs, so the synced group is never deleted before the (short) deadline.
    engine: (world) => new MigrationEngine({ ...world.deps, sync: createSyncTrigger({ kind: 'none' }) }),
    arrange: async () => {},
  },
  {
    step: 'take-over',
    code: 'ADDRESS_HELD_BY_OTHER_OBJECT',
    arrange: async (world) => {
      // The holder the refusal names is a live object (a refusal naming nobody visible would be retried).
      world.sim.seedRecipients(world.tenantId, [
        {
          type: 'MailUniversalDistributionGroup',
          name: 'Vertrieb Alt',
          primarySmtpAddress: 'vertrieb.alt@contoso.com',
        },
      ]);
      return {
        onEvent: (e) => {
          if (e.step === 'await-deletion' && e.event === 'completed')
            world.sim.injectFault(world.tenantId, { ...addressFault, status: 400, count: 1 });
        },
      };
    },
  },
];

describe('rollback before the point of no return', () => {
  it.each(cases)(
    'a failure in $step leaves directory and tenant as they were',
    async (c) => {
      await w.reset();
      await seedCloudDependants(w);
      const run = (await c.arrange(w)) ?? {};
      const directoryBefore = await directoryView(w, SALES_KEYS);
      const tenantBefore = tenantView(w);

      const engine = c.engine?.(w) ?? w.engine;
      const outcome = await engine.migrate(
        'sales@contoso.com',
        { nonSyncOu: w.objects['ous.nonSync']!.dn, ...c.options },
        run,
      );

      expect(outcome.status).toBe('rolled_back');
      expect(outcome.step).toBe(c.step);
      expect(outcome.report.findings.map((f) => f.code)).toContain(c.code);
      expect(outcome.report.findings.map((f) => f.code)).not.toContain('UNDO_FAILED');
      expect(outcome.report.steps.filter((s) => s.status === 'undone').length).toBeGreaterThan(0);
      expect(await directoryView(w, SALES_KEYS)).toEqual(directoryBefore);
      expect(viewDiff(tenantBefore, tenantView(w))).toEqual([]);
      expect(await w.ad.findByAddress('sales-MigratedByScript@contoso.com')).toEqual([]);
    },
    120_000,
  );

  it('abort gives up on a parked migration and undoes it', async () => {
    await w.reset();
    await seedCloudDependants(w);
    const directoryBefore = await directoryView(w, SALES_KEYS);
    const tenantBefore = tenantView(w);
    const noSync = new MigrationEngine({ ...w.deps, sync: createSyncTrigger({ kind: 'none' }) });
    const options = {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      onDeletionDeadline: 'stay-parked' as const,
      deadlines: { cloudDeletionMinutes: 0.02 },
    };
    const parked = await noSync.migrate('sales@contoso.com', options);
    expect(parked.status).toBe('parked');

    const aborted = await w.engine.abort(parked.migrationId, 'the change window closed');
    expect(aborted).toMatchObject({
      status: 'rolled_back',
      step: 'await-deletion',
      error: 'the change window closed',
    });
    expect(await directoryView(w, SALES_KEYS)).toEqual(directoryBefore);
    expect(viewDiff(tenantBefore, tenantView(w))).toEqual([]);
  }, 120_000);
});
