// What names a group beyond its own attributes (issue 16), end to end: groups.finance (a mail-enabled security group)
// is licensed and named by a Conditional Access policy in Entra, and by a transport rule, a dynamic distribution
// group's MemberOfGroup filter and a room's booking policy in Exchange. plan lists each; a recreate rewires the
// Exchange ones after the take-over (re-read to confirm) and reports the Entra ones with the recommended strategy.
import {
  checkConfigReferences,
  expectedConfigReferences,
  groupIdentityOf,
  loadReferences,
} from '@dlmigrate/core/testing';
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

/** The rule, the dynamic group's filter and the room's booking list, read from the tenant, name `group`. */
async function expectContainersToName(
  world: World,
  group: { distinguishedName: string; legacyExchangeDN: string },
): Promise<void> {
  const { exchange } = world.cloud;
  const [rule] = (await exchange.configuration.listTransportRules()).filter(
    (r) => r.name === 'Finance disclaimer',
  );
  expect(rule!.recipients['SentToMemberOf']).toEqual(['finance@contoso.com']);
  const ddg = (await exchange.getDynamicDistributionGroup('finance.mailboxes@contoso.com'))!;
  expect(ddg.recipientFilter).toContain(`MemberOfGroup -eq '${group.distinguishedName}'`);
  const room = await exchange.configuration.getCalendarProcessing('boardroom@contoso.com');
  expect(room.lists.BookInPolicy).toEqual([group.legacyExchangeDN]);
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
    // (plus CONVERT_RECOMMENDED, info, where convert's checks would pass)
    expect(
      plan.findings
        .filter((f) => f.severity !== 'info')
        .map((f) => `${f.code}:${f.severity}:${f.attribute ?? ''}`),
    ).toEqual([
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

describe('migrate (recreate): the references after the take-over', () => {
  it.each(['object', 'address'] as const)(
    'rewires the Exchange ones and confirms them by a re-read, reports the Entra ones (rules keep recipients by %s)',
    async (binding) => {
      await w.reset();
      // Before the rule is made: the binding is how the rule keeps what it is given.
      w.sim.setTransportRuleBinding(w.tenantId, binding);
      const { financeLegacyDn } = await seedReferences(w);
      const { exchange } = w.cloud;
      const outcome = await w.engine.migrate('finance@contoso.com', {
        nonSyncOu: w.objects['ous.nonSync']!.dn,
        entraReferences: 'needs-action',
      });
      expect(outcome.status).toBe('completed_with_warnings');
      expect(outcome.report.steps.map((s) => `${s.name}:${s.status}`)).toContain('rewire-config:completed');

      // Entra: each reported with the recommended strategy and the command for the new group.
      const entra = outcome.report.findings.filter((f) => f.code === 'ENTRA_REFERENCE_NOT_CARRIED');
      expect(entra.map((f) => [f.severity, f.attribute])).toEqual([
        ['needs-action', 'licence'],
        ['needs-action', 'conditional-access'],
      ]);
      for (const f of entra) {
        expect(f.message).toContain('strategy "convert"');
        expect(f.message).toContain("(Get-DistributionGroup -Identity 'finance@contoso.com')");
      }
      expect(
        outcome.report.findings.filter(
          (f) => f.severity !== 'info' && f.code !== 'ENTRA_REFERENCE_NOT_CARRIED',
        ),
      ).toEqual([]);

      // Exchange: every container names the new group, read back from the tenant.
      const dl = (await exchange.getDistributionGroup('finance@contoso.com'))!;
      expect(dl.isDirSynced).toBe(false);
      await expectContainersToName(w, dl);
      expect(dl.legacyExchangeDN).not.toBe(financeLegacyDn);

      // What verify checks: the expectations from the captured references hold against the tenant.
      const { config } = await loadReferences(w.state, outcome.migrationId);
      const rewire = outcome.report.changes.filter((c) => c.attribute === 'BookInPolicy');
      expect(rewire).toEqual([
        {
          side: 'cloud',
          object: 'boardroom@contoso.com',
          attribute: 'BookInPolicy',
          before: [financeLegacyDn],
          after: [dl.externalDirectoryObjectId],
        },
      ]);
      const target = groupIdentityOf((await exchange.getRecipient('finance@contoso.com'))!);
      expect(
        await checkConfigReferences(exchange, expectedConfigReferences(config!.references, target)),
      ).toEqual([]);
      // The transport rule was rewired only where the deletion took the group out of it.
      expect(outcome.report.changes.some((c) => c.attribute === 'SentToMemberOf')).toBe(binding === 'object');

      // The verify step checks the same containers: an administrator emptying the booking list is a difference.
      expect(outcome.report.findings.map((f) => f.code)).not.toContain('VERIFY_DIFFERENCE');
      await exchange.transport.invoke('Set-CalendarProcessing', {
        Identity: 'boardroom@contoso.com',
        BookInPolicy: [],
      });
      const verified = await w.engine.verify(outcome.migrationId);
      expect(verified.differences).toBe(1);
      const report = (await w.engine.report(outcome.migrationId))!;
      expect(
        report.findings.filter((f) => f.code === 'VERIFY_DIFFERENCE').map((f) => [f.subject, f.attribute]),
      ).toEqual([['boardroom@contoso.com', 'BookInPolicy']]);
    },
    300_000,
  );
});

describe('rollback after the configuration was rewired', () => {
  it('puts the containers back and points them at the group the sync re-creates', async () => {
    await w.reset();
    w.sim.setTransportRuleBinding(w.tenantId, 'object');
    await seedReferences(w);
    // Something already holds the retained name in the park OU: dispose cannot rename, so everything is undone.
    await w.ad.createRoutingContact({
      parentDn: w.objects['ous.nonSync']!.dn,
      cn: 'Finance!',
      displayName: 'Squatter',
      mail: 'squatter@contoso.com',
      mailNickname: 'squatter',
      targetAddress: 'SMTP:squatter@contoso.mail.onmicrosoft.com',
      cloudId: '00000000-0000-0000-0000-000000000000',
    });
    const outcome = await w.engine.migrate('finance@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      entraReferences: 'needs-action',
      deadlines: { cloudDeletionMinutes: 5 },
    });
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.step).toBe('dispose');
    expect(outcome.report.steps.find((s) => s.name === 'rewire-config')?.status).toBe('undone');
    expect(outcome.report.findings.map((f) => f.code)).not.toContain('CONFIG_REWIRE_FAILED');
    expect(outcome.report.findings.map((f) => f.code)).not.toContain('UNDO_FAILED');

    const { exchange } = w.cloud;
    const recreated = (await exchange.getDistributionGroup('finance@contoso.com'))!;
    expect(recreated.isDirSynced).toBe(true);
    await expectContainersToName(w, recreated);
  }, 300_000);
});

describe('restore after the configuration was rewired', () => {
  it('points the containers at the group synced back', async () => {
    await w.reset();
    w.sim.setTransportRuleBinding(w.tenantId, 'object');
    await seedReferences(w);
    const outcome = await w.engine.migrate('finance@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      entraReferences: 'needs-action',
    });
    expect(outcome.status).toBe('completed_with_warnings');
    const restored = await w.engine.restore(outcome.migrationId);
    expect(restored.status).toBe('restored');
    const back = (await w.cloud.exchange.getDistributionGroup('finance@contoso.com'))!;
    expect(back.isDirSynced).toBe(true);
    await expectContainersToName(w, back);
    const report = (await w.engine.report(outcome.migrationId))!;
    expect(report.findings.map((f) => f.code)).not.toContain('CONFIG_REWIRE_FAILED');
  }, 300_000);
});
