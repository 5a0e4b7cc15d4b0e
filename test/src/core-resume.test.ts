// A migration process killed with SIGKILL right after any step (or in the middle of one) and then resumed ends in
// exactly the state an uninterrupted migration reaches.
import { RECREATE_STEPS } from '@dlmigrate/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChildUntilKilled } from './child.js';
import { directoryView, SALES_KEYS, tenantView, viewDiff } from './views.js';
import { useWorld } from './world.js';

const w = useWorld('core');
let reference: { directory: Record<string, unknown>; tenant: Record<string, unknown> };


beforeAll(async () => {
  await w.reset();
  const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
  expect(outcome.status).toBe('completed');
  reference = { directory: await directoryView(w, SALES_KEYS), tenant: tenantView(w) };
}, 300_000);

const kills = [
  ...RECREATE_STEPS.filter((s) => s !== 'report' && s !== 'hybrid-mail-flow').map((step) => ({ step, on: 'completed' as const })),
  { step: 'take-over', on: 'started' as const },
  { step: 'dispose', on: 'started' as const },
];

describe('SIGKILL and resume', () => {
  it.each(kills)('killed when $step $on, resumed: same end state as an uninterrupted run', async ({ step, on }) => {
    await w.reset();
    await runChildUntilKilled(w, { address: 'sales@contoso.com', killAfter: step, killOn: on });
    const [migration] = await w.state.listMigrations({ group: 'sales@contoso.com', status: ['running', 'parked', 'planned'] });
    expect(migration?.currentStep).toBe(step);

    const outcome = await w.engine.resume(migration!.id);
    expect(outcome.report.findings).toEqual([]);
    expect(outcome.status).toBe('completed');
    expect(await directoryView(w, SALES_KEYS)).toEqual(reference.directory);
    expect(viewDiff(reference.tenant, tenantView(w))).toEqual([]);
  }, 180_000);
});
