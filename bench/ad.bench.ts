// What a 5,000-member group costs in LDAP operations (and time, on this machine) with @dlmigrate/ad:
// find by address + typed read (ranged) + resolving every member, with each resolve strategy.
// Run: node --import tsx --conditions=dlmigrate-source bench/ad.bench.ts
// Uses (and afterwards resets) the `ad` lab instance; prints figures, asserts nothing.
import { ActiveDirectory, childDn } from '@dlmigrate/ad';
import { Lab } from '@dlmigrate/lab';

const MEMBERS = 5000;
const lab = await Lab.ensure({ name: 'ad' });
const env = lab.env();
const seeded = lab.seeded();
if (!seeded) throw new Error('The ad lab has no fixture.');
const open = () =>
  new ActiveDirectory({ url: env.url, caPem: env.caPem, bindDn: env.bindDn, password: env.bindPassword });

await lab.reset();
const setup = open();
const bulk = Object.values(seeded.objects)
  .filter((o) => o.key.startsWith('bulk.users.'))
  .map((o) => o.dn);
const ou = childDn('OU', 'Bench', env.baseDn);
await setup.connection.add(ou, { objectClass: ['top', 'organizationalUnit'] });
const extra: string[] = [];
const t0 = performance.now();
for (let i = 1; extra.length + bulk.length < MEMBERS; i++) {
  const n = String(i).padStart(4, '0');
  const dn = childDn('CN', `Bench Contact ${n}`, ou);
  await setup.connection.add(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'contact'],
    mail: [`bench${n}@fabrikam.example`],
    proxyAddresses: [`SMTP:bench${n}@fabrikam.example`],
    targetAddress: [`SMTP:bench${n}@fabrikam.example`],
    msExchRecipientDisplayType: ['6'],
    msExchRecipientTypeDetails: ['64'],
  });
  extra.push(dn);
}
const members = [...bulk, ...extra].slice(0, MEMBERS);
const groupDn = childDn('CN', 'Bench 5000', ou);
await setup.connection.add(groupDn, {
  objectClass: ['top', 'group'],
  sAMAccountName: ['bench5000'],
  groupType: ['8'],
  mail: ['bench5000@contoso.com'],
  proxyAddresses: ['SMTP:bench5000@contoso.com'],
  msExchRecipientDisplayType: ['1'],
});
for (let i = 0; i < members.length; i += 1000) {
  await setup.connection.modify(groupDn, [
    { operation: 'add', attribute: 'member', values: members.slice(i, i + 1000) },
  ]);
}
await setup.close();
console.log(
  `setup: ${extra.length} contacts + ${bulk.length} users in a ${members.length}-member group, ${Math.round(performance.now() - t0)} ms`,
);

const ops = (c: ActiveDirectory['counts']) => c.searches + c.extraPages + c.rangedReads;
const runs: [string, Parameters<ActiveDirectory['resolveRecipients']>[1]][] = [
  ['filter, 50 DNs per search', { strategy: 'filter', batchSize: 50 }],
  ['filter, 100 DNs per search (default)', { strategy: 'filter', batchSize: 100 }],
  ['filter, 200 DNs per search', { strategy: 'filter', batchSize: 200 }],
  ['base reads, concurrency 4', { strategy: 'base', concurrency: 4 }],
  ['base reads, concurrency 8', { strategy: 'base', concurrency: 8 }],
];
console.log(
  '\nstrategy | find+read ops | resolve ops (searches + extra pages) | total LDAP ops | resolve ms | members resolved',
);
for (const [label, options] of runs) {
  const ad = open();
  await ad.schema(); // read once per connection; not part of the per-group cost
  ad.connection.resetCounts();
  const group = await ad.findGroupByAddress('bench5000@contoso.com');
  const readOps = ops(ad.counts);
  const before = ad.counts;
  const t1 = performance.now();
  const { recipients, missing } = await ad.resolveRecipients(group.links.member, options);
  const ms = Math.round(performance.now() - t1);
  const total = ops(ad.counts);
  const after = ad.counts;
  console.log(
    `${label} | ${readOps} | ${total - readOps} (${after.searches - before.searches} + ${after.extraPages - before.extraPages}) | ${total} | ${ms} | ${recipients.size} (${missing.length} missing)`,
  );
  await ad.close();
}
console.log(
  `\nDLConversionV2 for the same group: ${MEMBERS} Get-ADObject calls (one per member) + ${Math.floor(MEMBERS / 1000)} × 5 s throttling sleeps.`,
);
await lab.reset();
