import { describe, expect, it } from 'vitest';
import { isDistinguishedName } from './values.js';

describe('isDistinguishedName', () => {
  it.each([
    'OU=Not Synced,DC=contoso,DC=com',
    'CN=Smith\\, John,OU=Users,DC=contoso,DC=com',
    'CN=a\\2Cb,DC=x',
    'CN=Sales (EMEA),OU=Groups,DC=contoso,DC=com',
    'cn=x+sn=y,dc=z',
    '1.2.840.113556.1.4.1=x,DC=y',
  ])('accepts %s', (dn) => expect(isDistinguishedName(dn)).toBe(true));

  it.each([
    '',
    'contoso.com',
    'OU=Parked)(objectClass=*,DC=contoso',
    'OU=a=b,DC=c',
    'OU=,DC=c',
    'OU=x,,DC=c',
    'OU=x\\',
    'OU=x\\zz,DC=c',
    'OU=x;DC=c',
    'OU=x\nDC=c',
    '=x,DC=c',
  ])('rejects %j', (dn) => expect(isDistinguishedName(dn)).toBe(false));
});
