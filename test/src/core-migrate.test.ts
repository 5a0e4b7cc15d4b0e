// One group end to end through the engine's public API: groups.sales (every carried attribute and link set) moves
// from the Samba lab to the simulated tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorld, type World } from './world.js';

let w: World;

beforeAll(async () => {
  w = await openWorld('core');
}, 300_000);

afterAll(async () => {
  await w?.close();
});

describe('migrate (recreate)', () => {
  it('migrates groups.sales', async () => {
    await w.reset();
    const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    console.log(JSON.stringify({ status: outcome.status, step: outcome.step, error: outcome.error, findings: outcome.report.findings, steps: outcome.report.steps.map((s) => `${s.name}:${s.status}`) }, null, 1));
    expect(outcome.status).toMatch(/^completed/);
  }, 300_000);
});
