import { describe, expect, it } from 'vitest';
import { dnKey, escapeRdnValue, parseDn, rdn, realmToBaseDn } from './dn.js';

describe('escapeRdnValue', () => {
  it.each([
    [`O'Brien "Team"`, `O'Brien \\"Team\\"`],
    ['#Sales, West', '\\#Sales\\, West'],
    ['A/B+C\\D', 'A/B\\+C\\\\D'],
    [' padded ', '\\ padded\\ '],
    ['a=b;c<d>e', 'a\\=b\\;c\\<d\\>e'],
    ['Zürich Ünïcödé 東京', 'Zürich Ünïcödé 東京'],
    ['tab\there', 'tab\\09here'],
    ['in#side', 'in#side'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeRdnValue(value)).toBe(escaped);
  });

  it('refuses an empty value', () => {
    expect(() => escapeRdnValue('')).toThrow(/empty/);
  });
});

describe('parseDn', () => {
  it('unescapes both the character and the hex forms', () => {
    expect(parseDn('CN=\\#Sales\\2C West,OU=Z\\C3\\BCrich\\, R&D,DC=lab')).toEqual([
      { type: 'CN', value: '#Sales, West' },
      { type: 'OU', value: 'Zürich, R&D' },
      { type: 'DC', value: 'lab' },
    ]);
  });

  it('round-trips every hostile name through rdn()', () => {
    for (const name of [
      `O'Brien "Team"`,
      '#Sales, West',
      'A/B+C\\D',
      'Zürich Ünïcödé 東京',
      ' x ',
      'a\\,b',
    ]) {
      expect(parseDn(`${rdn('CN', name)},DC=lab,DC=test`)[0]).toEqual({ type: 'CN', value: name });
    }
  });

  it('rejects what is not a DN', () => {
    expect(() => parseDn('no equals sign')).toThrow(/not a distinguished name/);
    expect(() => parseDn('CN=dangling\\')).toThrow(/dangling escape/);
  });
});

describe('dnKey', () => {
  it('treats spellings of the same DN as equal, and different DNs as different', () => {
    expect(dnKey('cn=\\23Sales\\2c West,ou=Groups,DC=Lab,DC=Test')).toBe(
      dnKey('CN=\\#Sales\\, West,OU=Groups,DC=lab,DC=test'),
    );
    expect(dnKey('CN=A\\,B,DC=lab')).not.toBe(dnKey('CN=A,CN=B,DC=lab'));
  });
});

describe('realmToBaseDn', () => {
  it('maps the realm to domain components', () => {
    expect(realmToBaseDn('LAB.TEST')).toBe('DC=lab,DC=test');
    expect(realmToBaseDn('corp.contoso.com')).toBe('DC=corp,DC=contoso,DC=com');
  });
});
