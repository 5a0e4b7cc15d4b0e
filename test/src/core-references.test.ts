// What names a group beyond its own attributes (issue 16), end to end: groups.finance (a mail-enabled security group)
// is licensed and named by a Conditional Access policy in Entra, and by a transport rule, a dynamic distribution
// group's MemberOfGroup filter and a room's booking policy in Exchange. plan lists each; a recreate rewires the
// Exchange ones after the take-over (re-read to confirm) and reports the Entra ones with the recommended strategy.
import { describe, expect, it } from 'vitest';
import { useWorld, type World } from './world.js';

const w = useWorld('references');

const E5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';

async function seedReferences(world: World): Promise<{ financeDn: string; financeLegacyDn: string }> {
  const { exchange } = world.cloud;
  const finance = (await exchange.getDistributionGroup('finance@contoso.com'))!;
  world.sim.seedRecipients(world.tenantId, [
    { type: 'RoomMailbox', name: 'Board Room', primarySmtpAddress: 'boardroom@contoso.com' },
    {
      type: 'DynamicDistributionGroup',
      name: 'Finance Mailboxes',
      primarySmtpAddress: 'finance.mailboxes@contoso.com',
      recipientFilter: "RecipientType -eq 'UserMailbox'",
    },
  ]);
  world.sim.seedEntra(world.tenantId, {
    groupLicenses: [{ group: 'finance@contoso.com', skuIds: [E5] }],
    conditionalAccessPolicies: [
      { displayName: 'Require MFA for finance', includeGroups: ['finance@contoso.com'] },
    ],
  });
  await exchange.transport.invoke('New-TransportRule', {
    Name: 'Finance disclaimer',
    SentToMemberOf: ['finance@contoso.com'],
    PrependSubject: '[finance] ',
  });
  await exchange.setDynamicDistributionGroup('finance.mailboxes@contoso.com', {
    RecipientFilter: `(RecipientType -eq 'UserMailbox') -and (MemberOfGroup -eq '${finance.distinguishedName}')`,
  });
  await exchange.transport.invoke('Set-CalendarProcessing', {
    Identity: 'boardroom@contoso.com',
    BookInPolicy: ['finance@contoso.com'],
  });
  return { financeDn: finance.distinguishedName, financeLegacyDn: finance.legacyExchangeDN };
}

describe('plan: what names the group by id', () => {
  it('blocks a recreate on what Entra holds by the object id and recommends convert', async () => {
    await w.reset();
    await seedReferences(w);
    const plan = await w.engine.plan('finance@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(plan.status).toBe('blocked');
    const entra = plan.findings.filter((f) => f.code === 'ENTRA_REFERENCE_BLOCKS_RECREATE');
    expect(entra.map((f) => [f.severity, f.attribute])).toEqual([
      ['blocking', 'licence'],
      ['blocking', 'conditional-access'],
    ]);
    expect(entra[0]!.message).toContain('SPE_E5');
    expect(entra[1]!.message).toContain('"Require MFA for finance"');
    for (const f of entra) expect(f.message).toContain('strategy "convert"');
  }, 180_000);

  it('lists each Entra reference as needs-action when configured so, and each Exchange one as a rewire', async () => {
    await w.reset();
    await seedReferences(w);
    const plan = await w.engine.plan('finance@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      entraReferences: 'needs-action',
    });
    expect(plan.status).toBe('planned');
    expect(plan.findings.map((f) => `${f.code}:${f.severity}:${f.attribute ?? ''}`)).toEqual([
      'ENTRA_REFERENCE_NOT_CARRIED:needs-action:licence',
      'ENTRA_REFERENCE_NOT_CARRIED:needs-action:conditional-access',
    ]);
    const rewires = plan.changes.filter((c) => c.step === 'rewire-config');
    expect(rewires.map((c) => c.action)).toEqual([
      'transport rule "Finance disclaimer" names it in SentToMemberOf: point it at the new group, re-read to confirm',
      'dynamic distribution group finance.mailboxes@contoso.com filters on it (RecipientFilter): point it at the new group, re-read to confirm',
      'resource mailbox boardroom@contoso.com names it in BookInPolicy: point it at the new group, re-read to confirm',
    ]);
    // In step order: right after the take-over.
    const steps = plan.changes.map((c) => c.step);
    expect(steps.indexOf('rewire-config')).toBe(steps.lastIndexOf('take-over') + 1);
  }, 180_000);

  it('finds nothing to say for convert: the object id stays', async () => {
    await w.reset();
    await seedReferences(w);
    const plan = await w.engine.plan('finance@contoso.com', { strategy: 'convert' });
    expect(plan.findings.filter((f) => f.code.startsWith('ENTRA_') || f.code.startsWith('CONFIG_'))).toEqual(
      [],
    );
    expect(plan.changes.filter((c) => c.step === 'rewire-config')).toEqual([]);
  }, 180_000);
});
