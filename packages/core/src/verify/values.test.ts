import type { AdRecipient } from '@dlmigrate/ad';
import type { DistributionGroupRecord, MemberRecord } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { snapshotMemberPage } from '../engine/member-pages.js';
import { emptyLinks, mailbox, snapshot } from '../engine/snapshot.test-support.js';
import { expectedCloudGroup, expectedMemberEntries, observedCloudGroup } from './expected.js';
import { MemberCheck } from './member-check.js';
import { compareValues, renderedValues, verificationSummary, type ExpectedValue } from './values.js';

const value = (attribute: string, v: string, forms = [v]): ExpectedValue => ({
  side: 'cloud',
  object: 'sales@contoso.com',
  attribute,
  value: v,
  forms,
});

describe('compareValues', () => {
  it('counts each distinct value once and reports each one not held, in any rendered form, case-insensitively', () => {
    const result = compareValues(
      [
        value('Members', 'ann@contoso.com', ['1111', 'ann@contoso.com']),
        value('Members', 'ANN@contoso.com', ['1111']),
        value('Members', 'bob@contoso.com', ['2222']),
        value('CustomAttribute1', 'x'),
      ],
      [
        { side: 'cloud', object: 'SALES@contoso.com', attribute: 'members', values: ['1111'] },
        { side: 'cloud', object: 'sales@contoso.com', attribute: 'CustomAttribute1', values: ['y'] },
      ],
    );
    expect(result.checked).toBe(3);
    expect(
      result.differences.map((d) => `${d.expected.attribute}=${d.expected.value} now ${d.observed.join()}`),
    ).toEqual(['Members=bob@contoso.com now 1111', 'CustomAttribute1=x now y']);
  });

  it('a value of an object or attribute that is gone is a difference, and the same value on another side is not a match', () => {
    const result = compareValues(
      [value('Members', 'ann'), { ...value('Members', 'ann'), side: 'on-premises' }],
      [{ side: 'cloud', object: 'sales@contoso.com', attribute: 'Members', values: ['ann'] }],
    );
    expect(result.differences.map((d) => d.expected.side)).toEqual(['on-premises']);
  });

  it('an attribute read whole reports each entry no expected value names as an extra; optional values are neither', () => {
    const result = compareValues(
      [
        value('Members', 'ann@contoso.com', ['1111', 'ann@contoso.com']),
        { ...value('ManagedBy', 'admin@contoso.com', ['Admin']), optional: true },
      ],
      [
        {
          side: 'cloud',
          object: 'sales@contoso.com',
          attribute: 'Members',
          values: ['1111', 'ann@contoso.com', '2222', 'eve@contoso.com'],
          entries: [
            { shown: 'ann@contoso.com', forms: ['1111', 'ann@contoso.com'] },
            { shown: 'eve@contoso.com', forms: ['2222', 'eve@contoso.com'] },
          ],
        },
        {
          side: 'cloud',
          object: 'sales@contoso.com',
          attribute: 'ManagedBy',
          values: ['Admin'],
          entries: [{ shown: 'Admin', forms: ['Admin'] }],
        },
      ],
    );
    expect(result.differences.map((d) => `${d.kind} ${d.expected.attribute} ${d.expected.value}`)).toEqual([
      'extra Members eve@contoso.com',
    ]);
    expect(result.checked).toBe(2);
  });

  it('compares a 20,000-member group read whole: one member lost and one never captured are the only differences', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => String(i));
    const expected = ids
      .filter((id) => id !== '7')
      .map((id) => value('Members', `m${id}@contoso.com`, [`ID-${id}`, `M${id}@contoso.com`]));
    const held = ids.filter((id) => id !== '19999');
    const result = compareValues(expected, [
      {
        side: 'cloud',
        object: 'sales@contoso.com',
        attribute: 'Members',
        values: held.flatMap((id) => [`id-${id}`, `m${id}@contoso.com`]),
        entries: held.map((id) => ({ shown: `m${id}@contoso.com`, forms: [`id-${id}`] })),
      },
    ]);
    expect(result.differences.map((d) => `${d.kind} ${d.expected.value}`)).toEqual([
      'missing m19999@contoso.com',
      'extra m7@contoso.com',
    ]);
    expect(result.checked).toBe(19_999 + 1);
  });

  it('a duplicate value is checked once and its other forms do not excuse an extra', () => {
    const result = compareValues(
      [value('Members', 'ann@contoso.com', ['1111']), value('Members', 'ANN@contoso.com', ['2222'])],
      [
        {
          side: 'cloud',
          object: 'sales@contoso.com',
          attribute: 'Members',
          values: ['1111', '2222'],
          entries: [
            { shown: 'ann@contoso.com', forms: ['1111'] },
            { shown: 'eve@contoso.com', forms: ['2222'] },
          ],
        },
      ],
    );
    expect(result.differences.map((d) => `${d.kind} ${d.expected.value}`)).toEqual(['extra eve@contoso.com']);
    expect(result.checked).toBe(2);
  });

  it('renders settings as the systems do and words the summary', () => {
    expect(renderedValues(true)).toEqual(['true']);
    expect(renderedValues(['a', 'b'])).toEqual(['a', 'b']);
    expect(renderedValues(undefined)).toEqual([]);
    expect(verificationSummary({ checked: 12, differences: 1 })).toBe('12 values checked, 1 difference');
    expect(verificationSummary({ checked: 12, differences: 0 })).toBe('12 values checked, 0 differences');
  });
});

describe('expected values of a recreated group', () => {
  const ann = mailbox('Ann', '1');
  const s = snapshot({
    group: {
      links: { ...emptyLinks, member: [ann.dn], managedBy: [ann.dn, 'CN=Sales,OU=Groups,DC=lab,DC=test'] },
    },
    recipients: [ann],
  });
  const facts = {
    label: 'sales@contoso.com',
    name: 'Sales',
    addresses: ['SMTP:sales@contoso.com', 'smtp:sales@contoso.mail.onmicrosoft.com'],
    primary: 'sales@contoso.com',
    cloudType: 'Distribution' as const,
    affixes: { prefix: '', suffix: '' },
    selfForms: ['sales@contoso.com', 'Sales', 'new-id'],
  };
  const expected = expectedCloudGroup(s, false, facts);
  const members = expectedMemberEntries(snapshotMemberPage(s, false)!, facts);
  /** The members compared with what a DL holds (verify/member-check.ts), as the verify step compares them. */
  const memberDifferences = (held: readonly MemberRecord[]) => {
    const check = new MemberCheck(facts.label, held);
    for (const m of members) check.expect(m);
    return check.result().differences;
  };

  it('lists members, owners (the group itself as the new DL), addresses, name and every mapped setting', () => {
    const of = (attribute: string) => expected.filter((e) => e.attribute === attribute).map((e) => e.value);
    expect(members.map((m) => m.value.value)).toEqual(['ann@contoso.com']);
    expect(of('Members')).toEqual([]);
    expect(of('ManagedBy')).toEqual(['ann@contoso.com', 'sales@contoso.com']);
    expect(of('EmailAddresses')).toEqual(facts.addresses);
    expect(of('Name')).toEqual(['Sales']);
    expect(of('MemberJoinRestriction')).toEqual(['Closed']);
    expect(of('HiddenFromAddressListsEnabled')).toHaveLength(1);
  });

  it('finds no difference in a DL that holds it all, and names what a DL lacks', () => {
    const dl = {
      name: 'Sales',
      primarySmtpAddress: 'sales@contoso.com',
      externalDirectoryObjectId: 'new-id',
      guid: 'g2',
      emailAddresses: facts.addresses,
      managedBy: ['Ann', 'Sales'],
      moderatedBy: [],
      acceptMessagesOnlyFromSendersOrMembers: [],
      rejectMessagesFromSendersOrMembers: [],
      bypassModerationFromSendersOrMembers: [],
      grantSendOnBehalfTo: [],
      settings: Object.fromEntries(
        expected
          .filter(
            (e) =>
              /^[A-Z]/.test(e.attribute) &&
              !['Members', 'ManagedBy', 'EmailAddresses', 'Name', 'PrimarySmtpAddress'].includes(e.attribute),
          )
          .map((e) => [
            e.attribute.charAt(0).toLowerCase() + e.attribute.slice(1),
            e.value === 'true' ? true : e.value === 'false' ? false : e.value,
          ]),
      ),
    } as unknown as DistributionGroupRecord;
    const annHeld = [
      { externalDirectoryObjectId: '1', guid: 'x', primarySmtpAddress: 'ann@contoso.com', name: 'Ann' },
    ] as MemberRecord[];
    expect(compareValues(expected, observedCloudGroup(facts.label, dl, [])).differences).toEqual([]);
    expect(memberDifferences(annHeld)).toEqual([]);

    const lacking = {
      ...dl,
      managedBy: ['Ann'],
      emailAddresses: ['SMTP:sales@contoso.com'],
    } as DistributionGroupRecord;
    const differences = [
      ...memberDifferences([]),
      ...compareValues(expected, observedCloudGroup(facts.label, lacking, [])).differences,
    ];
    expect(differences.map((d) => `${d.expected.attribute} ${d.expected.value}`)).toEqual([
      'Members ann@contoso.com',
      'ManagedBy sales@contoso.com',
      'EmailAddresses smtp:sales@contoso.mail.onmicrosoft.com',
    ]);
  });
});

describe('expected link values of a group naming an already-migrated group', () => {
  // On-prem Sales, migrated earlier: the retained group "Sales!" (marker: the new DL's id) in unauthOrig, its routing
  // contact (marker: the DL's address) in dLMemRejectPerms. Both stand for one cloud DL, which Exchange names "Sales".
  const retained: AdRecipient = {
    dn: 'CN=Sales!,OU=NonSync,DC=lab,DC=test',
    objectGuid: 'r',
    objectClass: 'group',
    kind: 'retained-group',
    name: 'Sales!',
    marker: { tag: 'MigratedByScript', value: 'dl-1' },
  };
  const contact: AdRecipient = {
    dn: 'CN=Sales-MigratedByScript,OU=Groups,DC=lab,DC=test',
    objectGuid: 'c',
    objectClass: 'contact',
    kind: 'routing-contact',
    name: 'Sales-MigratedByScript',
    mail: 'sales-MigratedByScript@contoso.com',
    marker: { tag: 'MigratedByScript', value: 'sales@contoso.com' },
  };
  const base = snapshot({
    group: {
      dn: 'CN=Partners,OU=Groups,DC=lab,DC=test',
      name: 'Partners',
      mail: 'partners@contoso.com',
      links: { ...emptyLinks, unauthOrig: [retained.dn], dLMemRejectPerms: [contact.dn] },
    },
    recipients: [retained, contact],
  });
  const captured = {
    ...base,
    cloudLookup: {
      found: { 'dl-1': 'dl-1', 'sales@contoso.com': 'dl-1' },
      missing: [],
      rendered: {
        'dl-1': { name: 'Sales', address: 'sales@contoso.com' },
        'sales@contoso.com': { name: 'Sales', address: 'sales@contoso.com' },
      },
    },
  };
  const facts = {
    label: 'partners@contoso.com',
    name: 'Partners',
    addresses: [],
    primary: 'partners@contoso.com',
    cloudType: 'Distribution' as const,
    affixes: { prefix: '', suffix: '' },
    selfForms: ['partners@contoso.com'],
  };
  const reject = (snap: typeof base, held: readonly string[]) =>
    compareValues(
      expectedCloudGroup(snap, false, facts).filter(
        (e) => e.attribute === 'RejectMessagesFromSendersOrMembers',
      ),
      [
        {
          side: 'cloud',
          object: 'partners@contoso.com',
          attribute: 'RejectMessagesFromSendersOrMembers',
          values: held,
        },
      ],
    );

  it('expects the cloud DL once, by the identity stage wrote, and finds it under the Name Exchange renders', () => {
    const result = reject(captured, ['Sales']);
    expect(result.checked).toBe(1);
    expect(result.differences).toEqual([]);
  });

  it('names the DL by its address when it is missing, not by the on-prem stand-in', () => {
    const result = reject(captured, ['Other']);
    expect(result.differences.map((d) => d.expected.value)).toEqual(['sales@contoso.com']);
  });

  it('does not take the on-prem name of the stand-in as the DL', () => {
    expect(reject(captured, ['Sales!']).differences).toHaveLength(1);
  });
});
