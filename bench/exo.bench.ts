// Exchange Online client figures against cloud-sim over HTTPS with real certificate auth: bulk
// recipient resolution (calls and time for N identities), membership paging, throughput alone and
// under a throttling budget (retries, throttles, where AIMD settles). Prints figures only.
//   node --import tsx --conditions=dlmigrate-source bench/exo.bench.ts [identities=5000]
import { resolveRecipients } from '@dlmigrate/exo';
// The same simulated tenant the exo tests use: one app with a certificate made on the spot.
import { bigGroupSeeds, mailboxSeeds, startSimTenant } from '../packages/exo/test/helpers/sim.js';

const identities = Number(process.argv[2] ?? 5000);

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`  ${label.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms`);
  return { result, ms };
}

const t = await startSimTenant('contoso');
const { sim } = t;
const tenant = { id: t.tenantId };
try {
  const users = mailboxSeeds('contoso', identities);
  sim.seedRecipients(tenant.id, bigGroupSeeds('contoso', users));
  const edoids = Object.values(sim.tenant(tenant.id).recipients)
    .filter((r) => r.Name.startsWith('user'))
    .map((r) => r.ExternalDirectoryObjectId);
  const open = () => t.connect();

  console.log(`exo against cloud-sim (${sim.url}), ${identities} mailboxes`);

  const conn = await open();
  const inputs = [
    ...edoids.slice(0, identities / 2),
    ...users.slice(identities / 2).map((u) => u.primarySmtpAddress),
  ];
  const { result: resolved } = await timed(
    `resolveRecipients: ${inputs.length} identities (½ EDOID, ½ address)`,
    () => resolveRecipients(conn.exchange, inputs),
  );
  console.log(
    `    found ${resolved.found.size}, missing ${resolved.missing.length}, Get-Recipient calls: ${resolved.calls} (one per identity would be ${inputs.length})`,
  );

  const sample = 200;
  const { ms: oneByOneMs } = await timed(
    `for comparison: ${sample} identities one Get-Recipient each`,
    async () => {
      for (const identity of inputs.slice(0, sample)) await conn.exchange.getRecipient(identity);
    },
  );
  console.log(
    `    ≈ ${((oneByOneMs / sample) * inputs.length).toFixed(0)} ms for all ${inputs.length} that way`,
  );

  const { result: members } = await timed(`Get-DistributionGroupMember, ${identities} members`, () =>
    conn.exchange.getDistributionGroupMembers('big@contoso.com'),
  );
  console.log(
    `    ${members.length} members in ${conn.transport.stats().requestsByCmdlet['Get-DistributionGroupMember']} pages`,
  );

  const single = 200;
  const { ms: seqMs } = await timed(`${single} Get-AcceptedDomain, one after another`, async () => {
    for (let i = 0; i < single; i++) await conn.exchange.getAcceptedDomains();
  });
  console.log(
    `    ${((single / seqMs) * 1000).toFixed(0)} calls/s; token endpoint requests so far: ${conn.tokens.tokenEndpointRequests}`,
  );
  conn.close();

  const storm = 300;
  sim.setThrottling(tenant.id, { requestsPerWindow: 40, windowSeconds: 1, maxConcurrent: 0 });
  const throttled = await open();
  const { ms: stormMs } = await timed(`${storm} Get-AcceptedDomain, 16 at once, budget 40/s`, async () => {
    const queue = Array.from({ length: storm }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (queue.shift() !== undefined) await throttled.exchange.getAcceptedDomains();
      }),
    );
  });
  const s = throttled.transport.stats();
  console.log(
    `    ${((storm / stormMs) * 1000).toFixed(1)} calls/s; throttled ${s.throttles}×, retries ${s.retries}, ` +
      `concurrency limit now ${s.concurrency.limit} (halved ${s.concurrency.decreases}×, grown ${s.concurrency.increases}×, peak in flight ${s.concurrency.peakInFlight})`,
  );
  throttled.close();
} finally {
  await sim.stop();
}
