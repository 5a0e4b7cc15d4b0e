// Address conflicts found before anything changes (issue 14): an address of the group held by another recipient —
// a cloud-only contact, or a soft-deleted mailbox, which keeps its addresses — used to surface only at take-over,
// after the synced group had been deleted (a rollback, the group absent from Exchange meanwhile). Capture now reads
// the holders of every carried address (X500s included) in bulk and validate blocks, naming the holder.
import type { AttributeChange } from '@dlmigrate/ad';
import { readAddressHolders } from '@dlmigrate/core/testing';
import { describe, expect, it } from 'vitest';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

const OLD_X500 = '/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=sales-old';

async function addProxies(values: string[]): Promise<void> {
  const change: AttributeChange = { operation: 'add', attribute: 'proxyAddresses', values };
  await w.ad.modifyAttributes(w.objects['groups.sales']!.dn, [change]);
}

async function expectBlockedChangingNothing(
  run: () => Promise<{
    status: string;
    findings: readonly { code: string; subject: string; message: string }[];
  }>,
): Promise<readonly { code: string; subject: string; message: string }[]> {
  const tenantBefore = JSON.stringify(w.sim.tenant(w.tenantId).recipients);
  const groupBefore = await w.ad.readGroup(w.objects['groups.sales']!.dn);
  const outcome = await run();
  expect(outcome.status).toBe('blocked');
  expect(JSON.stringify(w.sim.tenant(w.tenantId).recipients)).toBe(tenantBefore);
  expect(await w.ad.readGroup(groupBefore.dn)).toEqual(groupBefore);
  return outcome.findings.filter((f) => f.code === 'ADDRESS_HELD_ELSEWHERE');
}

describe('address holders checked before anything changes', () => {
  it('blocks migrate at validate on a cloud-only contact holding an address the group carries', async () => {
    await w.reset();
    // The contact took the address in the cloud; the group got it on-premises later (the sync cannot stamp it).
    w.sim.seedRecipients(w.tenantId, [
      {
        type: 'MailContact',
        name: 'Verkauf Partner',
        primarySmtpAddress: 'verkauf@contoso.com',
        externalEmailAddress: 'verkauf@partner.example',
      },
    ]);
    await addProxies(['smtp:verkauf@contoso.com']);
    const held = await expectBlockedChangingNothing(() =>
      w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn }),
    );
    expect(held).toEqual([
      expect.objectContaining({
        subject: 'verkauf@contoso.com',
        message: expect.stringMatching(/MailContact "Verkauf Partner"/),
      }),
    ]);
    const synced = await w.cloud.exchange.getDistributionGroup('sales@contoso.com');
    expect(synced?.isDirSynced).toBe(true);
  }, 180_000);

  it('plan names a soft-deleted mailbox holding one of the X500 addresses', async () => {
    await w.reset();
    w.sim.seedRecipients(w.tenantId, [
      {
        type: 'UserMailbox',
        name: 'Sales Old',
        primarySmtpAddress: 'sales-old@contoso.com',
        emailAddresses: ['SMTP:sales-old@contoso.com', `X500:${OLD_X500}`],
        softDeleted: true,
      },
    ]);
    await addProxies([`X500:${OLD_X500}`]);
    const held = await expectBlockedChangingNothing(() =>
      w.engine.plan('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn }),
    );
    expect(held).toEqual([
      expect.objectContaining({
        subject: `X500:${OLD_X500}`,
        message: expect.stringMatching(/soft-deleted UserMailbox "Sales Old"/),
      }),
    ]);
  }, 180_000);

  it('the addresses of the group that only it holds are no finding, at one Get-Recipient call per 200', async () => {
    await w.reset();
    // Sixty extra addresses on the group, none held elsewhere: plan stays clean and the check is one filter.
    const extra = Array.from({ length: 60 }, (_, i) => `smtp:sales.alias${i}@contoso.com`);
    await addProxies(extra);
    expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
    const before = w.cloud.exchange.transport.stats().requestsByCmdlet['Get-Recipient'] ?? 0;
    const synced = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    const holders = await readAddressHolders(w.cloud.exchange, synced.emailAddresses, synced);
    const calls = (w.cloud.exchange.transport.stats().requestsByCmdlet['Get-Recipient'] ?? 0) - before;
    console.log(
      `address holders: ${synced.emailAddresses.length} addresses read in ${calls} Get-Recipient call(s)`,
    );
    expect(holders).toEqual([]);
    expect(calls).toBe(1);
    const plan = await w.engine.plan('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(plan.status).toBe('planned');
    expect(plan.findings.map((f) => f.code)).not.toContain('ADDRESS_HELD_ELSEWHERE');
  }, 180_000);
});
