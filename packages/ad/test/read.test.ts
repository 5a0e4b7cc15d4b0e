// Reading: find by address (mail, any smtp: proxy, case-insensitive) with distinct errors, the typed
// group read (every link ranged, settings, Send-As from the SD), hostile names, schema facts, paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActiveDirectory, BACK_LINKS, FORWARD_LINKS, normalizeDn } from '../src/index.js';
import {
  ACCESS_MASK,
  ACE_TYPE,
  type Ace,
  encodeSecurityDescriptor,
  MODERN_SCHEMA_VERSION,
  parseSecurityDescriptor,
  readSchemaVersion,
  SdFlagsControl,
  SEND_AS_RIGHT,
} from '../src/testing.js';
import { failure, openLab, type TestLab } from './helpers.js';

let t: TestLab;
let ad: ActiveDirectory;

const ORPHAN_SID = 'S-1-5-21-1111111111-2222222222-3333333333-4444';

async function addAces(dn: string, aces: Ace[]): Promise<void> {
  const entry = await ad.connection.read(dn, {
    attributes: ['nTSecurityDescriptor'],
    controls: [new SdFlagsControl()],
  });
  const sd = parseSecurityDescriptor(entry?.buffer('nTSecurityDescriptor') as Buffer);
  // Deny ACEs first, as Windows orders them.
  const denies = aces.filter((a) => a.type === ACE_TYPE.ACCESS_DENIED);
  const allows = aces.filter((a) => a.type !== ACE_TYPE.ACCESS_DENIED);
  sd.dacl = [...denies, ...(sd.dacl ?? []), ...allows];
  await ad.connection.modify(
    dn,
    [{ operation: 'replace', attribute: 'nTSecurityDescriptor', values: [encodeSecurityDescriptor(sd)] }],
    [new SdFlagsControl()],
  );
}

const norm = (dns: string[] | undefined) => (dns ?? []).map(normalizeDn).sort();

beforeAll(async () => {
  t = await openLab();
  await t.lab.reset();
  ad = t.ad({ rangeSize: 1000, pageSize: 100 });
  const send = (sid: string): Ace => ({
    type: ACE_TYPE.ACCESS_ALLOWED_OBJECT,
    flags: 0,
    mask: ACCESS_MASK.CONTROL_ACCESS,
    sid,
    objectType: SEND_AS_RIGHT,
  });
  await addAces(t.obj('groups.sales').dn, [
    send(t.obj('users.alice').objectSid as string),
    send(t.obj('groups.salesAdmins').objectSid as string),
    send('S-1-5-10'),
    send('S-1-5-18'),
    send(ORPHAN_SID),
  ]);
  await addAces(t.obj('groups.hidden').dn, [
    {
      type: ACE_TYPE.ACCESS_DENIED,
      flags: 0,
      mask: ACCESS_MASK.DELETE | ACCESS_MASK.DELETE_TREE,
      sid: 'S-1-1-0',
    },
  ]);
});

afterAll(async () => {
  await t?.close();
  await t?.lab.reset();
});

describe('find a group by address', () => {
  it.each([
    'sales@contoso.com',
    'SALES@CONTOSO.COM',
    'vertrieb@contoso.com',
    'smtp:Sales-Team@Contoso.com',
    'sales@contoso.mail.onmicrosoft.com',
  ])('finds groups.sales by %s', async (address) => {
    const g = await ad.findGroupByAddress(address);
    expect(g.dn).toBe(t.obj('groups.sales').dn);
  });

  it('not found → AD_GROUP_NOT_FOUND', async () => {
    expect((await failure(ad.findGroupByAddress('nobody@contoso.com'))).code).toBe('AD_GROUP_NOT_FOUND');
  });

  it('a user → AD_NOT_A_GROUP', async () => {
    const e = await failure(ad.findGroupByAddress('alice@contoso.com'));
    expect(e.code).toBe('AD_NOT_A_GROUP');
    expect(e.details.dn).toBe(t.obj('users.alice').dn);
  });

  it('protected from accidental deletion → AD_GROUP_PROTECTED (unless allowed, then flagged)', async () => {
    expect((await failure(ad.findGroupByAddress('hidden-approvals@contoso.com'))).code).toBe(
      'AD_GROUP_PROTECTED',
    );
    const g = await ad.findGroupByAddress('hidden-approvals@contoso.com', { allowProtected: true });
    expect(g.protectedFromAccidentalDeletion).toBe(true);
    expect((await ad.readGroup(t.obj('groups.sales').dn)).protectedFromAccidentalDeletion).toBe(false);
  });

  it('several objects with the address → AD_GROUP_AMBIGUOUS listing every DN', async () => {
    const dup = `CN=Duplicate Sales,${t.obj('ous.contacts').dn}`;
    await ad.connection.add(dup, {
      objectClass: ['top', 'person', 'organizationalPerson', 'contact'],
      mail: ['dup@fabrikam.example'],
      proxyAddresses: ['smtp:SALES@contoso.com'],
    });
    try {
      const e = await failure(ad.findGroupByAddress('sales@contoso.com'));
      expect(e.code).toBe('AD_GROUP_AMBIGUOUS');
      expect(norm(e.details.dns)).toEqual(norm([dup, t.obj('groups.sales').dn]));
      expect(e.message).toContain('Duplicate Sales');
      expect((await ad.findByAddress('sales@contoso.com')).length).toBe(2);
    } finally {
      await ad.deleteObject(dup);
    }
  });

  it('finds objects by objectGUID with a binary filter (hostile names included), and nothing for an unknown GUID', async () => {
    for (const key of ['groups.unicode', 'groups.salesWest', 'users.obrien']) {
      const o = t.obj(key);
      expect(await ad.findByGuid(o.objectGUID)).toEqual({
        dn: o.dn,
        objectGuid: o.objectGUID,
        objectClass: key.startsWith('users') ? 'user' : 'group',
        isGroup: !key.startsWith('users'),
      });
    }
    expect(await ad.findByGuid('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBeUndefined();
    expect(await t.ad({ gcUrl: t.env.gcUrl }).findByGuid(t.obj('groups.sales').objectGUID)).toMatchObject({
      dn: t.obj('groups.sales').dn,
    });
  });

  it('refuses input that is not an address before searching', async () => {
    expect((await failure(ad.findGroupByAddress('*)(mail=*'))).code).toBe('AD_INVALID_OPTIONS');
  });
});

describe('the typed group read', () => {
  it('reads groups.sales completely, as seeded', async () => {
    const seeded = t.obj('groups.sales');
    const g = await ad.readGroup(seeded.dn);
    expect(g.objectGuid).toBe(seeded.objectGUID);
    expect(g.objectSid).toBe(seeded.objectSid);
    expect(g.cn).toBe('Sales');
    expect(g.name).toBe('Sales');
    expect(g.displayName).toBe('Sales Team');
    expect(g.sAMAccountName).toBe(seeded.samAccountName);
    expect(g.mail).toBe('sales@contoso.com');
    expect(g.mailNickname).toBe('sales');
    expect(g.legacyExchangeDN).toBe(seeded.attributes.legacyExchangeDN?.[0]);
    expect(g.externalDirectoryObjectId).toBe(seeded.attributes['msDS-ExternalDirectoryObjectId']?.[0]);
    expect(g.groupType).toEqual({ raw: 8, scope: 'universal', security: false });
    expect(g.recipientTypeDetails).toBe(256);
    expect(g.recipientDisplayType).toBe(1);
    expect(g.parentDn).toBe(t.obj('ous.groups').dn);
    const primary = g.proxyAddresses.filter((p) => p.primary && p.prefix.toLowerCase() === 'smtp');
    expect(primary).toEqual([
      { prefix: 'SMTP', primary: true, address: 'sales@contoso.com', raw: 'SMTP:sales@contoso.com' },
    ]);
    expect(g.proxyAddresses.map((p) => p.raw).sort()).toEqual(
      [...(seeded.attributes.proxyAddresses ?? [])].sort(),
    );
    for (const link of FORWARD_LINKS) expect(norm(g.links[link]), link).toEqual(norm(seeded.links[link]));
    expect(g.settings).toMatchObject({
      hiddenFromAddressLists: false,
      requireAuthToSendTo: true,
      reportToOriginator: true,
      reportToOwner: false,
      oofReplyToOriginator: true,
      enableModeration: true,
      moderationFlags: 6,
      joinRestriction: 1,
      departRestriction: 1,
    });
    expect(g.settings.senderHintTranslations[0]).toMatch(/^default:/);
    for (let i = 1; i <= 15; i++) expect(g.settings.extensionAttributes[i]).toBe(`sales-ext${i}`);
    expect(g.settings.extensionCustomAttributes[1]?.sort()).toEqual(['region:apac', 'region:emea']);
    expect(g.settings.extensionCustomAttributes[5]?.sort()).toEqual(['c5-a', 'c5-b']);
    expect(g.marker).toBeUndefined();
    expect(g.raw.mail).toEqual(['sales@contoso.com']);
    expect(Buffer.from(g.raw.objectGUID?.[0] ?? '', 'base64')).toHaveLength(16);
  });

  it('reads every back link, including managedObjects and the Exchange BLs', async () => {
    const g = await ad.readGroup(t.obj('groups.sales').dn);
    expect(norm(g.backLinks.memberOf)).toEqual(norm([t.obj('groups.allStaff').dn]));
    expect(norm(g.backLinks.altRecipientBL)).toEqual(norm([t.obj('users.grace').dn]));
    expect(norm(g.backLinks.authOrigBL)).toEqual(norm([t.obj('groups.board').dn]));
    expect(norm(g.backLinks.dLMemSubmitPermsBL)).toEqual(
      norm([t.obj('groups.board').dn, t.obj('users.mallory').dn]),
    );
    expect(norm(g.backLinks.unauthOrigBL)).toEqual(norm([t.obj('groups.partners').dn]));
    expect(norm(g.backLinks.dLMemRejectPermsBL)).toEqual(norm([t.obj('groups.partners').dn]));
    expect(norm(g.backLinks.msExchBypassModerationFromDLMembersBL)).toEqual(norm([t.obj('groups.board').dn]));
    for (const bl of BACK_LINKS) expect(Array.isArray(g.backLinks[bl])).toBe(true);
    const alice = await ad.connection.read(t.obj('users.alice').dn, {
      attributes: ['managedObjects'],
      ranged: ['managedObjects'],
    });
    expect(alice?.strings('managedObjects').map(normalizeDn)).toContain(
      normalizeDn(t.obj('groups.sales').dn),
    );
  });

  it('reads Send-As from the DACL: resolves by SID, SELF is the group, skips NT AUTHORITY and orphans', async () => {
    const g = await ad.readGroup(t.obj('groups.sales').dn);
    expect(norm(g.sendAs.map((s) => s.dn))).toEqual(
      norm([t.obj('users.alice').dn, t.obj('groups.salesAdmins').dn, g.dn]),
    );
    expect(g.sendAs.find((s) => s.self)?.sid).toBe('S-1-5-10');
    expect(g.skippedSendAs).toEqual([
      { sid: 'S-1-5-18', reason: 'well-known' },
      { sid: ORPHAN_SID, reason: 'orphaned' },
    ]);
  });

  it('reads a 3,001-member group with ranges of 1,000 (plain full reads are accepted too)', async () => {
    ad.connection.resetCounts();
    const g = await ad.readGroup(t.obj('groups.big').dn);
    expect(g.links.member).toHaveLength(3001);
    expect(new Set(g.links.member.map(normalizeDn)).size).toBe(3001);
    expect(ad.counts.rangedReads).toBe(3);
    const plain = await ad.connection.read(t.obj('groups.big').dn, { attributes: ['member'] });
    expect(plain?.strings('member')).toHaveLength(3001);
  });

  it('pages searches (page size 100 over 3,000 entries)', async () => {
    ad.connection.resetCounts();
    const entries = await ad.connection.search(t.obj('ous.bulk').dn, { scope: 'one', attributes: ['mail'] });
    expect(entries).toHaveLength(3000);
    expect(ad.counts.extraPages).toBeGreaterThanOrEqual(29);
  });

  it.each([
    'groups.obrienTeam',
    'groups.salesWest',
    'groups.slashes',
    'groups.unicode',
    'groups.long64',
    'groups.research',
  ])('handles the hostile name of %s', async (key) => {
    const seeded = t.obj(key);
    const g = await ad.findGroupByAddress(seeded.mail as string);
    expect(g.dn).toBe(seeded.dn);
    expect(g.objectGuid).toBe(seeded.objectGUID);
    expect(normalizeDn((await ad.readGroup(seeded.dn)).dn)).toBe(normalizeDn(seeded.dn));
    const resolved = await ad.resolveRecipients([seeded.dn]);
    expect(resolved.missing).toEqual([]);
    expect([...resolved.recipients.values()][0]?.objectGuid).toBe(seeded.objectGUID);
  });

  it('decodes a security group and a room list', async () => {
    const execs = await ad.readGroup(t.obj('groups.execs').dn);
    expect(execs.groupType).toEqual({ raw: -2147483640, scope: 'universal', security: true });
    expect((await ad.readGroup(t.obj('groups.roomList').dn)).recipientTypeDetails).toBe(268435456);
    expect((await failure(ad.readGroup(t.obj('users.alice').dn))).code).toBe('AD_NOT_A_GROUP');
    expect((await failure(ad.readGroup(`CN=Gone,${t.env.baseDn}`))).code).toBe('AD_NO_SUCH_OBJECT');
  });
});

describe('Exchange schema facts', () => {
  it('reads the Exchange schema version and which attributes exist', async () => {
    const s = await ad.schema();
    const schemaNc = (await ad.connection.rootDse()).string('schemaNamingContext') as string;
    const marker = await ad.connection.read(`CN=ms-Exch-Schema-Version-Pt,${schemaNc}`, {
      attributes: ['rangeUpper'],
    });
    expect(s.version).toBe(marker?.number('rangeUpper'));
    expect(s.modern).toBe((marker?.number('rangeUpper') ?? 0) >= MODERN_SCHEMA_VERSION);
    expect(s.hasAttribute('msExchCoManagedByLink')).toBe(true);
    expect(s.hasAttribute('MSEXCHCOMANAGEDBYLINK')).toBe(true);
    expect(s.hasAttribute('msExchGroupSecurityFlags')).toBe(false);
    expect(s.hasDynamicDistributionListClass).toBe(true);
    expect(await s.present(['mail', 'noSuchAttributeAnywhere', 'department'])).toEqual([
      'mail',
      'department',
    ]);
  });

  it("reports 'unknown' without failing where Exchange never extended the schema", async () => {
    const configurationNc = (await ad.connection.rootDse()).string('configurationNamingContext') as string;
    expect(await readSchemaVersion(ad.connection, configurationNc)).toBe('unknown');
  });
});
