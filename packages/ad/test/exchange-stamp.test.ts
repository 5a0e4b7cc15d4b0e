// The routing contact and the hybrid dynamic DL carry exactly what Exchange would stamp on the recipients it creates
// (New-MailContact + Update-Recipient; New-DynamicDistributionGroup) — every attribute, pinned against the lab's
// Exchange schema. The list and each value's source: this package's README, "Objects created".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActiveDirectory, recipientsContainerOf, routingContactNames } from '../src/index.js';
import { DYNAMIC_DL_EXCHANGE_VERSION, MAIL_CONTACT_EXCHANGE_VERSION, sidToString } from '../src/testing.js';
import { openLab, type TestLab } from './helpers.js';

let t: TestLab;
let ad: ActiveDirectory;

beforeAll(async () => {
  t = await openLab();
  await t.lab.reset();
  ad = t.ad();
});
afterAll(async () => {
  await t?.close();
  await t?.lab.reset();
});

/** What the directory keeps on its own for every object, whoever creates it. */
const DIRECTORY_BOOKKEEPING = new Set(
  [
    'distinguishedName',
    'name',
    'objectGUID',
    'objectCategory',
    'instanceType',
    'whenCreated',
    'whenChanged',
    'uSNCreated',
    'uSNChanged',
    'dSCorePropagationData',
  ].map((a) => a.toLowerCase()),
);

async function stamped(dn: string): Promise<Record<string, string[]>> {
  const entry = await ad.connection.read(dn, { attributes: ['*'], binary: ['msExchMasterAccountSid'] });
  const raw = entry!.raw();
  return Object.fromEntries(
    Object.entries(raw).filter(([name]) => !DIRECTORY_BOOKKEEPING.has(name.toLowerCase())),
  );
}

const ORG =
  /^\/o=Contoso\/ou=Exchange Administrative Group \(FYDIBOHF23SPDLT\)\/cn=Recipients\/cn=[0-9a-f]{32}-/;

describe('objects dlmigrate creates carry what Exchange stamps', () => {
  it('the routing contact: a hidden mail contact with its own legacyExchangeDN and Exchange version', async () => {
    const group = await ad.readGroup(t.obj('groups.salesWest').dn);
    const container = recipientsContainerOf(group.legacyExchangeDN);
    expect(container).toBe('/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients');
    const names = routingContactNames({
      cn: group.cn,
      mail: group.mail!,
      ...(group.displayName ? { displayName: group.displayName } : {}),
      ...(group.mailNickname ? { mailNickname: group.mailNickname } : {}),
    });
    const created = await ad.createRoutingContact({
      parentDn: group.parentDn,
      ...names,
      targetAddress: 'SMTP:SALES-WEST@CONTOSO.MAIL.ONMICROSOFT.COM',
      cloudId: '6f1c2d3e-0000-4000-8000-000000000001',
      givenName: group.name,
      legacyExchangeDnContainer: container!,
    });
    expect(created.skippedAttributes).toEqual([]);
    const a = await stamped(created.dn);
    expect(Object.keys(a).sort()).toEqual(
      [
        'cn',
        'description',
        'displayName',
        'extensionAttribute1',
        'extensionAttribute2',
        'givenName',
        'legacyExchangeDN',
        'mail',
        'mailNickname',
        'msExchHideFromAddressLists',
        'msExchMasterAccountSid',
        'msExchPoliciesExcluded',
        'msExchRecipientDisplayType',
        'msExchRecipientTypeDetails',
        'msExchVersion',
        'objectClass',
        'proxyAddresses',
        'sn',
        'targetAddress',
      ].sort(),
    );
    expect(a.objectClass).toEqual(['top', 'person', 'organizationalPerson', 'contact']);
    expect(a.legacyExchangeDN![0]).toMatch(new RegExp(`${ORG.source}${names.mailNickname}$`));
    expect(a.legacyExchangeDN![0]).not.toBe(group.legacyExchangeDN);
    // 0.10 (14.0.100.0), as src/exchange-stamp.ts explains (not 0.20, the version of Exchange 2013+ mailboxes).
    expect(a.msExchVersion).toEqual([MAIL_CONTACT_EXCHANGE_VERSION]);
    expect(MAIL_CONTACT_EXCHANGE_VERSION).toBe('44220983382016');
    expect(a.msExchRecipientDisplayType).toEqual(['6']);
    expect(a.msExchRecipientTypeDetails).toEqual(['64']);
    expect(a.msExchHideFromAddressLists).toEqual(['TRUE']);
    expect(a.msExchPoliciesExcluded).toEqual(['{26491cfc-9e50-4857-861b-0cb8df22b5d7}']);
    expect(sidToString(Buffer.from(a.msExchMasterAccountSid![0]!, 'base64'))).toBe('S-1-5-10');
    expect(a.targetAddress).toEqual(['SMTP:SALES-WEST@CONTOSO.MAIL.ONMICROSOFT.COM']);
    expect(a.proxyAddresses).toEqual([`SMTP:${names.mail}`]);
    expect(a.mail).toEqual([names.mail]);
    expect(a.mailNickname).toEqual([names.mailNickname]);
  });

  it('the hybrid dynamic DL: its own legacyExchangeDN, the original address lists and settings, policies off', async () => {
    const group = await ad.readGroup(t.obj('groups.board').dn);
    // Stand-ins for the address lists the original showed in (showInAddressBook holds DNs of existing objects).
    const lists = [t.obj('ous.contacts').dn, t.obj('ous.groups').dn];
    await ad.modifyAttributes(group.dn, [
      { operation: 'replace', attribute: 'showInAddressBook', values: lists },
    ]);
    const original = await ad.readGroup(group.dn);
    expect(original.showInAddressBook).toEqual(lists);
    const parked = await ad.moveObject(original.dn, t.obj('ous.nonSync').dn);
    await ad.deleteObject(parked);
    const created = await ad.createHybridDynamicGroup({
      parentDn: original.parentDn,
      cn: original.cn,
      displayName: original.displayName ?? original.cn,
      mailNickname: original.mailNickname!,
      mail: original.mail!,
      proxyAddresses: original.proxyAddresses.map((p) => p.raw),
      legacyExchangeDN: original.legacyExchangeDN!,
      cloudId: '6f1c2d3e-0000-4000-8000-000000000002',
      routingAddress: 'board@contoso.mail.onmicrosoft.com',
      requireAuthToSendTo: true,
      hiddenFromAddressLists: false,
      legacyExchangeDnContainer: recipientsContainerOf(original.legacyExchangeDN)!,
      showInAddressBook: original.showInAddressBook!,
      reportToOriginator: true,
      reportToOwner: false,
    });
    expect(created.skippedAttributes).toEqual([]);
    const a = await stamped(created.dn);
    expect(Object.keys(a).sort()).toEqual(
      [
        'cn',
        'displayName',
        'legacyExchangeDN',
        'mail',
        'mailNickname',
        'msExchDynamicDLBaseDN',
        'msExchDynamicDLFilter',
        'msExchHideFromAddressLists',
        'msExchModerationFlags',
        'msExchPoliciesExcluded',
        'msExchQueryFilter',
        'msExchRecipientDisplayType',
        'msExchRecipientTypeDetails',
        'msExchRequireAuthToSendTo',
        'msExchVersion',
        'objectClass',
        'proxyAddresses',
        'reportToOriginator',
        'reportToOwner',
        'showInAddressBook',
      ].sort(),
    );
    expect(a.objectClass).toEqual(['top', 'msExchDynamicDistributionList']);
    expect(a.legacyExchangeDN![0]).toMatch(new RegExp(`${ORG.source}${original.mailNickname}$`));
    expect(a.proxyAddresses).toContain(`X500:${original.legacyExchangeDN}`);
    expect(a.msExchVersion).toEqual([DYNAMIC_DL_EXCHANGE_VERSION]);
    expect(DYNAMIC_DL_EXCHANGE_VERSION).toBe('44220983382016');
    expect(a.msExchRecipientDisplayType).toEqual(['3']);
    expect(a.msExchRecipientTypeDetails).toEqual(['8']);
    expect(a.msExchModerationFlags).toEqual(['6']);
    expect(a.msExchRequireAuthToSendTo).toEqual(['TRUE']);
    expect(a.msExchHideFromAddressLists).toEqual(['FALSE']);
    expect(a.reportToOriginator).toEqual(['TRUE']);
    expect(a.reportToOwner).toEqual(['FALSE']);
    expect([...a.showInAddressBook!].sort()).toEqual([...lists].sort());
    expect(a.msExchPoliciesExcluded).toEqual(['{26491cfc-9e50-4857-861b-0cb8df22b5d7}']);
  });

  it('a hidden dynamic DL shows in no address list, and a forest without legacyExchangeDNs gets none', async () => {
    const created = await ad.createHybridDynamicGroup({
      parentDn: t.obj('ous.contacts').dn,
      cn: 'Hidden Hybrid',
      displayName: 'Hidden Hybrid',
      mailNickname: 'hidden-hybrid',
      mail: 'hidden-hybrid@contoso.com',
      proxyAddresses: [],
      cloudId: '6f1c2d3e-0000-4000-8000-000000000003',
      hiddenFromAddressLists: true,
      showInAddressBook: [t.obj('ous.contacts').dn],
    });
    const a = await stamped(created.dn);
    expect(a.showInAddressBook).toBeUndefined();
    expect(a.legacyExchangeDN).toBeUndefined();
    expect(a.msExchHideFromAddressLists).toEqual(['TRUE']);
    expect(recipientsContainerOf(undefined)).toBeUndefined();
    expect(recipientsContainerOf('/o=Contoso/cn=board')).toBeUndefined();
  });
});
