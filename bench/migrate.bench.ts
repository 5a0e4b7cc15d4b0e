// Cost of one migration (strategy recreate) against the Samba lab and the simulated tenant: wall time per step,
// Exchange Online cmdlet calls, Graph calls and LDAP operations. Prints figures; asserts nothing.
//   node --import tsx --conditions=dlmigrate-source bench/migrate.bench.ts
import { performance } from 'node:perf_hooks';
import type { AdOperationCounts } from '@dlmigrate/ad';
import { openWorld } from '../test/src/world.js';

const GROUPS = ['sales@contoso.com', 'finance@contoso.com', 'bulkusers@contoso.com'];

function diff(after: AdOperationCounts, before: AdOperationCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(after) as (keyof AdOperationCounts)[]) {
    const d = after[key] - before[key];
    if (d !== 0) out[key] = d;
  }
  return out;
}

const world = await openWorld('core');
try {
  for (const address of GROUPS) {
    await world.reset();
    world.sim.resetCalls(world.tenantId);
    const ldapBefore = world.ad.counts;
    const started = performance.now();
    const stepStart = new Map<string, number>();
    const stepMs: Record<string, number> = {};
    const outcome = await world.engine.migrate(
      address,
      { nonSyncOu: world.objects['ous.nonSync']!.dn },
      {
        onEvent: (e) => {
          if (e.event === 'started') stepStart.set(e.step, performance.now());
          if (e.event === 'completed' && stepStart.has(e.step))
            stepMs[e.step] = Math.round(performance.now() - stepStart.get(e.step)!);
        },
      },
    );
    const wall = Math.round(performance.now() - started);
    const calls = world.sim.calls(world.tenantId);
    const exchangeCalls = Object.values(calls.cmdlets).reduce((a, b) => a + b, 0);
    const graphCalls = Object.values(calls.graph).reduce((a, b) => a + b, 0);
    const members = (await world.cloud.exchange.getDistributionGroupMembers(address)).length;
    console.log(
      `\n${address}: ${outcome.status}, ${members} members, ${wall} ms wall (sync cycles included)`,
    );
    console.log(`  steps ms: ${JSON.stringify(stepMs)}`);
    console.log(`  Exchange calls: ${exchangeCalls} ${JSON.stringify(calls.cmdlets)}`);
    console.log(
      `  Graph calls: ${graphCalls} ${JSON.stringify(calls.graph)}; token requests: ${calls.tokens}`,
    );
    console.log(`  LDAP operations: ${JSON.stringify(diff(world.ad.counts, ldapBefore))}`);
  }
} finally {
  await world.close();
}
