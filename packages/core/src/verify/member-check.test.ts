import type { MemberRecord } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import type { ExpectedMember } from './expected.js';
import { DistinctMembers, MemberCheck } from './member-check.js';
import { compareValues, type ExpectedValue } from './values.js';

const LABEL = 'sales@contoso.com';

function held(name: string, extra: Partial<MemberRecord> = {}): MemberRecord {
  const local = name.toLowerCase().replace(/ /g, '.');
  return {
    guid: `guid-${local}`,
    externalDirectoryObjectId: `id-${local}`,
    name,
    primarySmtpAddress: `${local}@contoso.com`,
    recipientTypeDetails: 'UserMailbox',
    ...extra,
  };
}

function expected(key: string, value: string, forms: readonly string[]): ExpectedMember {
  return { key, value: { side: 'cloud', object: LABEL, attribute: 'Members', value, forms } };
}

/** What compareValues says of the same members, given as values (an object's forms merged, as pages merge them). */
function asValues(members: readonly ExpectedMember[], observed: readonly MemberRecord[]) {
  const byKey = new Map<string, ExpectedValue>();
  for (const { key, value } of members) {
    const before = byKey.get(key.toLowerCase());
    byKey.set(
      key.toLowerCase(),
      before === undefined ? value : { ...before, forms: [...before.forms, ...value.forms] },
    );
  }
  const forms = (m: MemberRecord) => [m.externalDirectoryObjectId, m.guid, m.primarySmtpAddress, m.name];
  return compareValues(
    [...byKey.values()],
    [
      {
        side: 'cloud',
        object: LABEL,
        attribute: 'Members',
        values: observed.flatMap(forms),
        entries: observed.map((m) => ({ shown: m.primarySmtpAddress || m.name, forms: forms(m) })),
      },
    ],
  );
}

function checked(members: readonly ExpectedMember[], observed: readonly MemberRecord[]) {
  const check = new MemberCheck(LABEL, observed);
  for (const m of members) check.expect(m);
  return check.result();
}

const shape = (v: ReturnType<typeof checked>) => ({
  checked: v.checked,
  differences: v.differences.map((d) => [d.kind, d.expected.value]),
});

describe('the member check', () => {
  const ann = held('Ann');
  const bob = held('Bob');
  const carl = held('Carl');
  // Two members Exchange names alike: one form, two recipients.
  const dan1 = held('Dan', {
    externalDirectoryObjectId: 'id-dan-1',
    guid: 'g-dan-1',
    primarySmtpAddress: 'dan1@contoso.com',
  });
  const dan2 = held('Dan', {
    externalDirectoryObjectId: 'id-dan-2',
    guid: 'g-dan-2',
    primarySmtpAddress: 'dan2@contoso.com',
  });
  const observed = [ann, bob, carl, dan1, dan2];

  it('finds members in any form, reports the missing and the extra, as compareValues does', () => {
    const members = [
      expected('id-ann', 'ann@contoso.com', ['id-ann', 'ANN@contoso.com']),
      expected('id-bob', 'bob@contoso.com', ['guid-bob']),
      expected('id-eve', 'eve@contoso.com', ['id-eve', 'eve@contoso.com']),
      // Named by the form two members share: both are named.
      expected('id-dan', 'Dan', ['Dan']),
    ];
    const result = checked(members, observed);
    expect(shape(result)).toEqual({
      checked: 5,
      differences: [
        ['missing', 'eve@contoso.com'],
        ['extra', 'carl@contoso.com'],
      ],
    });
    expect(shape(result)).toEqual(shape(asValues(members, observed)));
    // A missing member is shown with what the DL holds, as a report names each.
    expect(result.differences[0]!.observed).toEqual(observed.map((m) => m.primarySmtpAddress));
  });

  it('takes an object named on two pages as one member, found by the forms of either', () => {
    const members = [
      expected('id-ann', 'ann@contoso.com', ['old-ann@contoso.com']),
      expected('id-bob', 'bob@contoso.com', ['id-bob']),
      // The second page names Ann again, in a form the DL holds.
      expected('ID-ANN', 'ann@contoso.com', ['id-ann']),
      // The same value as Bob's, for another object: one value, checked once, its forms not counted.
      expected('id-other', 'bob@contoso.com', ['id-carl']),
    ];
    const result = checked(members, observed);
    expect(shape(result)).toEqual({
      checked: 5,
      differences: [
        ['extra', 'carl@contoso.com'],
        ['extra', 'dan1@contoso.com'],
        ['extra', 'dan2@contoso.com'],
      ],
    });
    expect(shape(result)).toEqual(shape(asValues(members, observed)));
  });

  it('reports every expected member missing from a DL that is gone, and counts as plan counts', () => {
    const members = [
      expected('id-ann', 'ann@contoso.com', ['id-ann']),
      expected('id-ann', 'ann@contoso.com', ['ann@contoso.com']),
      expected('id-bob', 'bob@contoso.com', ['id-bob']),
    ];
    expect(shape(checked(members, []))).toEqual({
      checked: 2,
      differences: [
        ['missing', 'ann@contoso.com'],
        ['missing', 'bob@contoso.com'],
      ],
    });
    const distinct = new DistinctMembers();
    expect(members.map((m) => distinct.add(m))).toEqual(['counted', 'again', 'counted']);
    expect(distinct.count).toBe(2);
  });
});
