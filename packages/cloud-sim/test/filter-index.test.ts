// Link filters ("ManagedBy -eq '<dn>'", "Members -eq '<dn>'", "MemberOfGroup -eq '<dn>'", …) answered from the
// directory's link index select exactly what a scan of every recipient selects — after seeding, after one-member
// edits, after whole-object writes and after a deletion. Per-cmdlet filterability is checked before either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { RecipientDirectory } from '../src/exchange/directory.js';
import { applyFilter } from '../src/exchange/filter.js';
import type { Recipient } from '../src/exchange/recipient.js';

let sim: CloudSim;
let tenantId: string;

beforeAll(async () => {
  sim = await CloudSim.start();
  tenantId = sim.createTenant({ name: 'contoso', domains: ['contoso.com'] }).id;
  const people = ['alice', 'bob', 'carol', 'dan'].map((n) => ({
    type: 'UserMailbox' as const,
    name: n,
    primarySmtpAddress: `${n}@contoso.com`,
  }));
  sim.seedRecipients(tenantId, [
    ...people,
    {
      type: 'MailContact',
      name: 'paul',
      primarySmtpAddress: 'paul@fabrikam.example',
      externalEmailAddress: 'paul@fabrikam.example',
    },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Sales',
      primarySmtpAddress: 'sales@contoso.com',
      members: ['alice', 'bob', 'paul'],
      settings: {
        ManagedBy: ['alice'],
        AcceptMessagesOnlyFromDLMembers: ['Execs'],
        GrantSendOnBehalfTo: ['bob'],
      },
    },
    {
      type: 'MailUniversalSecurityGroup',
      name: 'Execs',
      primarySmtpAddress: 'execs@contoso.com',
      members: ['alice', 'Sales'],
      settings: {
        ManagedBy: ['bob'],
        RejectMessagesFromDLMembers: ['Sales'],
        BypassModerationFromSendersOrMembers: ['carol'],
      },
    },
  ]);
});
afterAll(async () => {
  await sim.stop();
});

const FILTERS: [cmdlet: string, property: string][] = [
  ['Get-Recipient', 'Members'],
  ['Get-Recipient', 'MemberOfGroup'],
  ['Get-DistributionGroup', 'ManagedBy'],
  ['Get-DistributionGroup', 'AcceptMessagesOnlyFromDLMembers'],
  ['Get-DistributionGroup', 'RejectMessagesFromDLMembers'],
  ['Get-DistributionGroup', 'BypassModerationFromDLMembers'],
  ['Get-DistributionGroup', 'GrantSendOnBehalfTo'],
  ['Get-Mailbox', 'ForwardingAddress'],
];

/** For every filter and every recipient's DN as the value: indexed and scanned answers, by name. */
function answers(): { indexed: string[]; scanned: string[]; hits: number } {
  const dir = RecipientDirectory.of(sim.tenant(tenantId));
  const names = (rs: Recipient[]) => rs.map((r) => r.Name).sort();
  const indexed: string[] = [];
  const scanned: string[] = [];
  let hits = 0;
  for (const target of dir.all())
    for (const [cmdlet, property] of FILTERS) {
      const filter = `(${property} -eq '${dir.distinguishedName(target).replace(/'/g, "''")}') -and (IsDirSynced -eq $false)`;
      const a = names(applyFilter(dir, filter, cmdlet, () => dir.all()));
      const b = names(applyFilter(dir, filter, cmdlet, () => dir.all(), { indexed: false }));
      hits += a.length;
      indexed.push(`${property}=${target.Name}: ${a.join(',')}`);
      scanned.push(`${property}=${target.Name}: ${b.join(',')}`);
    }
  return { indexed, scanned, hits };
}

describe('link filters from the link index', () => {
  it('select what a scan selects, through one-member edits, whole writes and a deletion', () => {
    const dir = RecipientDirectory.of(sim.tenant(tenantId));
    const first = answers();
    expect(first.indexed).toEqual(first.scanned);
    expect(first.hits).toBeGreaterThan(5); // the filters do find holders

    const byName = (n: string) => dir.all().find((r) => r.Name === n)!;
    const sales = byName('Sales');
    sales.Members.push(byName('dan').Guid);
    dir.putMembership(sales, byName('dan').Guid, 'added');
    sales.Members = sales.Members.filter((g) => g !== byName('bob').Guid);
    dir.putMembership(sales, byName('bob').Guid, 'removed');
    const execs = structuredClone(byName('Execs'));
    execs.ManagedBy = [byName('carol').Guid];
    execs.Members = [];
    dir.put(execs);
    const carol = structuredClone(byName('carol'));
    carol.ForwardingAddress = byName('dan').Guid;
    dir.put(carol);
    const alice = byName('alice').Guid;
    expect(dir.all().some((r) => r.Members.includes(alice) || r.ManagedBy.includes(alice))).toBe(true);
    dir.remove(alice);
    // Every link to it is gone, found through the link index, not by looking at every recipient.
    const links = (r: Recipient) => [
      ...r.Members,
      ...r.ManagedBy,
      ...r.ModeratedBy,
      ...r.AcceptMessagesOnlyFromSendersOrMembers,
      ...r.RejectMessagesFromSendersOrMembers,
      ...r.BypassModerationFromSendersOrMembers,
      ...r.GrantSendOnBehalfTo,
      r.ForwardingAddress,
    ];
    expect(dir.all().filter((r) => links(r).includes(alice))).toEqual([]);

    const after = answers();
    expect(after.indexed).toEqual(after.scanned);
    expect(after.indexed).toContain('Members=dan: Sales');
    expect(after.indexed).toContain('ForwardingAddress=dan: carol');
  });

  it('refuses a property the cmdlet cannot filter on before looking at any object', () => {
    const dir = RecipientDirectory.of(sim.tenant(tenantId));
    const dn = dir.distinguishedName(dir.all()[0]!);
    expect(() => applyFilter(dir, `ManagedBy -eq '${dn}'`, 'Get-Mailbox', () => dir.all())).toThrow(
      /not a recognized filterable property/,
    );
  });
});
