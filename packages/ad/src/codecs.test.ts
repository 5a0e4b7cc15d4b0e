import { BerWriter, type EqualityFilter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { and, contains, eq, escapeFilterValue, filterToString, not, or, present } from './filter.js';
import { guidToBuffer, guidToString, isWellKnownSid, sidToBuffer, sidToString } from './ids.js';
import { SdFlagsControl } from './sd-flags.js';
import {
  ACCESS_MASK,
  ACE_TYPE,
  encodeSecurityDescriptor,
  isProtectedFromAccidentalDeletion,
  parseSecurityDescriptor,
  sendAsSids,
  SEND_AS_RIGHT,
  type SecurityDescriptor,
} from './security-descriptor.js';

describe('RFC 4515 filter escaping', () => {
  it('escapes * ( ) \\ NUL and every byte ≥ 0x80', () => {
    expect(escapeFilterValue('a*b(c)d\\e\u0000')).toBe('a\\2ab\\28c\\29d\\5ce\\00');
    expect(escapeFilterValue('Zürich')).toBe('Z\\c3\\bcrich');
    expect(escapeFilterValue(Buffer.from([0xfa, 0x00, 0x41]))).toBe('\\fa\\00A');
  });

  it('builds filter objects whose values can never change the structure', () => {
    const hostile = '*)(objectClass=*';
    const f = and(
      eq('mail', hostile),
      or(present('groupType'), not(eq('cn', 'a\\b'))),
      contains('name', '(x)'),
    );
    expect(filterToString(f)).toBe(
      '(&(mail=\\2a\\29\\28objectClass=\\2a)(|(groupType=*)(!(cn=a\\5cb)))(name=*\\28x\\29*))',
    );
    const inner = (f as unknown as { filters: EqualityFilter[] }).filters[0] as EqualityFilter;
    expect(inner.value).toBe(hostile); // sent raw as an octet string
  });

  it('keeps binary values as Buffers (ldapts string filters mangle bytes ≥ 0x80)', () => {
    const guid = guidToBuffer('fab4c1e2-0203-4405-8607-08090a0b0c0d');
    const f = eq('objectGUID', guid) as EqualityFilter;
    expect(Buffer.isBuffer(f.value)).toBe(true);
    const w = new BerWriter();
    f.write(w);
    expect(w.buffer.includes(guid)).toBe(true);
  });
});

describe('GUID and SID codecs', () => {
  it('uses the little-endian AD layout for GUIDs', () => {
    const bytes = Buffer.from('e2c1b4fa03020544860708090a0b0c0d', 'hex');
    expect(guidToString(bytes)).toBe('fab4c1e2-0203-4405-8607-08090a0b0c0d');
    expect(guidToBuffer('{FAB4C1E2-0203-4405-8607-08090A0B0C0D}').equals(bytes)).toBe(true);
    expect(() => guidToBuffer('not-a-guid')).toThrow(/not a GUID/);
  });

  it('round-trips SIDs', () => {
    for (const sid of [
      'S-1-5-21-3623811015-3361044348-30300820-1013',
      'S-1-5-10',
      'S-1-1-0',
      'S-1-5-32-544',
    ]) {
      expect(sidToString(sidToBuffer(sid))).toBe(sid);
    }
    expect(sidToBuffer('S-1-5-10').toString('hex')).toBe('01010000000000050a000000');
    expect(() => sidToBuffer('S-1-x')).toThrow(/not a SID/);
  });

  it('tells well-known principals from directory objects', () => {
    expect(isWellKnownSid('S-1-5-18')).toBe(true);
    expect(isWellKnownSid('S-1-5-11')).toBe(true);
    expect(isWellKnownSid('S-1-1-0')).toBe(true);
    expect(isWellKnownSid('S-1-5-21-1-2-3-1104')).toBe(false);
    expect(isWellKnownSid('S-1-5-32-544')).toBe(false);
  });
});

describe('security descriptors', () => {
  const domainUser = 'S-1-5-21-1111-2222-3333-1105';
  const sd: SecurityDescriptor = {
    revision: 1,
    control: 0x8c14,
    owner: 'S-1-5-21-1111-2222-3333-512',
    group: 'S-1-5-21-1111-2222-3333-513',
    dacl: [
      {
        type: ACE_TYPE.ACCESS_DENIED,
        flags: 0,
        mask: ACCESS_MASK.DELETE | ACCESS_MASK.DELETE_TREE,
        sid: 'S-1-1-0',
      },
      {
        type: ACE_TYPE.ACCESS_ALLOWED_OBJECT,
        flags: 0,
        mask: ACCESS_MASK.CONTROL_ACCESS,
        sid: domainUser,
        objectType: SEND_AS_RIGHT,
      },
      {
        type: ACE_TYPE.ACCESS_ALLOWED_OBJECT,
        flags: 0,
        mask: ACCESS_MASK.CONTROL_ACCESS,
        sid: 'S-1-5-10',
        objectType: SEND_AS_RIGHT,
      },
      // Denied Send-As and another extended right must not count.
      {
        type: ACE_TYPE.ACCESS_DENIED_OBJECT,
        flags: 0,
        mask: ACCESS_MASK.CONTROL_ACCESS,
        sid: 'S-1-5-21-1111-2222-3333-1106',
        objectType: SEND_AS_RIGHT,
      },
      {
        type: ACE_TYPE.ACCESS_ALLOWED_OBJECT,
        flags: 0x12,
        mask: ACCESS_MASK.CONTROL_ACCESS,
        sid: 'S-1-5-21-1111-2222-3333-1107',
        objectType: 'ab721a56-1e2f-11d0-9819-00aa0040529b',
        inheritedObjectType: 'bf967aba-0de6-11d0-a285-00aa003049e2',
      },
      { type: ACE_TYPE.ACCESS_ALLOWED, flags: 0, mask: 0x20094, sid: 'S-1-5-11' },
    ],
  };

  it('encodes and parses back the same DACL', () => {
    const parsed = parseSecurityDescriptor(encodeSecurityDescriptor(sd));
    expect(parsed.owner).toBe(sd.owner);
    expect(parsed.group).toBe(sd.group);
    expect(parsed.dacl).toEqual(sd.dacl);
  });

  it('finds Send-As trustees and accidental-deletion protection', () => {
    const parsed = parseSecurityDescriptor(encodeSecurityDescriptor(sd));
    expect(sendAsSids(parsed).sort()).toEqual([domainUser, 'S-1-5-10'].sort());
    expect(isProtectedFromAccidentalDeletion(parsed)).toBe(true);
    expect(isProtectedFromAccidentalDeletion({ ...parsed, dacl: parsed.dacl?.slice(1) })).toBe(false);
  });

  it('rejects truncated input clearly', () => {
    const bytes = encodeSecurityDescriptor(sd);
    expect(() => parseSecurityDescriptor(bytes.subarray(0, 10))).toThrow(/too short/);
    expect(() => parseSecurityDescriptor(bytes.subarray(0, 40))).toThrow(/Truncated|Malformed/);
  });

  it('encodes the SD flags control value as SEQUENCE { INTEGER }', () => {
    const w = new BerWriter();
    new SdFlagsControl(4).write(w);
    expect(w.buffer.toString('hex')).toContain(Buffer.from('1.2.840.113556.1.4.801').toString('hex'));
    expect(w.buffer.toString('hex').endsWith('04053003020104')).toBe(true);
  });
});
