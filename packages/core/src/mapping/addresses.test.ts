import { describe, expect, it } from 'vitest';
import {
  addressDomains,
  missingAddresses,
  proxyKey,
  routingAddressCandidates,
  routingAddressIn,
  chosenPrimary,
  takeOverAddresses,
} from './addresses.js';

describe('proxy addresses', () => {
  it('keys addresses by type and lower-case address', () => {
    expect(proxyKey('SMTP:A@B.com')).toBe('smtp:a@b.com');
    expect(proxyKey('a@b.com')).toBe('smtp:a@b.com');
    expect(proxyKey('x500:/o=Org/cn=X')).toBe(proxyKey('X500:/o=org/cn=x'));
  });

  it('lists each address domain once', () => {
    expect(
      addressDomains('a@Contoso.com', ['SMTP:a@contoso.com', 'smtp:a@fabrikam.com', 'X500:/o=x']),
    ).toEqual(['contoso.com', 'fabrikam.com']);
  });
});

describe('takeOverAddresses', () => {
  const base = {
    mail: 'sales@contoso.com',
    onPremProxies: ['SMTP:sales@contoso.com', 'smtp:sales@fabrikam.com', 'X500:/o=Old/cn=sales'],
    onPremLegacyExchangeDn: '/o=Contoso/ou=Exchange/cn=Recipients/cn=sales',
    cloudAddresses: [
      'SMTP:Sales@contoso.com',
      'smtp:sales@contoso.mail.onmicrosoft.com',
      'smtp:SALES@fabrikam.com',
    ],
    cloudLegacyExchangeDn: '/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=abc-sales',
    routingDomain: 'contoso.mail.onmicrosoft.com',
    routingAddress: 'sales@contoso.mail.onmicrosoft.com',
  };

  it('unites both sides, adds both X500s and keeps one primary', () => {
    expect(takeOverAddresses(base)).toEqual([
      'SMTP:sales@contoso.com',
      'smtp:sales@fabrikam.com',
      'X500:/o=Old/cn=sales',
      'smtp:sales@contoso.mail.onmicrosoft.com',
      'X500:/o=Contoso/ou=Exchange/cn=Recipients/cn=sales',
      'X500:/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=abc-sales',
    ]);
  });

  it('adds the routing address only when none is at the routing domain', () => {
    const result = takeOverAddresses({
      ...base,
      cloudAddresses: [],
      routingAddress: 'sales2@contoso.mail.onmicrosoft.com',
    });
    expect(result).toContain('smtp:sales2@contoso.mail.onmicrosoft.com');
    expect(result.filter((a) => a.startsWith('SMTP:'))).toEqual(['SMTP:sales@contoso.com']);
  });

  it('makes the on-prem mail primary even if it is not among the proxies (#128)', () => {
    const result = takeOverAddresses({ ...base, mail: 'team@contoso.com' });
    expect(result[0]).toBe('SMTP:team@contoso.com');
    expect(result).toContain('smtp:sales@contoso.com');
  });
});

describe('routing addresses', () => {
  it('proposes alias, alias2, alias3… and refuses an empty domain (#125)', () => {
    const gen = routingAddressCandidates('Sales Team', 'c.mail.onmicrosoft.com');
    expect([gen.next().value, gen.next().value, gen.next().value]).toEqual([
      'SalesTeam@c.mail.onmicrosoft.com',
      'SalesTeam2@c.mail.onmicrosoft.com',
      'SalesTeam3@c.mail.onmicrosoft.com',
    ]);
    expect(() => routingAddressCandidates('a', ' ').next()).toThrow(/routing domain is empty/);
  });

  it('finds the routing address among addresses and reports missing ones', () => {
    expect(
      routingAddressIn(['SMTP:a@c.com', 'smtp:a@c.mail.onmicrosoft.com'], 'C.mail.onmicrosoft.com'),
    ).toBe('a@c.mail.onmicrosoft.com');
    expect(missingAddresses(['SMTP:a@c.com', 'x500:/o=1'], ['smtp:A@C.COM'])).toEqual(['x500:/o=1']);
  });
});

describe('chosenPrimary', () => {
  const proxies = ['SMTP:sales@contoso.com', 'smtp:vertrieb@contoso.com'];
  it('is mail when mail is among the proxies, or there are none', () => {
    expect(chosenPrimary('Vertrieb@contoso.com', proxies, 'sales@contoso.com')).toBe('Vertrieb@contoso.com');
    expect(chosenPrimary('team@contoso.com', [], undefined)).toBe('team@contoso.com');
  });
  it('keeps the primary Exchange Online shows when mail is not among the proxies', () => {
    expect(chosenPrimary('team@contoso.com', proxies, 'sales@contoso.com')).toBe('sales@contoso.com');
    expect(chosenPrimary('team@contoso.com', proxies, undefined)).toBe('sales@contoso.com');
  });
  it('carries mail as a secondary address when another primary is chosen', () => {
    const addresses = takeOverAddresses({
      mail: 'team@contoso.com',
      primary: 'sales@contoso.com',
      onPremProxies: proxies,
      cloudAddresses: [],
      routingDomain: 'contoso.mail.onmicrosoft.com',
      routingAddress: 'sales@contoso.mail.onmicrosoft.com',
    });
    expect(addresses.filter((a) => a.startsWith('SMTP:'))).toEqual(['SMTP:sales@contoso.com']);
    expect(addresses).toContain('smtp:team@contoso.com');
  });
});
