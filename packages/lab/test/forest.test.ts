// The lab forest (instance `lab-test-forest` and `lab-test-forest-emea`): every DC lists every domain, its global
// catalog answers for the whole forest, links across domains carry back links where the target lives, a DC refuses
// writes to another domain's objects and resolves new objects of other domains only after replication, a lingering
// domain has objects but no DC, and reset brings every DC back.
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabForest, type ForestEnv } from '../src/index.js';

const NAME = 'lab-test-forest';
let forest: LabForest;
let env: ForestEnv;

beforeAll(async () => {
  forest = await LabForest.ensure({ name: NAME });
  await forest.reset();
  env = forest.env();
}, 900_000);

afterAll(async () => {
  await forest?.reset();
}, 120_000);

const dcOf = (key: string) => {
  const d = env.domains.find((x) => x.key === key);
  if (!d) throw new Error(`no domain ${key}`);
  return d;
};

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ url, timeout: 60_000, connectTimeout: 10_000, tlsOptions: { ca: [env.caPem] } });
  try {
    await c.bind(env.bindDn, env.bindPassword);
    return await fn(c);
  } finally {
    await c.unbind().catch(() => undefined);
  }
}

async function read<K extends string>(
  url: string,
  dn: string,
  attributes: K[],
): Promise<Record<K, string[]>> {
  return withClient(url, async (c) => {
    const { searchEntries } = await c.search(dn, { scope: 'base', attributes });
    const entry = searchEntries[0];
    if (!entry) throw new Error(`no ${dn}`);
    const out = {} as Record<K, string[]>;
    for (const a of attributes) {
      const v = entry[a];
      out[a] = v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
    }
    return out;
  });
}

const dn = (ref: string) => forest.object(ref).dn;

describe('a lab forest', () => {
  it('has a DC per domain, one forest-wide account, and lists every domain on every DC', async () => {
    expect(env.domains.map((d) => [d.key, d.nc])).toEqual([
      ['root', 'DC=lab,DC=test'],
      ['emea', 'DC=emea,DC=lab,DC=test'],
    ]);
    expect(env.lingering).toEqual([expect.objectContaining({ key: 'apac', nc: 'DC=apac,DC=lab,DC=test' })]);
    expect(new Set(env.domains.map((d) => d.host)).size).toBe(2);
    for (const d of env.domains) {
      const domains = await withClient(d.url, async (c) => {
        const { searchEntries } = await c.search(`CN=Partitions,CN=Configuration,${d.nc}`, {
          scope: 'one',
          // systemFlags bit 2: the crossRef of a domain
          filter: '(&(objectClass=crossRef)(systemFlags:1.2.840.113556.1.4.803:=2))',
          attributes: ['nCName', 'dnsRoot'],
        });
        return searchEntries.map((e) => String(e.nCName)).sort();
      });
      expect(domains).toEqual(['DC=apac,DC=lab,DC=test', 'DC=emea,DC=lab,DC=test', 'DC=lab,DC=test']);
    }
  });

  it('keeps links across domains, with the back links on the DC of the target', async () => {
    const sales = await read(dcOf('root').url, dn('root:groups.sales'), [
      'member',
      'memberOf',
      'managedObjects',
      'authOrigBL',
      'dLMemSubmitPermsBL',
      'altRecipientBL',
    ]);
    expect(sales.member).toContain(dn('emea:users.bert'));
    expect(sales.memberOf.sort()).toEqual([dn('apac:groups.leads'), dn('emea:groups.board')].sort());
    expect(sales.managedObjects).toEqual([dn('emea:groups.managers')]);
    expect(sales.authOrigBL).toEqual([dn('emea:groups.board')]);
    expect(sales.dLMemSubmitPermsBL).toEqual([dn('emea:groups.board')]);
    expect(sales.altRecipientBL).toEqual([dn('emea:users.carla')]);
    const emeaSales = await read(dcOf('emea').url, dn('emea:groups.emeaSales'), [
      'member',
      'memberOf',
      'authOrigBL',
    ]);
    expect(emeaSales.member).toContain(dn('root:users.alice'));
    expect(emeaSales.memberOf).toEqual([dn('root:groups.company')]);
    expect(emeaSales.authOrigBL).toEqual([dn('root:groups.company')]);
  });

  it("answers for the whole forest on each DC's global catalog", async () => {
    for (const d of env.domains) {
      const found = await withClient(d.gcUrl, async (c) => {
        const { searchEntries } = await c.search('', {
          scope: 'sub',
          filter: '(|(mail=sales@contoso.com)(mail=emea-board@contoso.com))',
          attributes: ['mail'],
        });
        return searchEntries.map((e) => e.dn).sort();
      });
      expect(found).toEqual([dn('emea:groups.board'), dn('root:groups.sales')].sort());
    }
  });

  it("refuses a write to another domain's object on the wrong DC", async () => {
    await expect(
      withClient(dcOf('emea').url, (c) =>
        c.modify(dn('root:groups.sales'), [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'description', values: ['x'] }),
          }),
        ]),
      ),
    ).rejects.toThrow(/partial replica/);
  });

  it('resolves a new object of another domain only after replication, then shows its back link there', async () => {
    const contact = `CN=Sales Routing,${dn('root:ous.groups')}`;
    await withClient(dcOf('root').url, (c) =>
      c.add(contact, [
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'contact'] }),
        new Attribute({ type: 'mail', values: ['sales-routing@contoso.com'] }),
      ]),
    );
    const name = (c: Client, values: string[], attribute = 'authOrig') =>
      c.modify(dn('emea:groups.board'), [
        new Change({ operation: 'add', modification: new Attribute({ type: attribute, values }) }),
      ]);
    // what AD answers while no GC the DC asks knows the object yet
    await expect(withClient(dcOf('emea').url, (c) => name(c, [contact]))).rejects.toThrow(/000020B5/);
    await expect(withClient(dcOf('emea').url, (c) => name(c, [contact], 'member'))).rejects.toThrow(
      /00000525/,
    );
    expect((await forest.replicate()).added).toBe(1);
    await withClient(dcOf('emea').url, (c) => name(c, [contact]));
    expect((await read(dcOf('root').url, contact, ['authOrigBL'])).authOrigBL).toEqual([]);
    await forest.replicate();
    expect((await read(dcOf('root').url, contact, ['authOrigBL'])).authOrigBL).toEqual([
      dn('emea:groups.board'),
    ]);
  });

  it('replicates renames and deletions', async () => {
    const carla = dn('emea:users.carla');
    const renamed = carla.replace('CN=Carla Conti', 'CN=Carla Conti-Rossi');
    await withClient(dcOf('emea').url, async (c) => {
      await c.modifyDN(carla, 'CN=Carla Conti-Rossi');
      await c.del(dn('emea:groups.managers'));
    });
    await forest.replicate();
    const sales = await read(dcOf('root').url, dn('root:groups.sales'), ['altRecipientBL', 'managedObjects']);
    expect(sales).toEqual({ altRecipientBL: [renamed], managedObjects: [] });
  });

  it('has a lingering domain: its objects are in a global catalog, no DC answers for it', async () => {
    const leads = forest.object('apac:groups.leads');
    const onGc = await withClient(dcOf('root').gcUrl, async (c) => {
      const { searchEntries } = await c.search('', { scope: 'sub', filter: '(mail=apac-leads@contoso.com)' });
      return searchEntries.map((e) => e.dn);
    });
    expect(onGc).toEqual([leads.dn]);
    expect(forest.env().domainControllers[env.lingering[0]!.nc]).toBeUndefined();
  });

  it('resets every DC to the built forest', async () => {
    await forest.reset();
    const sales = await read(dcOf('root').url, dn('root:groups.sales'), ['managedObjects', 'altRecipientBL']);
    expect(sales).toEqual({
      managedObjects: [dn('emea:groups.managers')],
      altRecipientBL: [dn('emea:users.carla')],
    });
    expect((await forest.replicate()).added).toBe(0);
  });
});
