// A group with dependants in other domains of a forest (the lab forest, packages/lab/README.md "Several domains"):
// root:groups.sales is named by objects of the child domain EMEA and by a group of APAC, a domain whose DC is gone.
// Back links are read on the group's DC and the global catalog, resolved through the GC and, for what it does not
// know, the DC of each DN's own domain; a back link no DC resolves is returned, never dropped.
import { LabForest, type ForestEnv } from '@dlmigrate/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActiveDirectory,
  eq,
  isReferencedObjectNotFound,
  type ActiveDirectoryOptions,
} from '../src/index.js';

const NAME = 'ad-forest';
let forest: LabForest;
let env: ForestEnv;
const opened: ActiveDirectory[] = [];

beforeAll(async () => {
  forest = await LabForest.ensure({ name: NAME });
  await forest.reset();
  env = forest.env();
}, 900_000);

afterAll(async () => {
  await Promise.all(opened.map((a) => a.close()));
  await forest?.reset();
}, 120_000);

const domain = (key: string) => env.domains.find((d) => d.key === key)!;
const dn = (ref: string) => forest.object(ref).dn;

/** A client of the root domain's DC, with the DCs of every domain and (optionally) a global catalog. */
function connect(options: Partial<ActiveDirectoryOptions> = {}): ActiveDirectory {
  const ad = new ActiveDirectory({
    url: domain('root').url,
    domainControllers: env.domainControllers,
    caPem: env.caPem,
    bindDn: env.bindDn,
    password: env.bindPassword,
    ...options,
  });
  opened.push(ad);
  return ad;
}

const pairs = (list: readonly { dn: string; backLink: string }[]) =>
  list.map((d) => `${d.backLink} ${d.dn}`).sort();

describe('dependants across the domains of a forest', () => {
  it("finds the child domain's dependants and reports the lingering domain's back link as unresolved", async () => {
    // The EMEA DC's global catalog holds no replica of APAC: nothing there, and no DC, vouches for APAC Leads.
    const ad = connect({ gcUrl: domain('emea').gcUrl });
    const { dependants, unresolved } = await ad.findDependants(dn('root:groups.sales'));
    expect(pairs(dependants)).toEqual(
      [
        `memberOf ${dn('emea:groups.board')}`,
        `authOrigBL ${dn('emea:groups.board')}`,
        `dLMemSubmitPermsBL ${dn('emea:groups.board')}`,
        `managedObjects ${dn('emea:groups.managers')}`,
        `altRecipientBL ${dn('emea:users.carla')}`,
      ].sort(),
    );
    expect(dependants.find((d) => d.dn === dn('emea:users.carla'))?.attribute).toBe('altRecipient');
    expect(pairs(unresolved)).toEqual([`memberOf ${dn('apac:groups.leads')}`]);
  });

  it('does not ask the default DC for a domain it does not serve (no GC: each DN on its own domain DC)', async () => {
    const ad = connect();
    const { recipients, missing } = await ad.resolveRecipients([
      dn('emea:groups.board'),
      dn('root:users.alice'),
      dn('apac:groups.leads'),
    ]);
    expect([...recipients.values()].map((r) => r.dn).sort()).toEqual(
      [dn('emea:groups.board'), dn('root:users.alice')].sort(),
    );
    expect(missing).toEqual([dn('apac:groups.leads')]);
  });

  it("finds an object of another domain by its GUID on that domain's DC (no GC)", async () => {
    const board = forest.object('emea:groups.board');
    expect(await connect().findByGuid(board.objectGUID)).toMatchObject({ dn: board.dn, isGroup: true });
  });

  it('refuses a link to an object its domain has not replicated yet, as referenced-object-not-found', async () => {
    const ad = connect();
    const contact = await ad.createRoutingContact({
      parentDn: dn('root:ous.groups'),
      cn: 'Not Yet Replicated',
      displayName: 'Not Yet Replicated',
      mail: 'not.yet@contoso.com',
      mailNickname: 'not.yet',
      targetAddress: 'SMTP:not.yet@contoso.mail.onmicrosoft.com',
      cloudId: '00000000-0000-0000-0000-000000000003',
    });
    const error = await ad
      .addLinkValue(dn('emea:groups.board'), 'authOrig', contact.dn)
      .catch((e: unknown) => e);
    expect(isReferencedObjectNotFound(error)).toBe(true);
    await forest.replicate();
    await ad.addLinkValue(dn('emea:groups.board'), 'authOrig', contact.dn);
    expect((await ad.readGroup(dn('emea:groups.board'))).links.authOrig).toContain(contact.dn);
  });

  it('resolves an object the global catalog has not replicated yet through the DC of its domain', async () => {
    const ad = connect({ gcUrl: domain('root').gcUrl });
    const created = await ad.createRoutingContact({
      parentDn: dn('emea:ous.users'),
      cn: 'New EMEA Contact',
      displayName: 'New EMEA Contact',
      mail: 'new.emea@contoso.com',
      mailNickname: 'new.emea',
      targetAddress: 'SMTP:new.emea@contoso.mail.onmicrosoft.com',
      cloudId: '00000000-0000-0000-0000-000000000001',
    });
    // No replication pass has run: the root GC does not know it yet.
    expect(
      await ad.connection.search('', {
        gc: true,
        filter: eq('mail', 'new.emea@contoso.com'),
        attributes: ['mail'],
      }),
    ).toEqual([]);
    const { recipients, missing } = await ad.resolveRecipients([created.dn]);
    expect(missing).toEqual([]);
    expect([...recipients.values()][0]).toMatchObject({ dn: created.dn, mail: 'new.emea@contoso.com' });
  });
});
