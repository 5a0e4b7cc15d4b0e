// One open migration per group: two runs started at once on one group (two processes' worth of engines, each with
// its own connection to the state store) admit exactly one; the other is refused before it changes anything, naming
// the open one. A run killed mid-way keeps the group: `migrate` again points to `resume`, which finishes it.
import { MigrationEngine } from '@dlmigrate/core';
import { GroupHasOpenMigrationError, openStateStore } from '@dlmigrate/state';
import { describe, expect, it } from 'vitest';
import { runChildUntilKilled } from './child.js';
import { directoryView, SALES_KEYS } from './views.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

describe('one open migration per group', () => {
  it('admits one of two runs started at once; the other changes nothing and names the open one', async () => {
    await w.reset();
    const otherState = await openStateStore(w.statePath);
    try {
      const other = new MigrationEngine({ ...w.deps, state: otherState });
      const options = { nonSyncOu: w.objects['ous.nonSync']!.dn };
      const [a, b] = await Promise.allSettled([
        w.engine.migrate('sales@contoso.com', options),
        other.migrate('Sales@Contoso.com', options),
      ]);
      const admitted = [a, b].filter((r) => r.status === 'fulfilled');
      const refused = [a, b].filter((r) => r.status === 'rejected');
      expect(admitted).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const outcome = (admitted[0] as PromiseFulfilledResult<{ migrationId: string; status: string }>).value;
      expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts
      const error = (refused[0] as PromiseRejectedResult).reason as GroupHasOpenMigrationError;
      expect(error).toBeInstanceOf(GroupHasOpenMigrationError);
      expect(error.openMigrationId).toBe(outcome.migrationId);
      expect(error.message).toContain(`dlmigrate resume ${outcome.migrationId}`);
      // The refused run left no record behind: the store knows one migration of the group.
      expect(await w.state.listMigrations({ group: 'sales@contoso.com' })).toHaveLength(1);
    } finally {
      await otherState.close();
    }
  }, 180_000);

  it('points a second migrate after a killed run to resume, which finishes it', async () => {
    await w.reset();
    const before = await w.state.listMigrations({ group: 'sales@contoso.com' });
    await runChildUntilKilled(w, { address: 'sales@contoso.com', killAfter: 'park' });
    const [killed] = (await w.state.listMigrations({ group: 'sales@contoso.com' })).filter(
      (m) => !before.some((b) => b.id === m.id),
    );
    expect(killed?.status).toBe('running');
    const parked = await directoryView(w, SALES_KEYS);

    await expect(
      w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn }),
    ).rejects.toMatchObject({ code: 'STATE_GROUP_HAS_OPEN_MIGRATION', openMigrationId: killed!.id });
    expect(await directoryView(w, SALES_KEYS)).toEqual(parked);

    const resumed = await w.engine.resume(killed!.id);
    expect(resumed.status).toBe('completed_with_warnings');
  }, 180_000);
});
