// Hybrid mail flow after the fact (docs/reference-behaviour.md#hybrid-mail-flow-after-the-fact) and the hybrid address update (docs/reference-behaviour.md#hybrid-address-update), including a crash between
// the cloud and the on-prem half of the update, finished by resume.
import { StopRequested } from '@dlmigrate/core';
import { enableHybridMailFlow } from '@dlmigrate/core/testing';
import { describe, expect, it } from 'vitest';
import { runChildUntilKilled } from './child.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

async function migrateWithoutHybrid(): Promise<void> {
  await w.reset();
  const outcome = await w.engine.migrate('sales@contoso.com', {
    nonSyncOu: w.objects['ous.nonSync']!.dn,
    routingContact: false,
  });
  expect(outcome.status).toBe('completed_with_warnings'); // on-prem dependants could not be rewired without a contact
  expect(outcome.report.findings.every((f) => f.code === 'ONPREM_REWIRE_FAILED')).toBe(true);
  expect(await w.ad.findByAddress('sales@contoso.com')).toEqual([]);
}

async function proxiesOf(dn: string): Promise<string[]> {
  return (await w.ad.connection.read(dn, { attributes: ['proxyAddresses'] }))!.strings('proxyAddresses');
}

describe('hybrid mail flow', () => {
  it('is enabled after the fact from the cloud DL, and a second run changes nothing', async () => {
    await migrateWithoutHybrid();
    const ou = w.objects['ous.groups']!.dn;
    const first = await w.engine.enableHybridMailFlow({ address: 'sales@contoso.com', ou });
    expect(first.created).toEqual({ contact: true, dynamicGroup: true, routingAddress: false });
    expect(first.routingAddress).toBe('sales@contoso.mail.onmicrosoft.com');
    expect(first.contactDn).toBe(`CN=Sales-MigratedByScript,${ou}`);
    const [dynamic] = await w.ad.findByAddress('sales@contoso.com');
    expect(dynamic).toMatchObject({ dn: first.dynamicGroupDn, objectClass: 'msExchDynamicDistributionList' });
    const proxies = (await proxiesOf(first.dynamicGroupDn)).map((p) => p.toLowerCase());
    expect(proxies).toEqual(
      expect.arrayContaining([
        'smtp:sales@contoso.com',
        'smtp:vertrieb@contoso.com',
        'smtp:sales-team@contoso.com',
      ]),
    );
    expect(proxies.some((p) => p.endsWith('@contoso.mail.onmicrosoft.com'))).toBe(false);
    // Both carry a legacyExchangeDN of their own in the on-prem organisation (found through the cloud DL's X500
    // address), as the recipients Exchange creates do (packages/ad/README.md, "Objects created").
    for (const dn of [first.contactDn, first.dynamicGroupDn]) {
      const stamp = (await w.ad.connection.read(dn, { attributes: ['legacyExchangeDN', 'msExchVersion'] }))!;
      expect(stamp.string('legacyExchangeDN')).toMatch(
        /^\/o=Contoso\/ou=Exchange Administrative Group \(FYDIBOHF23SPDLT\)\/cn=Recipients\/cn=[0-9a-f]{32}-/,
      );
      expect(stamp.string('msExchVersion')).toMatch(/^\d+$/);
    }

    const again = await w.engine.enableHybridMailFlow({ address: 'sales@contoso.com', ou });
    expect(again).toEqual({
      ...first,
      created: { contact: false, dynamicGroup: false, routingAddress: false },
    });
  }, 180_000);

  it('stopped (Ctrl-C) after a write, enable makes no further one; run again, it finishes', async () => {
    await migrateWithoutHybrid();
    const ou = w.objects['ous.groups']!.dn;
    const controller = new AbortController();
    // The stop arrives while the routing contact is being created: that write finishes, the next is not made.
    const ad = new Proxy(w.ad, {
      get(inner, key) {
        const value = Reflect.get(inner, key, inner) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'createRoutingContact')
          return async (...args: Parameters<typeof inner.createRoutingContact>) => {
            const created = await inner.createRoutingContact(...args);
            controller.abort('SIGINT');
            return created;
          };
        return (value as (...a: unknown[]) => unknown).bind(inner);
      },
    });
    const stopped = await enableHybridMailFlow(
      { ad, exchange: w.deps.exchange },
      { address: 'sales@contoso.com', ou, signal: controller.signal },
    ).catch((error: unknown) => error);
    expect(stopped).toBeInstanceOf(StopRequested);
    expect((stopped as StopRequested).reason).toBe('SIGINT');
    expect(await w.ad.findByAddress('sales-MigratedByScript@contoso.com')).toHaveLength(1);
    expect(await w.ad.findByAddress('sales@contoso.com')).toEqual([]); // no dynamic DL yet

    const finished = await w.engine.enableHybridMailFlow({ address: 'sales@contoso.com', ou });
    expect(finished.created).toEqual({ contact: false, dynamicGroup: true, routingAddress: false });
  }, 180_000);

  it('updates the hybrid address in Exchange Online and then on-premises', async () => {
    await migrateWithoutHybrid();
    await w.engine.enableHybridMailFlow({ address: 'sales@contoso.com', ou: w.objects['ous.groups']!.dn });
    const outcome = await w.engine.updateHybridAddress(
      'sales@contoso.com',
      'sales.team@contoso.com',
      'salesteam',
    );
    expect(outcome.status).toBe('completed');
    await expectUpdated();
  }, 180_000);

  it('finishes an address update interrupted between its two halves', async () => {
    await migrateWithoutHybrid();
    await w.engine.enableHybridMailFlow({ address: 'sales@contoso.com', ou: w.objects['ous.groups']!.dn });
    await runChildUntilKilled(w, {
      address: 'sales@contoso.com',
      updateAddressTo: 'sales.team@contoso.com',
      killAfter: 'update-address-cloud',
    });
    // Half done: the cloud has the new primary, on-premises still the old one.
    expect((await w.cloud.exchange.getDistributionGroup('sales.team@contoso.com'))?.primarySmtpAddress).toBe(
      'sales.team@contoso.com',
    );
    expect((await w.ad.findByAddress('sales@contoso.com')).map((m) => m.objectClass)).toEqual([
      'msExchDynamicDistributionList',
    ]);

    const [operation] = await w.state.listMigrations({ group: 'sales@contoso.com', status: 'running' });
    expect(operation?.strategy).toBe('address-update');
    expect(operation?.currentStep).toBe('update-address-cloud');
    expect(await w.engine.resumeAddressUpdate(operation!.id)).toEqual({
      operationId: operation!.id,
      status: 'completed',
    });
    await expectUpdated(false);
  }, 180_000);
});

async function expectUpdated(alias = true): Promise<void> {
  const dl = (await w.cloud.exchange.getDistributionGroup('sales.team@contoso.com'))!;
  expect(dl.primarySmtpAddress).toBe('sales.team@contoso.com');
  expect(dl.emailAddresses.map((a) => a.toLowerCase())).toContain('smtp:sales@contoso.com');
  if (alias) expect(dl.alias).toBe('salesteam');
  const [dynamic] = await w.ad.findByAddress('sales.team@contoso.com');
  expect(dynamic?.objectClass).toBe('msExchDynamicDistributionList');
  const proxies = await proxiesOf(dynamic!.dn);
  expect(proxies).toContain('SMTP:sales.team@contoso.com');
  expect(proxies).toContain('smtp:sales@contoso.com');
  expect(proxies.filter((p) => p.startsWith('SMTP:'))).toHaveLength(1);
}
