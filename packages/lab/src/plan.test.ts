import { describe, expect, it } from 'vitest';
import { generatedKeys, type Fixture } from './fixture.js';
import { BULK_USER_COUNT, contoso } from './fixtures/contoso.js';
import { buildSeedPlan } from './plan.js';
import { RECIPIENT_DISPLAY_TYPE, RECIPIENT_TYPE_DETAILS } from './recipients.js';

const BASE = 'DC=lab,DC=test';
const plan = buildSeedPlan(contoso, BASE);
const get = (key: string) => {
  const o = plan.byKey.get(key);
  if (!o) throw new Error(`no ${key}`);
  return o;
};

function tiny(overrides: Partial<Fixture> = {}): Fixture {
  return {
    name: 'tiny',
    version: 1,
    mailDomain: 'tiny.example',
    routingDomain: 'tiny.mail.onmicrosoft.com',
    externalDomain: 'ext.example',
    exchangeOrganization: 'Tiny',
    ous: [{ key: 'ous.root', name: 'Root', synced: true }],
    users: [{ key: 'users.a', ou: 'ous.root', kind: 'mailbox', cn: 'A', alias: 'a' }],
    contacts: [],
    groups: [],
    dynamicGroups: [],
    generated: [],
    ...overrides,
  };
}

describe('the contoso plan', () => {
  it('creates OUs before anything inside them, parents first', () => {
    const position = new Map(plan.objects.map((o, i) => [o.dn.toLowerCase(), i]));
    for (const [i, o] of plan.objects.entries()) {
      const parent = o.dn.slice(o.dn.search(/(?<!\\),/) + 1).toLowerCase();
      if (parent !== BASE.toLowerCase()) expect(position.get(parent), o.key).toBeLessThan(i);
    }
  });

  it('escapes hostile names in DNs', () => {
    expect(get('groups.salesWest').dn).toBe('CN=\\#Sales\\, West,OU=Groups,OU=Contoso,DC=lab,DC=test');
    expect(get('groups.slashes').dn).toBe('CN=A/B\\+C\\\\D,OU=Groups,OU=Contoso,DC=lab,DC=test');
    expect(get('groups.research').dn).toBe('CN=Research,OU=Zürich\\, R&D,OU=Contoso,DC=lab,DC=test');
  });

  it('stamps recipients the way Exchange does', () => {
    const alice = get('users.alice').attributes;
    expect(alice.msExchRecipientTypeDetails).toEqual([String(RECIPIENT_TYPE_DETAILS.UserMailbox)]);
    expect(alice.msExchRecipientDisplayType).toEqual([String(RECIPIENT_DISPLAY_TYPE.ACLableMailboxUser)]);
    expect(alice.proxyAddresses).toEqual([
      'SMTP:alice@contoso.com',
      'smtp:alice@contoso.mail.onmicrosoft.com',
    ]);
    expect(alice.legacyExchangeDN?.[0]).toMatch(
      /^\/o=Contoso\/ou=Exchange Administrative Group \(FYDIBOHF23SPDLT\)\/cn=Recipients\/cn=[0-9a-f]{32}-alice$/,
    );
    expect(alice['msDS-ExternalDirectoryObjectId']?.[0]).toMatch(/^User_[0-9a-f-]{36}$/);

    const carol = get('users.carol').attributes;
    expect(carol.targetAddress).toEqual(['SMTP:carol@contoso.mail.onmicrosoft.com']);
    expect(carol.msExchRecipientTypeDetails).toEqual(['2147483648']);

    const sales = get('groups.sales').attributes;
    expect(sales.groupType).toEqual(['8']);
    expect(sales.msExchRecipientTypeDetails).toEqual(['256']);
    expect(sales.proxyAddresses?.[0]).toBe('SMTP:sales@contoso.com');
    expect(sales.proxyAddresses).toContain(
      'X500:/o=Contoso/ou=First Administrative Group/cn=Recipients/cn=sales',
    );
    expect(sales.msExchRequireAuthToSendTo).toEqual(['TRUE']);
    expect(sales['msDS-ExternalDirectoryObjectId']?.[0]).toMatch(/^Group_/);

    expect(get('groups.execs').attributes.groupType).toEqual(['-2147483640']);
    expect(get('groups.roomList').attributes.msExchRecipientTypeDetails).toEqual(['268435456']);
    expect(get('dynamicGroups.salesPeople').attributes.msExchRecipientDisplayType).toEqual(['3']);
    expect(get('contacts.vendor').attributes).toEqual({
      cn: ['Vera Vendor'],
      displayName: ['Vera Vendor'],
      mail: ['vera@vendor.example'],
    });
    expect(get('users.frank').attributes.mail).toBeUndefined();
    // outside the synced tree: no routing address and no cloud id
    expect(get('users.nonSync').attributes.proxyAddresses).toEqual(['SMTP:nina@contoso.com']);
    expect(get('users.nonSync').attributes['msDS-ExternalDirectoryObjectId']).toBeUndefined();
  });

  it('is deterministic: the same fixture always gives the same values', () => {
    expect(buildSeedPlan(contoso, BASE).objects).toEqual(plan.objects);
  });

  it('expands generated sets and keeps sAMAccountNames unique and short', () => {
    expect(get('groups.big').links.member).toHaveLength(BULK_USER_COUNT + 1);
    expect(get('groups.big').links.member?.[0]).toBe('bulk.users.0001');
    const sams = plan.objects.flatMap((o) => o.attributes.sAMAccountName ?? []);
    expect(new Set(sams.map((s) => s.toLowerCase())).size).toBe(sams.length);
    expect(sams.every((s) => s.length <= 20 && /^[A-Za-z0-9._-]+$/.test(s))).toBe(true);
  });

  it('gives every object a documented kind and every mail-enabled recipient a unique address', () => {
    const mails = plan.objects.flatMap((o) => (o.mail ? [o.mail.toLowerCase()] : []));
    expect(new Set(mails).size).toBe(mails.length);
  });
});

describe('fixture mistakes are reported clearly', () => {
  it('an unknown link target', () => {
    const f = tiny({
      groups: [
        {
          key: 'groups.g',
          ou: 'ous.root',
          kind: 'distribution',
          cn: 'G',
          alias: 'g',
          links: { member: ['users.nobody'] },
        },
      ],
    });
    expect(() => buildSeedPlan(f, BASE)).toThrow(/groups\.g\.member names an unknown object users\.nobody/);
  });

  it('an unknown OU, a duplicate key, a missing alias', () => {
    expect(() =>
      buildSeedPlan(tiny({ users: [{ key: 'users.a', ou: 'ous.none', kind: 'user', cn: 'A' }] }), BASE),
    ).toThrow(/unknown OU ous\.none/);
    const dup = tiny({ contacts: [{ key: 'users.a', ou: 'ous.root', kind: 'contact', cn: 'C' }] });
    expect(() => buildSeedPlan(dup, BASE)).toThrow(/duplicate key users\.a/);
    expect(() =>
      buildSeedPlan(tiny({ users: [{ key: 'users.b', ou: 'ous.root', kind: 'mailbox', cn: 'B' }] }), BASE),
    ).toThrow(/needs an alias/);
  });

  it('two values for a single-valued link, a link given as an attribute', () => {
    const two = tiny({
      users: [
        { key: 'users.a', ou: 'ous.root', kind: 'mailbox', cn: 'A', alias: 'a' },
        {
          key: 'users.b',
          ou: 'ous.root',
          kind: 'mailbox',
          cn: 'B',
          alias: 'b',
          links: { managedBy: ['users.a', 'users.a'] },
        },
      ],
    });
    expect(() => buildSeedPlan(two, BASE)).toThrow(/managedBy is single-valued/);
    const asAttr = tiny({
      users: [
        { key: 'users.a', ou: 'ous.root', kind: 'mailbox', cn: 'A', alias: 'a', attributes: { member: 'x' } },
      ],
    });
    expect(() => buildSeedPlan(asAttr, BASE)).toThrow(/put it in links/);
  });

  it('a cyclic or missing OU parent', () => {
    const f = tiny({
      ous: [
        { key: 'ous.a', name: 'A', parent: 'ous.b', synced: true },
        { key: 'ous.b', name: 'B', parent: 'ous.a', synced: true },
      ],
      users: [],
    });
    expect(() => buildSeedPlan(f, BASE)).toThrow(/parent not found or cyclic/);
  });
});

describe('generatedKeys', () => {
  it('pads to at least four digits', () => {
    expect(
      generatedKeys({ key: 'x', ou: 'o', count: 2, kind: 'user', cnPrefix: 'X', aliasPrefix: 'x' }),
    ).toEqual(['x.0001', 'x.0002']);
  });
});
