import { describe, expect, it } from 'vitest';
import {
  childDn,
  dnEquals,
  domainDnOf,
  domainNameOf,
  escapeDnValue,
  formatDn,
  isUnder,
  normalizeDn,
  parentDn,
  parseDn,
  rdnValue,
} from './dn.js';
import { isAdError } from './errors.js';

const HOSTILE = [
  '*',
  '(',
  ')',
  '\\',
  '\u0000',
  ',',
  '+',
  '"',
  '#Sales, West',
  ' lead',
  'trail ',
  'A/B+C\\D',
  'O\'Brien "Team"',
  'Zürich Ünïcödé 東京',
  'a=b',
  'x;y<z>',
  'tab\tnew\nline',
  '😀 emoji',
];

describe('escapeDnValue / parseDn round trip', () => {
  it.each(HOSTILE)('round-trips %j', (value) => {
    const dn = childDn('CN', value, 'OU=Zürich\\, R&D,DC=lab,DC=test');
    const parsed = parseDn(dn);
    expect(parsed).toHaveLength(4);
    expect(parsed[0]?.[0]?.value).toBe(value);
    expect(parsed[1]?.[0]?.value).toBe('Zürich, R&D');
    expect(rdnValue(dn)).toBe(value);
    expect(formatDn(parsed)).toBe(dn);
  });

  it('escapes the RFC 4514 specials, leading # and space, trailing space and NUL', () => {
    expect(escapeDnValue('#a, b+c"d\\e<f>g;h=i ')).toBe('\\#a\\, b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i\\ ');
    expect(escapeDnValue(' x')).toBe('\\ x');
    expect(escapeDnValue('a\u0000b')).toBe('a\\00b');
    expect(escapeDnValue('a#b')).toBe('a#b');
  });

  it('decodes escaped hex pairs, including multi-byte UTF-8', () => {
    expect(parseDn('CN=Z\\C3\\BCrich,DC=x')[0]?.[0]?.value).toBe('Zürich');
    expect(parseDn('CN=\\E6\\9D\\B1\\E4\\BA\\AC,DC=x')[0]?.[0]?.value).toBe('東京');
    expect(parseDn('CN=\\23Sales\\2C West,DC=x')[0]?.[0]?.value).toBe('#Sales, West');
    expect(parseDn('CN=nul\\00,DC=x')[0]?.[0]?.value).toBe('nul\u0000');
  });

  it('parses multi-valued RDNs and tolerates spaces around separators', () => {
    const p = parseDn('CN=a+UID=b , OU=c ,DC=d');
    expect(p[0]).toEqual([
      { type: 'CN', value: 'a' },
      { type: 'UID', value: 'b' },
    ]);
    expect(p[1]?.[0]?.value).toBe('c');
  });

  it.each(['CN', 'CN=a,', '=a', 'CN=a\\', 'CN=a"b', 'CN=#0401', 'CN=\\C3,DC=x', 'CN=a,,DC=b'])(
    'rejects %j with AD_INVALID_DN',
    (dn) => {
      let error: unknown;
      try {
        parseDn(dn);
      } catch (e) {
        error = e;
      }
      expect(isAdError(error, 'AD_INVALID_DN')).toBe(true);
    },
  );
});

describe('comparison and navigation', () => {
  it('compares case-insensitively and across escaping styles', () => {
    expect(dnEquals('CN=Sales,OU=Groups,DC=Lab,DC=Test', 'cn=sales, ou=groups, dc=lab, dc=test')).toBe(true);
    expect(dnEquals('CN=\\23Sales\\2C West,DC=x', 'CN=\\#Sales\\, West,DC=x')).toBe(true);
    expect(dnEquals('CN=Zürich,DC=x', 'CN=Z\\C3\\BCRICH,DC=x')).toBe(true);
    expect(dnEquals('CN=a\\,b,DC=x', 'CN=a,CN=b,DC=x')).toBe(false);
    expect(normalizeDn('UID=b+CN=a,DC=x')).toBe(normalizeDn('CN=A+UID=B,DC=X'));
  });

  it('takes a DN with nothing to escape as its lower-cased text, exactly as the full parse gives it', () => {
    const parsed = (dn: string) =>
      formatDn(
        parseDn(dn).map((rdn) =>
          rdn.map((a) => ({ type: a.type.toLowerCase(), value: a.value.toLowerCase() })),
        ),
      );
    for (const dn of [
      'CN=Member 12345,OU=Members,OU=Contoso,DC=lab,DC=test',
      "CN=O'Brien (Sales) #2,DC=x",
      'cn=a.b@c-d_e,ou=x/y,dc=x',
    ])
      expect(normalizeDn(dn)).toBe(parsed(dn));
    // Not plain: spaces around values and separators, escapes, a multi-valued RDN, non-ASCII.
    expect(normalizeDn('CN=Sales ,DC=x')).toBe('cn=sales,dc=x');
    expect(normalizeDn('CN=Sales, DC=x')).toBe('cn=sales,dc=x');
    expect(normalizeDn('CN=\\23Sales,DC=x')).toBe('cn=\\#sales,dc=x');
    expect(normalizeDn('CN=Zürich,DC=X')).toBe('cn=zürich,dc=x');
  });

  it('gives parent, domain and ancestry without splitting escaped commas', () => {
    const dn = 'CN=Smith\\, John,OU=Zürich\\, R&D,DC=child,DC=lab,DC=test';
    expect(parentDn(dn)).toBe('OU=Zürich\\, R&D,DC=child,DC=lab,DC=test');
    expect(domainDnOf(dn)).toBe('DC=child,DC=lab,DC=test');
    expect(domainNameOf(dn)).toBe('child.lab.test');
    expect(isUnder(dn, 'dc=LAB,dc=test')).toBe(true);
    expect(isUnder(dn, 'OU=R&D,DC=child,DC=lab,DC=test')).toBe(false);
    expect(parentDn('DC=test')).toBe('');
    // E12: a CN containing an escaped ",OU=" is not an OU boundary.
    expect(parentDn('CN=Test\\,OU=Fake,OU=Real,DC=x')).toBe('OU=Real,DC=x');
    expect(parentDn('CN=Test Group,CN=Users,DC=x')).toBe('CN=Users,DC=x');
    expect(() => domainDnOf('CN=x,OU=y')).toThrow(/no DC=/);
  });
});
