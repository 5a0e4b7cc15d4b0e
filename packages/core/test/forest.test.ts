// The batch's child search in a forest (the lab forest, packages/lab/README.md "Several domains"): root:groups.company
// contains emea:groups.emeaSales, a group of the child domain — a child to migrate first, found whether the
// connection has a global catalog (one forest-wide search) or only the DC of each domain (one search per domain).
import { ActiveDirectory } from '@dlmigrate/ad';
import { LabForest, type ForestEnv } from '@dlmigrate/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childGroupsOf } from '../src/batch/directory.js';
import { untilReplicated } from '../src/steps/rewire-onprem.js';
import { systemClock } from '../src/util/poll.js';

let forest: LabForest;
let env: ForestEnv;
const opened: ActiveDirectory[] = [];

beforeAll(async () => {
  forest = await LabForest.ensure({ name: 'ad-forest' });
  await forest.reset();
  env = forest.env();
}, 900_000);

afterAll(async () => {
  await Promise.all(opened.map((a) => a.close()));
});

function connect(gcUrl?: string): ActiveDirectory {
  const ad = new ActiveDirectory({
    url: env.domains[0]!.url,
    domainControllers: env.domainControllers,
    ...(gcUrl === undefined ? {} : { gcUrl }),
    caPem: env.caPem,
    bindDn: env.bindDn,
    password: env.bindPassword,
  });
  opened.push(ad);
  return ad;
}

describe('child groups in every domain of the forest', () => {
  it.each([
    ['the global catalog', () => env.domains[0]!.gcUrl],
    ['the DC of each domain', () => undefined],
  ])('finds a child group of another domain through %s', async (_how, gc) => {
    const children = await childGroupsOf(connect(gc()), forest.object('root:groups.company').dn);
    expect(children.map((c) => [c.dn, c.address, c.kind])).toEqual([
      [forest.object('emea:groups.emeaSales').dn, 'emea-sales@contoso.com', 'mail-enabled-group'],
    ]);
  });
});

describe('rewiring a dependant in another domain', () => {
  it("waits until the routing contact has replicated to the dependant's domain, then writes the link", async () => {
    const ad = connect();
    const contact = await ad.createRoutingContact({
      parentDn: forest.object('root:ous.groups').dn,
      cn: 'Company-MigratedByScript',
      displayName: 'Company',
      mail: 'company-MigratedByScript@contoso.com',
      mailNickname: 'company-MigratedByScript',
      targetAddress: 'SMTP:company@contoso.mail.onmicrosoft.com',
      cloudId: '00000000-0000-0000-0000-000000000004',
    });
    const board = forest.object('emea:groups.board').dn;
    // Replication as AD runs it: in the background, a pass a second.
    const loop = forest.startReplication({ intervalMs: 1000 });
    try {
      await untilReplicated(systemClock, () => ad.addLinkValue(board, 'authOrig', contact.dn), 120_000);
    } finally {
      await loop.stop();
    }
    expect((await ad.readGroup(board)).links.authOrig).toContain(contact.dn);
    await forest.reset();
  }, 180_000);
});
