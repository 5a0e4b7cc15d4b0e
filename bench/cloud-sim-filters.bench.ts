// What the simulator spends on the link filters of the cloud-dependants scan (exo findCloudDependants: "<link> -eq
// '<dn>'" on six Get- cmdlets, "Members -eq '<dn>'" on Get-Recipient), per group, in a tenant the size of a
// 1,000-group batch: answered from the directory's link index ("after") and by evaluating the filter on every
// recipient as before the index ("before", applyFilter's unindexed path). In-process, no HTTP. Figures only.
//   node --import tsx --conditions=dlmigrate-source bench/cloud-sim-filters.bench.ts [groups=1000] [mailboxes=20000] [sampled groups=20]
import { CloudSim } from '@dlmigrate/cloud-sim';
import { OWNER_CMDLETS, RESTRICTION_CMDLETS, RESTRICTION_LINKS } from '@dlmigrate/exo/testing';
import { RecipientDirectory } from '../packages/cloud-sim/src/exchange/directory.js';
import { applyFilter } from '../packages/cloud-sim/src/exchange/filter.js';

const groups = Number(process.argv[2] ?? 1000);
const mailboxes = Number(process.argv[3] ?? 20_000);
const sampled = Number(process.argv[4] ?? 20);

const sim = await CloudSim.start();
try {
  const tenantId = sim.createTenant({ name: 'contoso', domains: ['contoso.com'] }).id;
  const users = Array.from({ length: mailboxes }, (_, i) => ({
    type: 'UserMailbox' as const,
    name: `user${i}`,
    primarySmtpAddress: `user${i}@contoso.com`,
  }));
  const dls = Array.from({ length: groups }, (_, i) => ({
    type: 'MailUniversalDistributionGroup' as const,
    name: `dl${i}`,
    primarySmtpAddress: `dl${i}@contoso.com`,
    members: Array.from({ length: 10 }, (_, k) => `user${(i * 10 + k) % mailboxes}`),
    settings: {
      ManagedBy: [`user${i % mailboxes}`],
      // Every tenth group restricted to the next group's members: the scan finds something.
      ...(i % 10 === 0 && i + 1 < groups ? { AcceptMessagesOnlyFromDLMembers: [`dl${i + 1}`] } : {}),
    },
  }));
  const seeded = performance.now();
  sim.seedRecipients(tenantId, [...users, ...dls]);
  console.log(
    `cloud-sim link filters: ${groups} groups, ${mailboxes} mailboxes (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s)`,
  );
  const dir = RecipientDirectory.of(sim.tenant(tenantId));
  const all = () => dir.all();

  /** The filters of one group's dependants scan (exo/src/exchange/exchange-online.ts findCloudDependants). */
  const scanOf = (dn: string): [string, string][] => {
    const q = (p: string, cmdlet: string) =>
      cmdlet === 'Get-DynamicDistributionGroup'
        ? `${p} -eq '${dn}'`
        : `(${p} -eq '${dn}') -and (IsDirSynced -eq $false)`;
    return [
      ['Get-Recipient', q('Members', 'Get-Recipient')],
      ...RESTRICTION_LINKS.flatMap((l) => RESTRICTION_CMDLETS.map((c): [string, string] => [c, q(l, c)])),
      ...OWNER_CMDLETS.map((c): [string, string] => [c, q('ManagedBy', c)]),
      ['Get-Mailbox', `ForwardingAddress -eq '${dn}'`],
    ];
  };
  const sample = Array.from({ length: Math.min(groups, sampled) }, (_, i) =>
    dir.distinguishedName(dir.byKey(`name:dl${i}`)[0]!),
  );

  for (const [label, indexed] of [
    ['before (every filter evaluated on every recipient)', false],
    ['after (link index)', true],
  ] as const) {
    let found = 0;
    const started = performance.now();
    for (const dn of sample)
      for (const [cmdlet, filter] of scanOf(dn))
        found += applyFilter(dir, filter, cmdlet, all, { indexed }).length;
    const perGroup = (performance.now() - started) / sample.length;
    console.log(
      `  ${label.padEnd(52)} ${perGroup.toFixed(2).padStart(9)} ms per group's ${scanOf('x').length} filters (${found} holders found in ${sample.length} groups); ` +
        `${((perGroup * groups) / 1000).toFixed(1)} s for ${groups} groups`,
    );
  }
} finally {
  await sim.stop();
}
