import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { setupTenant, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
});
afterAll(async () => sim.stop());

describe('smoke', () => {
  it('runs a cmdlet', async () => {
    const res = await t.invoke('Get-AcceptedDomain');
    expect(res.status).toBe(200);
    expect(res.json.value.map((d: { DomainName: string }) => d.DomainName)).toContain('contoso.mail.onmicrosoft.com');
    const created = await t.invoke('New-DistributionGroup', { Name: 'Sales', PrimarySmtpAddress: 'sales@contoso.com' });
    expect(created.status, created.text).toBe(200);
    const g = await t.graph('GET', `/v1.0/groups/${created.json.value[0].ExternalDirectoryObjectId}`);
    expect(g.status, g.text).toBe(200);
    expect(g.json.mail).toBe('sales@contoso.com');
  });
});
