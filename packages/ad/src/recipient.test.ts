import { describe, expect, it } from 'vitest';
import {
  classifyRecipient,
  decodeGroupType,
  encodeGroupType,
  parseProxyAddress,
  structuralClass,
} from './recipient.js';
import {
  normalizeSmtpAddress,
  retainedName,
  retainedSamAccountName,
  routingContactNames,
  withSuffix,
} from './naming.js';

const user = ['top', 'person', 'organizationalPerson', 'user'];
const contact = ['top', 'person', 'organizationalPerson', 'contact'];
const group = ['top', 'group'];

describe('decoders', () => {
  it('parses proxy addresses with their primary flag', () => {
    expect(parseProxyAddress('SMTP:Sales@contoso.com')).toEqual({
      prefix: 'SMTP',
      primary: true,
      address: 'Sales@contoso.com',
      raw: 'SMTP:Sales@contoso.com',
    });
    expect(parseProxyAddress('smtp:a@b.c').primary).toBe(false);
    expect(parseProxyAddress('X500:/o=Contoso/cn=x:y').address).toBe('/o=Contoso/cn=x:y');
    expect(parseProxyAddress('nocolon').prefix).toBe('');
  });

  it('decodes every groupType docs/reference-behaviour.md#capture lists', () => {
    expect(decodeGroupType(-2147483640)).toEqual({ raw: -2147483640, scope: 'universal', security: true });
    expect(decodeGroupType('-2147483646')).toEqual({ raw: -2147483646, scope: 'global', security: true });
    expect(decodeGroupType(-2147483644).scope).toBe('domainLocal');
    expect(decodeGroupType(8)).toEqual({ raw: 8, scope: 'universal', security: false });
    expect(decodeGroupType(2).scope).toBe('global');
    expect(decodeGroupType(4).scope).toBe('domainLocal');
    expect(encodeGroupType('universal', true)).toBe(-2147483640);
    expect(encodeGroupType('global', false)).toBe(2);
  });

  it('picks the structural class', () => {
    expect(structuralClass([...user, 'computer'])).toBe('computer');
    expect(structuralClass(['top', 'msExchDynamicDistributionList'])).toBe('msExchDynamicDistributionList');
    expect(structuralClass(contact)).toBe('contact');
  });
});

describe('classification (docs/reference-behaviour.md#recipient-classes, first match wins)', () => {
  const cases: [string, Parameters<typeof classifyRecipient>[0], string, string | undefined][] = [
    [
      'dynamic DL by display type',
      { objectClasses: ['top', 'msExchDynamicDistributionList'], mail: 'd@x.y', recipientDisplayType: 3 },
      'dynamic-dl',
      'd@x.y',
    ],
    [
      'mailbox',
      { objectClasses: user, mail: 'a@x.y', recipientDisplayType: 1073741824, recipientTypeDetails: 1 },
      'mailbox',
      'a@x.y',
    ],
    [
      'remote mailbox',
      {
        objectClasses: user,
        mail: 'c@x.y',
        recipientDisplayType: -2147483642,
        recipientTypeDetails: 2147483648,
        targetAddress: 'SMTP:c@t.mail.onmicrosoft.com',
      },
      'mailbox',
      'c@x.y',
    ],
    [
      'mail user',
      {
        objectClasses: user,
        mail: 'e@x.y',
        recipientDisplayType: 6,
        recipientTypeDetails: 128,
        targetAddress: 'SMTP:e@ext',
      },
      'mail-user',
      'e@x.y',
    ],
    [
      'mail contact',
      { objectClasses: contact, mail: 'p@f.example', recipientDisplayType: 6, recipientTypeDetails: 64 },
      'mail-contact',
      'p@f.example',
    ],
    [
      'mail-only contact',
      { objectClasses: contact, mail: 'v@v.example' },
      'mail-only-contact',
      'v@v.example',
    ],
    ['contact without mail', { objectClasses: contact }, 'other', undefined],
    [
      'plain user by UPN',
      { objectClasses: user, userPrincipalName: 'frank@lab.test' },
      'user',
      'frank@lab.test',
    ],
    [
      'routing contact',
      {
        objectClasses: contact,
        mail: 'l@t',
        recipientDisplayType: 6,
        extensionAttribute1: 'MigratedByScript',
        extensionAttribute2: 'legacy@contoso.com',
      },
      'routing-contact',
      'legacy@contoso.com',
    ],
    [
      'retained group',
      {
        objectClasses: group,
        groupType: decodeGroupType(8),
        extensionAttribute1: 'migratedbyscript',
        extensionAttribute2: 'old@contoso.com',
      },
      'retained-group',
      'old@contoso.com',
    ],
    [
      'mail-enabled group',
      { objectClasses: group, mail: 'g@x.y', recipientDisplayType: 1, groupType: decodeGroupType(8) },
      'mail-enabled-group',
      'g@x.y',
    ],
    [
      'mail-only security group',
      { objectClasses: group, mail: 's@x.y', groupType: decodeGroupType(-2147483640) },
      'mail-only-security-group',
      's@x.y',
    ],
    [
      'mail-only distribution group',
      { objectClasses: group, mail: 'd@x.y', groupType: decodeGroupType(8) },
      'non-mail-group',
      undefined,
    ],
    [
      'non-mail group',
      { objectClasses: group, groupType: decodeGroupType(-2147483640) },
      'non-mail-group',
      undefined,
    ],
    ['computer', { objectClasses: [...user, 'computer'] }, 'other', undefined],
    ['FSP', { objectClasses: ['top', 'foreignSecurityPrincipal'] }, 'other', undefined],
  ];
  it.each(cases)('%s', (_name, facts, kind, lookup) => {
    const r = classifyRecipient(facts);
    expect(r.kind).toBe(kind);
    expect(r.lookupAddress).toBe(lookup);
  });
});

describe('names', () => {
  it('cuts a 64-character name to 63 before appending "!"', () => {
    const n64 = 'Quarterly Business Review Distribution List for the EMEA Region.';
    expect(n64).toHaveLength(64);
    expect(retainedName(n64)).toBe(n64.slice(0, 63) + '!');
    expect(retainedName('Sales')).toBe('Sales!');
    expect(retainedSamAccountName('Sales')).toBe('Sales!');
    expect(withSuffix('東京😀abc', '-x', 4)).toBe('東京-x');
  });

  it('builds routing contact names within 64 characters', () => {
    const r = routingContactNames({
      cn: 'Sales Team',
      displayName: 'Sales Team',
      mailNickname: 'sales',
      mail: 'first.last.team@contoso.com',
    });
    expect(r).toEqual({
      cn: 'SalesTeam-MigratedByScript',
      displayName: 'SalesTeam-MigratedByScript',
      mailNickname: 'sales-MigratedByScript',
      mail: 'first.last.team-MigratedByScript@contoso.com',
    });
    const long = routingContactNames({ cn: 'x'.repeat(64), mail: 'a@b.c' });
    expect(long.cn).toHaveLength(64);
    expect(long.cn.endsWith('-MigratedByScript')).toBe(true);
  });

  it('normalises SMTP input or refuses it', () => {
    expect(normalizeSmtpAddress(' smtp:Sales@Contoso.com ')).toBe('Sales@Contoso.com');
    expect(() => normalizeSmtpAddress('sales')).toThrow(/not an SMTP address/);
    expect(() => normalizeSmtpAddress('a*)(mail=*@x.y')).toThrow(/not an SMTP address/);
  });
});
