// Resolving DNs to classified recipients in bulk (both strategies, GC and DC), and back-link
// dependency discovery over every back link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActiveDirectory, normalizeDn, type RecipientKind } from '../src/index.js';
import { openLab, type TestLab } from './helpers.js';

let t: TestLab;
let ad: ActiveDirectory;

beforeAll(async () => {
  t = await openLab();
  await t.lab.reset();
  ad = t.ad({ rangeSize: 1000, pageSize: 100 });
});
afterAll(async () => {
  await t?.close();
  await t?.lab.reset();
});

describe('classification of every member kind (docs/reference-behaviour.md#recipient-classes)', () => {
  const expected: [string, RecipientKind, string | undefined][] = [
    ['users.alice', 'mailbox', 'alice@contoso.com'],
    ['users.carol', 'mailbox', 'carol@contoso.com'],
    ['users.erin', 'mail-user', 'erin@contoso.com'],
    ['users.frank', 'user', 'frank@lab.test'],
    ['contacts.partner', 'mail-contact', 'paul@fabrikam.example'],
    ['contacts.vendor', 'mail-only-contact', 'vera@vendor.example'],
    ['contacts.plain', 'other', undefined],
    ['contacts.migratedRouting', 'routing-contact', 'legacy@contoso.com'],
    ['groups.execs', 'mail-enabled-group', 'execs@contoso.com'],
    ['groups.sales', 'mail-enabled-group', 'sales@contoso.com'],
    ['groups.mailOnlySecurity', 'mail-only-security-group', 'mailonlysec@contoso.com'],
    ['groups.mailOnlyDistribution', 'non-mail-group', undefined],
    ['groups.itSecurity', 'non-mail-group', undefined],
    ['dynamicGroups.salesPeople', 'dynamic-dl', 'salespeople@contoso.com'],
  ];

  it.each(['filter', 'base'] as const)('classifies with the %s strategy', async (strategy) => {
    const dns = expected.map(([key]) => t.obj(key).dn);
    const { recipients, missing } = await ad.resolveRecipients(dns, { strategy });
    expect(missing).toEqual([]);
    for (const [key, kind, lookup] of expected) {
      const r = recipients.get(normalizeDn(t.obj(key).dn));
      expect(r?.kind, key).toBe(kind);
      expect(r?.objectGuid, key).toBe(t.obj(key).objectGUID);
      if (key !== 'users.frank') expect(r?.lookupAddress?.toLowerCase(), key).toBe(lookup);
    }
    const frank = recipients.get(normalizeDn(t.obj('users.frank').dn));
    expect(frank?.lookupAddress).toMatch(/@/);
    expect(frank?.userPrincipalName).toBe(frank?.lookupAddress);
    expect(recipients.get(normalizeDn(t.obj('contacts.migratedRouting').dn))?.marker).toEqual({
      tag: 'MigratedByScript',
      value: 'legacy@contoso.com',
    });
  });

  it('recognises a group retained by an earlier migration by its marker', async () => {
    const dn = t.obj('groups.parked').dn;
    await ad.mailDisableGroup(dn, { originalMail: 'parked@contoso.com' });
    const { recipients } = await ad.resolveRecipients([dn]);
    const r = recipients.get(normalizeDn(dn));
    expect(r?.kind).toBe('retained-group');
    expect(r?.marker).toEqual({ tag: 'MigratedByScript', value: 'parked@contoso.com' });
    expect(r?.lookupAddress).toBe('parked@contoso.com');
  });

  it('resolves all 3,001 members of the big group in few operations, via GC and via the DC', async () => {
    const big = await ad.readGroup(t.obj('groups.big').dn);
    for (const gc of [false, true]) {
      const client = gc ? t.ad({ gcUrl: t.env.gcUrl, pageSize: 100 }) : ad;
      await client.schema(); // schema facts are read once per connection; count only the resolve
      client.connection.resetCounts();
      const { recipients, missing } = await client.resolveRecipients(big.links.member, { batchSize: 200 });
      expect(missing).toEqual([]);
      expect(recipients.size).toBe(3001);
      expect([...recipients.values()].filter((r) => r.kind === 'mailbox')).toHaveLength(3001);
      const ops = client.counts.searches + client.counts.extraPages + client.counts.rangedReads;
      // One round trip per batch: the page is larger than the batch, so no empty last page follows.
      expect(client.counts.extraPages).toBe(0);
      expect(ops).toBe(Math.ceil(3001 / 200));
    }
  });

  it('resolveRecipientsAs keeps what the projection makes of each recipient, for the same DNs and misses', async () => {
    const big = await ad.readGroup(t.obj('groups.big').dn);
    const gone = `CN=Deleted Person,${t.obj('ous.users').dn}`;
    const dns = [...big.links.member.slice(0, 250), gone];
    const whole = await ad.resolveRecipients(dns);
    const projected = await ad.resolveRecipientsAs(dns, (r) => ({ dn: r.dn, kind: r.kind, mail: r.mail }));
    expect([...projected.recipients.keys()].sort()).toEqual([...whole.recipients.keys()].sort());
    expect(projected.recipients.size).toBe(250);
    expect(projected.missing).toEqual([gone]);
    for (const [key, r] of whole.recipients)
      expect(projected.recipients.get(key)).toEqual({ dn: r.dn, kind: r.kind, mail: r.mail });
  });

  it('reports DNs nobody knows (and malformed ones) as missing', async () => {
    const gone = `CN=Deleted Person,${t.obj('ous.users').dn}`;
    const foreign = 'CN=Someone,OU=People,DC=other,DC=example';
    for (const strategy of ['filter', 'base'] as const) {
      const { recipients, missing } = await ad.resolveRecipients(
        [t.obj('users.alice').dn, gone, 'not a dn', foreign],
        { strategy },
      );
      expect(recipients.size).toBe(1);
      expect(missing.sort()).toEqual([gone, 'not a dn', foreign].sort());
    }
  });
});

describe('back-link dependency discovery', () => {
  it('finds every dependant of groups.sales with the attribute that names it', async () => {
    const sales = t.obj('groups.sales').dn;
    // Complete the fixture so every back link has a dependant.
    await ad.modifyAttributes(t.obj('groups.hidden').dn, [
      { operation: 'replace', attribute: 'managedBy', values: [sales] },
    ]);
    await ad.addLinkValue(t.obj('groups.research').dn, 'msExchCoManagedByLink', sales);
    await ad.addLinkValue(t.obj('users.heidi').dn, 'publicDelegates', sales);
    await ad.addLinkValue(t.obj('groups.company').dn, 'msExchModeratedByLink', sales);
    await ad.addLinkValue(t.obj('groups.allStaff').dn, 'msExchBypassModerationLink', sales);
    ad.connection.resetCounts();
    const { dependants, unresolved } = await ad.findDependants(sales);
    expect(unresolved).toEqual([]);
    const got = dependants.map((d) => `${d.backLink}|${d.attribute}|${normalizeDn(d.dn)}`).sort();
    const want = [
      ['memberOf', 'member', 'groups.allStaff'],
      ['managedObjects', 'managedBy', 'groups.hidden'],
      ['msExchCoManagedObjectsBL', 'msExchCoManagedByLink', 'groups.research'],
      ['publicDelegatesBL', 'publicDelegates', 'users.heidi'],
      ['msExchModeratedObjectsBL', 'msExchModeratedByLink', 'groups.company'],
      ['msExchBypassModerationBL', 'msExchBypassModerationLink', 'groups.allStaff'],
      ['altRecipientBL', 'altRecipient', 'users.grace'],
      ['authOrigBL', 'authOrig', 'groups.board'],
      ['dLMemSubmitPermsBL', 'dLMemSubmitPerms', 'groups.board'],
      ['dLMemSubmitPermsBL', 'dLMemSubmitPerms', 'users.mallory'],
      ['msExchBypassModerationFromDLMembersBL', 'msExchBypassModerationFromDLMembersLink', 'groups.board'],
      ['unauthOrigBL', 'unauthOrig', 'groups.partners'],
      ['dLMemRejectPermsBL', 'dLMemRejectPerms', 'groups.partners'],
    ]
      .map(([bl, attr, key]) => `${bl}|${attr}|${normalizeDn(t.obj(key as string).dn)}`)
      .sort();
    expect(got).toEqual(want);
    const grace = dependants.find((d) => d.backLink === 'altRecipientBL');
    expect(grace).toMatchObject({
      objectGuid: t.obj('users.grace').objectGUID,
      objectClass: 'user',
      kind: 'mailbox',
    });
    // One ranged read of the group's back links plus one batched resolve.
    expect(ad.counts.searches + ad.counts.rangedReads).toBeLessThanOrEqual(3);
  });
});
