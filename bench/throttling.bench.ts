// The rate-aware client under a tenant's throttling budget, against cloud-sim over HTTPS (real certificate auth).
// Prints figures only, asserts nothing.
//  1. A 50-group-equivalent load at 2 calls/s: each "group" replays the Exchange calls one migration makes (the mix
//     measured in the audit's 1,000-group batch, 46 calls: reads of the group and its dependants, New-/Set-/Update-)
//     plus one Graph read, GROUPS_AT_ONCE groups at a time; completed/failed groups, time, 429s, where the rate settled.
//  2. The client alone at several budgets side by side: 300 calls from 16 callers per budget.
// The full 50-group *batch* through the engine (and the outage figures) is bench/batch.bench.ts with a throttle and
// an asynchronous sync (see its header).
// Run: node --import tsx --conditions=dlmigrate-source bench/throttling.bench.ts [groups=50] [budgets=2,10,40]
//   env GROUPS_AT_ONCE (16), LOAD_BUDGET (2 calls per 1 s window), STORM_CALLS (300)
import type { CloudConnection, CmdletParameters } from '@dlmigrate/exo';
import { forgetSharedRateBudgets } from '@dlmigrate/exo/testing';
import { mailboxSeeds, startSimTenant } from '../packages/exo/test/helpers/sim.js';

const GROUPS = Number(process.argv[2] ?? 50);
const BUDGETS = (process.argv[3] ?? '2,10,40').split(',').map(Number);
const AT_ONCE = Number(process.env['GROUPS_AT_ONCE'] ?? 16);
const LOAD_BUDGET = Number(process.env['LOAD_BUDGET'] ?? 2);
const STORM_CALLS = Number(process.env['STORM_CALLS'] ?? 300);

const t = await startSimTenant('contoso');
const { sim, tenantId } = t;
const users = mailboxSeeds('contoso', 200);
sim.seedRecipients(tenantId, [
  ...users,
  ...Array.from({ length: GROUPS }, (_, i) => ({
    type: 'MailUniversalDistributionGroup' as const,
    name: `Load${i}`,
    primarySmtpAddress: `load${i}@contoso.com`,
    members: users.slice(i, i + 5).map((u) => u.primarySmtpAddress),
  })),
]);
const groupId = (i: number) =>
  Object.values(sim.tenant(tenantId).recipients).find((r) => r.Name === `Load${i}`)!
    .ExternalDirectoryObjectId;

/** The Exchange calls of one migration (audit perf.md, 1,000-group batch: 45.6 per group) and one Graph read. */
async function oneGroup(conn: CloudConnection, i: number): Promise<void> {
  const x = conn.transport;
  const read = (cmdlet: string, parameters: CmdletParameters) =>
    x.invoke(cmdlet, parameters, { idempotent: true });
  const group = `load${i}@contoso.com`;
  const byName = (name: string) => ({ Filter: `Name -eq '${name}'` });
  for (let k = 0; k < 8; k++) await read('Get-DistributionGroup', { Identity: group });
  for (let k = 0; k < 6; k++)
    await read('Get-Recipient', { Identity: users[(i + k) % users.length]!.primarySmtpAddress });
  for (const [cmdlet, times] of [
    ['Get-DynamicDistributionGroup', 5],
    ['Get-Mailbox', 5],
    ['Get-UnifiedGroup', 4],
    ['Get-MailUser', 4],
    ['Get-MailContact', 4],
  ] as const)
    for (let k = 0; k < times; k++) await read(cmdlet, byName(`Load${i}`));
  for (let k = 0; k < 2; k++) await read('Get-RecipientPermission', { Identity: group });
  await read('Get-DistributionGroupMember', { Identity: group, ResultSize: 'Unlimited' });
  await read('Get-AcceptedDomain', {});
  await read('Get-OutboundConnector', {});
  await x.invoke('New-DistributionGroup', {
    Name: `Staged${i}`,
    PrimarySmtpAddress: `staged${i}@contoso.com`,
  });
  for (let k = 0; k < 3; k++)
    await x.invoke('Set-DistributionGroup', {
      Identity: `staged${i}@contoso.com`,
      CustomAttribute1: `pass ${k}`,
      BypassSecurityGroupManagerCheck: true,
    });
  await x.invoke('Update-DistributionGroupMember', {
    Identity: `staged${i}@contoso.com`,
    Members: users.slice(i, i + 5).map((u) => u.primarySmtpAddress),
    BypassSecurityGroupManagerCheck: true,
  });
  await conn.graph.getGroup(groupId(i));
}

function rateLine(conn: CloudConnection): string {
  const r = conn.transport.stats().rate;
  const learned = r.callsPerSecond === null ? 'unpaced' : `${r.callsPerSecond.toFixed(2)} calls/s`;
  return `rate settled at ${learned} (lowered ${r.decreases}×), callers waited ${(r.waitedMs / 1000).toFixed(0)} s in all`;
}

try {
  console.log(`throttling bench against cloud-sim (${sim.url})`);

  // 1. The 50-group-equivalent load.
  forgetSharedRateBudgets();
  sim.setThrottling(tenantId, { requestsPerWindow: LOAD_BUDGET, windowSeconds: 1, maxConcurrent: 0 });
  sim.resetCalls(tenantId);
  const conn = await t.connect();
  let next = 0;
  let completed = 0;
  const failures: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(AT_ONCE, GROUPS) }, async () => {
      while (next < GROUPS) {
        const i = next++;
        try {
          await oneGroup(conn, i);
          completed++;
        } catch (error) {
          failures.push(`Load${i}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const calls = sim.calls(tenantId);
  const served = Object.values(calls.cmdlets).reduce((a, b) => a + b, 0);
  console.log(
    `\n1. ${GROUPS} groups × 46 Exchange calls + 1 Graph read, ${AT_ONCE} groups at a time, tenant budget ${LOAD_BUDGET} calls/s`,
  );
  console.log(`   completed ${completed}, failed ${failures.length}, ${seconds.toFixed(0)} s`);
  console.log(
    `   ${served} Exchange calls served = ${(served / seconds).toFixed(2)} calls/s of ${LOAD_BUDGET}; 429s: ${calls.throttled}; ` +
      `client retries ${conn.transport.stats().retries}`,
  );
  console.log(`   ${rateLine(conn)}`);
  for (const f of failures.slice(0, 5)) console.log(`   failure: ${f}`);
  conn.close();

  // 2. The client alone at several budgets.
  console.log(
    `\n2. ${STORM_CALLS} Get-Recipient calls from 16 callers, per tenant budget (calls per 1 s window)`,
  );
  console.log(
    `   ${'budget'.padEnd(8)} ${'completed'.padStart(9)} ${'failed'.padStart(6)} ${'time s'.padStart(7)} ${'calls/s'.padStart(8)} ${'429s'.padStart(5)}  learned rate`,
  );
  for (const budget of [...BUDGETS, 0]) {
    forgetSharedRateBudgets();
    sim.setThrottling(tenantId, { requestsPerWindow: budget, windowSeconds: 1, maxConcurrent: 0 });
    sim.resetCalls(tenantId);
    const c = await t.connect({ concurrency: { initial: 16, max: 16 } });
    let n = 0;
    let ok = 0;
    let failed = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (n < STORM_CALLS) {
          const u = users[n++ % users.length]!;
          await c.exchange.getRecipient(u.primarySmtpAddress).then(
            () => ok++,
            () => failed++,
          );
        }
      }),
    );
    const s = (performance.now() - t0) / 1000;
    const r = c.transport.stats().rate;
    console.log(
      `   ${(budget === 0 ? 'none' : String(budget)).padEnd(8)} ${String(ok).padStart(9)} ${String(failed).padStart(6)} ${s.toFixed(1).padStart(7)} ${(ok / s).toFixed(2).padStart(8)} ${String(sim.calls(tenantId).throttled).padStart(5)}  ${r.callsPerSecond === null ? 'unpaced' : r.callsPerSecond.toFixed(2)}`,
    );
    c.close();
  }
} finally {
  await sim.stop();
}
