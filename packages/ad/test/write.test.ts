// Every write against the lab: move (GUID kept, retries, idempotence, hostile names), rename with the
// 64-character rules, modify, schema-aware clear (mail-disable), delete, routing contact, hybrid
// dynamic DL, rewiring dependants, and routing writes to the DC of the object's domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActiveDirectory,
  childDn,
  dnEquals,
  normalizeDn,
  parentDn,
  retainedName,
  retainedSamAccountName,
  routingContactNames,
} from '../src/index.js';
import { escapeFilterValue, sidToString } from '../src/testing.js';
import { failure, openLab, type TestLab } from './helpers.js';

let t: TestLab;
let ad: ActiveDirectory;
const fast = { attempts: 3, delayMs: 10 };

async function guidOf(dn: string): Promise<string | undefined> {
  const { recipients } = await ad.resolveRecipients([dn]);
  return recipients.get(normalizeDn(dn))?.objectGuid;
}

beforeAll(async () => {
  t = await openLab();
  await t.lab.reset();
  ad = t.ad({ moveRetry: fast });
});
afterAll(async () => {
  await t?.close();
  await t?.lab.reset();
});

describe('move', () => {
  it('parks a group in the non-sync OU and back, keeping objectGUID and memberships', async () => {
    const sales = t.obj('groups.sales');
    const nonSync = t.obj('ous.nonSync').dn;
    const parked = await ad.moveObject(sales.dn, nonSync);
    expect(dnEquals(parked, childDn('CN', 'Sales', nonSync))).toBe(true);
    expect(await ad.exists(sales.dn)).toBe(false);
    expect(await guidOf(parked)).toBe(sales.objectGUID);
    const allStaff = await ad.readGroup(t.obj('groups.allStaff').dn);
    expect(allStaff.links.member.map(normalizeDn)).toContain(normalizeDn(parked));
    // Running the step again after a crash is a no-op, whether given the new or the old DN.
    expect(await ad.moveObject(parked, nonSync)).toBe(parked);
    expect(await ad.moveObject(sales.dn, nonSync)).toBe(parked);
    expect((await ad.findByGuid(sales.objectGUID))?.dn).toBe(parked);
    const back = await ad.moveObject(parked, t.obj('ous.groups').dn);
    expect(dnEquals(back, sales.dn)).toBe(true);
    expect(await guidOf(back)).toBe(sales.objectGUID);
  });

  it.each(['groups.salesWest', 'groups.slashes', 'groups.unicode', 'groups.obrienTeam', 'groups.research'])(
    'moves %s (hostile name) and back',
    async (key) => {
      const o = t.obj(key);
      const moved = await ad.moveObject(o.dn, t.obj('ous.nonSync').dn);
      expect(await guidOf(moved)).toBe(o.objectGUID);
      const back = await ad.moveObject(moved, parentDn(o.dn));
      expect(dnEquals(back, o.dn)).toBe(true);
    },
  );

  it('moves a CN ending in a backslash (ldapts would split its new DN wrongly)', async () => {
    const o = t.obj('groups.company');
    const renamed = await ad.renameObject(o.dn, { cn: 'Company\\' });
    const moved = await ad.moveObject(renamed, t.obj('ous.nonSync').dn);
    expect(dnEquals(moved, childDn('CN', 'Company\\', t.obj('ous.nonSync').dn))).toBe(true);
    expect(await guidOf(moved)).toBe(o.objectGUID);
    await ad.renameObject(await ad.moveObject(moved, parentDn(o.dn)), { cn: 'Company' });
    expect(await ad.exists(o.dn)).toBe(true);
  });

  it('retries a failing move, then reports it; a name collision fails at once', async () => {
    ad.connection.resetCounts();
    const missingOu = `OU=Does Not Exist,${t.env.baseDn}`;
    const e = await failure(ad.moveObject(t.obj('groups.execs').dn, missingOu));
    expect(e.code).toBe('AD_NO_SUCH_OBJECT');
    expect(e.message).toContain('Does Not Exist');
    expect(ad.counts.modifyDns).toBe(fast.attempts);
    const clash = `CN=Sales,${t.obj('ous.nonSync').dn}`;
    await ad.connection.add(clash, {
      objectClass: ['top', 'group'],
      sAMAccountName: ['sales-clash'],
      groupType: ['8'],
    });
    try {
      ad.connection.resetCounts();
      const c = await failure(ad.moveObject(t.obj('groups.sales').dn, t.obj('ous.nonSync').dn));
      expect(c.code).toBe('AD_ALREADY_EXISTS');
      expect(ad.counts.modifyDns).toBe(1);
    } finally {
      await ad.deleteObject(clash);
    }
  });
});

describe('rename', () => {
  it('renames CN and sAMAccountName of a 64-character group within the limits', async () => {
    const o = t.obj('groups.long64');
    const cn = retainedName(o.attributes.cn?.[0] ?? '');
    expect(cn).toHaveLength(64);
    const dn = await ad.renameObject(o.dn, {
      cn,
      sAMAccountName: retainedSamAccountName(o.samAccountName as string),
    });
    const g = await ad.readGroup(dn);
    expect(g.cn).toBe(cn);
    expect(g.name).toBe(cn);
    expect(g.sAMAccountName).toBe(`${o.samAccountName}!`);
    expect(g.objectGuid).toBe(o.objectGUID);
  });

  it('refuses names over the limits or with forbidden characters, changing nothing', async () => {
    const o = t.obj('groups.hidden');
    expect((await failure(ad.renameObject(o.dn, { cn: 'x'.repeat(65) }))).code).toBe('AD_NAME_TOO_LONG');
    expect((await failure(ad.renameObject(o.dn, { sAMAccountName: 'x'.repeat(257) }))).code).toBe(
      'AD_NAME_TOO_LONG',
    );
    expect((await failure(ad.renameObject(o.dn, { cn: 'ok', sAMAccountName: 'a[b]' }))).code).toBe(
      'AD_INVALID_OPTIONS',
    );
    expect(await ad.exists(o.dn)).toBe(true);
  });
});

describe('modify, clear, delete', () => {
  it('replaces, adds and removes values', async () => {
    const dn = t.obj('groups.execs').dn;
    await ad.modifyAttributes(dn, [
      { operation: 'replace', attribute: 'extensionAttribute5', values: ['five'] },
      {
        operation: 'add',
        attribute: 'proxyAddresses',
        values: ['smtp:execs-2@contoso.com', 'smtp:führung@contoso.com'],
      },
    ]);
    await ad.modifyAttributes(dn, [
      { operation: 'delete', attribute: 'proxyAddresses', values: ['smtp:execs-2@contoso.com'] },
    ]);
    const g = await ad.readGroup(dn);
    expect(g.settings.extensionAttributes[5]).toBe('five');
    expect(g.proxyAddresses.map((p) => p.raw)).toContain('smtp:führung@contoso.com');
    expect(g.proxyAddresses.map((p) => p.raw)).not.toContain('smtp:execs-2@contoso.com');
  });

  it('refuses an attribute the schema lacks and changes nothing', async () => {
    const dn = t.obj('groups.execs').dn;
    const e = await failure(
      ad.modifyAttributes(dn, [
        { operation: 'replace', attribute: 'extensionAttribute6', values: ['six'] },
        { operation: 'replace', attribute: 'msExchGroupSecurityFlags', values: ['1'] },
      ]),
    );
    expect(e.code).toBe('AD_ATTRIBUTE_NOT_IN_SCHEMA');
    expect(e.message).toContain('msExchGroupSecurityFlags');
    expect((await ad.readGroup(dn)).settings.extensionAttributes[6]).toBeUndefined();
  });

  it('mail-disables a retained group per Appendix A, schema-aware, and stamps it', async () => {
    const o = t.obj('groups.sales');
    const before = await ad.readGroup(o.dn);
    const result = await ad.mailDisableGroup(o.dn, { originalMail: 'sales@contoso.com' });
    expect(result.cleared).toEqual(
      expect.arrayContaining([
        'mail',
        'proxyAddresses',
        'authOrig',
        'unauthOrig',
        'dLMemSubmitPerms',
        'dLMemRejectPerms',
        'msExchCoManagedByLink',
        'msExchModeratedByLink',
        'publicDelegates',
        'legacyExchangeDN',
        'msExchRecipientDisplayType',
        'extensionAttribute15',
        'msExchExtensionCustomAttribute1',
        'msExchSenderHintTranslations',
      ]),
    );
    expect(result.notInSchema).toEqual(
      expect.arrayContaining(['msExchGroupMemberCount', 'msExchMailboxAuditEnable']),
    );
    expect(result.notInSchema).not.toContain('mail');
    // The lab's schema version marker is ≥ 15317, so the modern list (with msExchGroupSecurityFlags) applies.
    expect((await ad.schema()).modern).toBe(true);
    expect([...result.cleared, ...result.notInSchema]).toContain('msExchGroupSecurityFlags');
    const g = await ad.readGroup(o.dn);
    expect(g.mail).toBeUndefined();
    expect(g.proxyAddresses).toEqual([]);
    expect(g.links.authOrig).toEqual([]);
    expect(g.links.msExchCoManagedByLink).toEqual([]);
    expect(g.recipientDisplayType).toBeUndefined();
    expect(g.settings.extensionAttributes).toEqual({ 1: 'MigratedByScript', 2: 'sales@contoso.com' });
    expect(g.marker).toEqual({ tag: 'MigratedByScript', value: 'sales@contoso.com' });
    // Kept: membership, managedBy, groupType, sAMAccountName.
    expect(g.links.member.map(normalizeDn).sort()).toEqual(before.links.member.map(normalizeDn).sort());
    expect(g.links.managedBy).toEqual(before.links.managedBy);
    expect(g.groupType).toEqual(before.groupType);
    expect(g.sAMAccountName).toBe(before.sAMAccountName);
    // Clearing again is a no-op apart from the stamp.
    expect((await ad.clearAttributes(o.dn, ['mail', 'authOrig'])).cleared).toEqual([]);
  });

  it('deletes an object; deleting it again is a no-op', async () => {
    const dn = t.obj('groups.parked').dn;
    await ad.deleteObject(dn);
    expect(await ad.exists(dn)).toBe(false);
    await ad.deleteObject(dn);
  });
});

describe('routing contact, hybrid dynamic DL and rewiring (phases 16–19)', () => {
  it('disposes of groups.salesWest and keeps mail flowing on-prem', async () => {
    const original = await ad.readGroup(t.obj('groups.salesWest').dn);
    const cloudId = 'Group_7c1f*)(x=1';
    const names = routingContactNames({
      cn: original.cn,
      mail: original.mail as string,
      ...(original.displayName ? { displayName: original.displayName } : {}),
      ...(original.mailNickname ? { mailNickname: original.mailNickname } : {}),
    });
    const routingAddress = 'sales-west@contoso.mail.onmicrosoft.com';
    const contact = await ad.createRoutingContact({
      parentDn: original.parentDn,
      ...names,
      targetAddress: `smtp:${routingAddress}`,
      cloudId,
      extraProxyAddresses: [`X500:${original.legacyExchangeDN}-contact`],
    });
    expect(contact.skippedAttributes).toEqual([]);
    const c = await ad.connection.read(contact.dn, {
      attributes: [
        'targetAddress',
        'msExchHideFromAddressLists',
        'msExchRecipientDisplayType',
        'msExchMasterAccountSid',
        'proxyAddresses',
        'mail',
        'msExchPoliciesExcluded',
      ],
    });
    expect(c?.string('targetAddress')).toBe(`SMTP:${routingAddress.toUpperCase()}`);
    expect(c?.string('msExchHideFromAddressLists')).toBe('TRUE');
    expect(c?.number('msExchRecipientDisplayType')).toBe(6);
    expect(sidToString(c?.buffer('msExchMasterAccountSid') as Buffer)).toBe('S-1-5-10');
    expect(c?.strings('proxyAddresses')).toContain(`SMTP:${names.mail}`);
    const resolved = (await ad.resolveRecipients([contact.dn])).recipients.get(normalizeDn(contact.dn));
    expect(resolved?.kind).toBe('routing-contact');
    expect(resolved?.marker?.value).toBe(cloudId);
    expect(
      (
        await failure(
          ad.createRoutingContact({
            parentDn: original.parentDn,
            ...names,
            targetAddress: routingAddress,
            cloudId,
          }),
        )
      ).code,
    ).toBe('AD_ALREADY_EXISTS');

    // The original is gone (deleted after parking), the dynamic DL takes its name and addresses.
    const parked = await ad.moveObject(original.dn, t.obj('ous.nonSync').dn);
    await ad.deleteObject(parked);
    const ddl = await ad.createHybridDynamicGroup({
      parentDn: original.parentDn,
      cn: original.cn,
      displayName: original.displayName ?? original.cn,
      mailNickname: original.mailNickname as string,
      mail: original.mail as string,
      proxyAddresses: [...original.proxyAddresses.map((p) => p.raw), `smtp:${routingAddress}`],
      ...(original.legacyExchangeDN ? { legacyExchangeDN: original.legacyExchangeDN } : {}),
      cloudId,
      routingAddress,
      requireAuthToSendTo: original.settings.requireAuthToSendTo ?? false,
      hiddenFromAddressLists: false,
    });
    expect(dnEquals(ddl.dn, original.dn)).toBe(true);
    const d = await ad.connection.read(ddl.dn, {
      attributes: [
        'objectClass',
        'proxyAddresses',
        'msExchDynamicDLFilter',
        'msExchDynamicDLBaseDN',
        'msExchQueryFilter',
        'mail',
      ],
    });
    expect(d?.strings('objectClass')).toContain('msExchDynamicDistributionList');
    const proxies = d?.strings('proxyAddresses') ?? [];
    expect(proxies).toContain('SMTP:sales-west@contoso.com');
    expect(proxies).toContain(`X500:${original.legacyExchangeDN}`);
    expect(proxies.filter((p) => p.startsWith('SMTP:'))).toHaveLength(1);
    expect(proxies.map((p) => p.toLowerCase())).not.toContain(`smtp:${routingAddress}`);
    expect(d?.string('msExchDynamicDLFilter')).toBe(
      `(&(objectClass=contact)(extensionAttribute1=MigratedByScript)(extensionAttribute2=${escapeFilterValue(cloudId)}))`,
    );
    expect(d?.string('msExchQueryFilter')).toContain("CustomAttribute2 -eq 'Group_7c1f*)(x=1'");
    expect(dnEquals(d?.string('msExchDynamicDLBaseDN') as string, original.parentDn)).toBe(true);
    expect((await ad.findByAddress('sales-west@contoso.com')).map((m) => m.objectClass)).toEqual([
      'msExchDynamicDistributionList',
    ]);
    const kind = (await ad.resolveRecipients([ddl.dn])).recipients.get(normalizeDn(ddl.dn))?.kind;
    expect(kind).toBe('dynamic-dl');
  });

  it('rewires dependants: add to member, replace in authOrig and altRecipient, idempotently', async () => {
    const sales = t.obj('groups.sales').dn;
    const contactDn = `CN=Rewire-MigratedByScript,${t.obj('ous.contacts').dn}`;
    await ad.connection.add(contactDn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'contact'],
      mail: ['rewire@contoso.com'],
    });
    for (let run = 0; run < 2; run++) {
      await ad.addLinkValue(t.obj('groups.allStaff').dn, 'member', contactDn);
      await ad.replaceLinkValue(t.obj('groups.board').dn, 'authOrig', sales, contactDn);
      await ad.replaceLinkValue(t.obj('users.grace').dn, 'altRecipient', sales, contactDn);
    }
    const board = await ad.readGroup(t.obj('groups.board').dn);
    expect(board.links.authOrig.map(normalizeDn)).toEqual([normalizeDn(contactDn)]);
    expect(board.links.dLMemSubmitPerms.map(normalizeDn)).toEqual([normalizeDn(sales)]);
    const grace = await ad.connection.read(t.obj('users.grace').dn, { attributes: ['altRecipient'] });
    expect(grace?.strings('altRecipient').map(normalizeDn)).toEqual([normalizeDn(contactDn)]);
    const allStaff = await ad.readGroup(t.obj('groups.allStaff').dn);
    expect(allStaff.links.member.map(normalizeDn)).toEqual(
      expect.arrayContaining([normalizeDn(contactDn), normalizeDn(sales)]),
    );
    expect((await failure(ad.addLinkValue(t.obj('groups.allStaff').dn, 'noSuchLink', contactDn))).code).toBe(
      'AD_ATTRIBUTE_NOT_IN_SCHEMA',
    );
  });

  it("sends writes to the domain controller of the object's domain", async () => {
    const routed = t.ad({
      domainControllers: { [t.env.baseDn.toLowerCase()]: t.env.startTlsUrl },
      startTls: true,
    });
    const dn = t.obj('groups.execs').dn;
    expect(routed.connection.serverUrlFor(dn)).toBe(t.env.startTlsUrl);
    expect(routed.connection.serverUrlFor(dn, { gc: true })).toBe(t.env.startTlsUrl);
    await routed.modifyAttributes(dn, [
      { operation: 'replace', attribute: 'extensionAttribute7', values: ['routed'] },
    ]);
    expect((await ad.readGroup(dn)).settings.extensionAttributes[7]).toBe('routed');
    // Prove the route: the same write fails when the domain's DC is unreachable, while the default DC is fine.
    const broken = t.ad({ domainControllers: { [t.env.baseDn]: `ldaps://${t.env.host}:1` } });
    expect(await broken.defaultNamingContext()).toBe(t.env.baseDn);
    expect(
      (
        await failure(
          broken.connection.modify(dn, [
            { operation: 'replace', attribute: 'extensionAttribute7', values: ['x'] },
          ]),
        )
      ).code,
    ).toBe('AD_UNREACHABLE');
  });
});
