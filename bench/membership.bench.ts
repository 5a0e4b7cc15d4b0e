// Membership writes of one big group (issue 17): the engine's writeMembership (one Update-DistributionGroupMember of
// 5,000, then additions several at a time within the tenant's budget, progress journaled in a SQLite state store)
// against cloud-sim over HTTPS with certificate auth and an injected Exchange latency. Prints wall time, calls, the
// rate reached and the progress reports written; then, for a resumed run, how many additions it repeats. Figures only.
//   node --import tsx --conditions=dlmigrate-source bench/membership.bench.ts [members=100000] [latencyMs=150] [ceilings]
// ceilings: the calls each connection keeps in flight at most, one run each, side by side (default MAX_CALLS_IN_FLIGHT,
// e.g. 16,32 to compare with the ceiling before issue 17).
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMembership } from '@dlmigrate/core/testing';
import { ADDITIONS_PER_PROGRESS, MEMBERS_PER_REPLACE } from '@dlmigrate/exo';
import { MAX_CALLS_IN_FLIGHT } from '@dlmigrate/exo/testing';
import { openStateStore } from '@dlmigrate/state';
import { mailboxSeeds, startSimTenant } from '../packages/exo/test/helpers/sim.js';

const members = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 150);
const ceilings = (process.argv[4] ?? String(MAX_CALLS_IN_FLIGHT)).split(',').map(Number);

const t = await startSimTenant('contoso');
const state = await openStateStore(join(mkdtempSync(join(tmpdir(), 'dlmigrate-bench-members-')), 'state.db'));
try {
  const users = mailboxSeeds('contoso', members);
  t.sim.seedRecipients(t.tenantId, [
    ...users,
    { type: 'UserMailbox', name: 'Owner', primarySmtpAddress: 'owner@contoso.com' },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Target',
      primarySmtpAddress: 'target@contoso.com',
      settings: { ManagedBy: ['owner'] },
    },
  ]);
  const ids = Object.values(t.sim.tenant(t.tenantId).recipients)
    .filter((r) => r.Name.startsWith('user'))
    .map((r) => r.ExternalDirectoryObjectId);
  t.sim.setLatency('exchange', { fixedMs: latencyMs, jitterMs: 0 });
  console.log(
    `membership write against cloud-sim (${t.sim.url}): ${members} members, ${latencyMs} ms Exchange latency, ` +
      `replace of ${MEMBERS_PER_REPLACE}, progress every ${ADDITIONS_PER_PROGRESS} additions (SQLite); ` +
      `calls in flight per connection: ${ceilings.join(' vs ')}`,
  );
  console.log(
    `  before (10,000 in one call, then one sequential addition per member): ≈ ${((Math.max(0, members - 10_000) * latencyMs) / 60_000).toFixed(0)} min of additions alone`,
  );
  for (const ceiling of ceilings) {
    // Each run does the whole write again: its replace leaves the first 5,000 members, its additions put back the rest.
    const conn = await t.connect({ concurrency: { max: ceiling } });
    const migration = await state.createMigration({
      group: { address: 'target@contoso.com' },
      strategy: 'recreate',
    });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await writeMembership(conn.exchange, state, migration.id, 'target@contoso.com', ids);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const load = loadavg();
    const stats = conn.transport.stats();
    const held = t.sim.tenant(t.tenantId).recipients;
    const target = Object.values(held).find((r) => r.Name === 'Target')!;
    console.log(`ceiling of ${ceiling} calls in flight`);
    console.log(
      `  wall time                         ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s)`,
    );
    // Client and simulator share this process: on a shared machine the wall time is bounded by the CPU it got.
    console.log(
      `  CPU used (client + simulator)     ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s, ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)} % of one core; load average ${load.map((l) => l.toFixed(1)).join(' / ')}`,
    );
    console.log(
      `  bound by latency alone            ${((result.calls * latencyMs) / ceiling / 60_000).toFixed(1)} min (${result.calls} calls × ${latencyMs} ms / ${ceiling} in flight; peak in flight ${stats.concurrency.peakInFlight})`,
    );
    console.log(
      `  calls                             ${result.calls} (1 replace + ${result.addedAfter} additions), ${(result.calls / seconds).toFixed(0)} calls/s`,
    );
    console.log(
      `  transport                         ${stats.requests} requests, ${stats.retries} retries, ${stats.throttles} throttled`,
    );
    console.log(`  members held by the DL            ${target.Members.length}`);
    const reports = (await state.listBackups(migration.id)).length;
    console.log(`  progress reports journaled        ${reports}`);

    // A resumed run of the same list: everything is reported done, so it sends nothing.
    t.sim.resetCalls(t.tenantId);
    const again = await writeMembership(conn.exchange, state, migration.id, 'target@contoso.com', ids);
    console.log(
      `  resumed after completion          ${again.calls} calls (${JSON.stringify(t.sim.calls(t.tenantId).cmdlets)})`,
    );
    conn.close();
  }
} finally {
  await state.close();
  await t.sim.stop();
}
