import { describe, expect, it } from 'vitest';
import { authorityMetadata, authorityUrl, CLOUDS, cloudByName, customCloud, scopeFor } from './cloud.js';
import { anchorMailbox } from './exchange/transport.js';
import { routingDomainOf, setCmdletFor } from './exchange/exchange-online.js';
import { identityKind } from './exchange/resolve.js';

describe('cloud table', () => {
  it('has the sovereign clouds with their own login, Graph and Exchange hosts', () => {
    expect(CLOUDS['gcc-high'].authorityHost).toBe('login.microsoftonline.us');
    expect(CLOUDS.dod.exchangeEndpoint).toBe('https://outlook-dod.office365.us');
    expect(CLOUDS.china.graphResource).toBe('https://microsoftgraph.chinacloudapi.cn');
    expect(scopeFor(CLOUDS.commercial.exchangeResource)).toBe('https://outlook.office365.com/.default');
    expect(() => cloudByName('mars')).toThrow(expect.objectContaining({ code: 'CLOUD_UNKNOWN' }));
    expect(() => cloudByName('toString')).toThrow(/Unknown cloud/);
  });
  it('custom cloud: real resources, local endpoints, metadata pointing MSAL at the local token endpoint', () => {
    const c = customCloud({ url: 'https://127.0.0.1:4443/' });
    expect(c.exchangeResource).toBe('https://outlook.office365.com');
    expect(c.graphEndpoint).toBe('https://127.0.0.1:4443');
    expect(authorityUrl(c, 't1')).toBe('https://login.sim.test/t1');
    const meta = JSON.parse(authorityMetadata(c, 't1') as string);
    expect(meta.token_endpoint).toBe('https://127.0.0.1:4443/t1/oauth2/v2.0/token');
    expect(authorityMetadata(CLOUDS.commercial, 't1')).toBeUndefined();
  });
});

describe('small rules', () => {
  it('app-only anchor mailbox', () => {
    expect(anchorMailbox('8f1c2b4e-0000-4000-8000-000000000001')).toBe(
      'APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@8f1c2b4e-0000-4000-8000-000000000001',
    );
    expect(anchorMailbox('contoso.onmicrosoft.com')).toMatch(
      /^UPN:SystemMailbox\{.*\}@contoso\.onmicrosoft\.com$/,
    );
  });
  it('routing domain detection', () => {
    const d = (domainName: string) => ({
      domainName,
      domainType: 'Authoritative',
      isDefault: false,
      isInitial: false,
    });
    expect(
      routingDomainOf([d('contoso.com'), d('contoso.onmicrosoft.com'), d('contoso.mail.onmicrosoft.com')]),
    ).toBe('contoso.mail.onmicrosoft.com');
    expect(routingDomainOf([d('contoso.com')])).toBeNull();
  });
  it('Set- cmdlet per recipient type', () => {
    expect(setCmdletFor('UserMailbox')).toBe('Set-Mailbox');
    expect(setCmdletFor('GroupMailbox')).toBe('Set-UnifiedGroup');
    expect(setCmdletFor('RoomList')).toBe('Set-DistributionGroup');
    expect(() => setCmdletFor('PublicFolder')).toThrow();
  });
  it('identity kinds for bulk resolution', () => {
    expect(identityKind('8F1C2B4E-0000-4000-8000-000000000001')).toBe('guid');
    expect(identityKind('smtp:a@b.com')).toBe('address');
    expect(identityKind('Sales Team')).toBe('other');
  });
});
