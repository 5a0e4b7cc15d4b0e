// Contract tests of the fidelity ledger (README, "Fidelity ledger"): where Microsoft documents a
// stricter service than the simulator used to be, and the tenant behaviours only a real tenant can
// settle (each tested under both answers). Raw HTTP, as the other contract tests.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { cmdletError, contoso, request, setupTenant, tokenFor, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
let baseline: string;
const bypass = { BypassSecurityGroupManagerCheck: true };
const exchange = 'https://outlook.office365.com';

beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.seedRecipients(t.tenantId, [
    contoso.alice,
    contoso.bob,
    contoso.erin,
    { ...contoso.paul, displayName: 'Paul (Fabrikam)' },
    {
      ...contoso.marketing,
      displayName: 'Marketing Team',
      members: ['alice', 'bob'],
      settings: { ManagedBy: ['alice'] },
    },
    { ...contoso.execs, members: ['alice'], settings: { ManagedBy: ['alice'] } },
    contoso.salesPeople,
  ]);
  baseline = sim.snapshot();
});
beforeEach(() => {
  sim.restore(baseline);
  sim.clearFaults(t.tenantId);
});
afterAll(async () => sim.stop());

async function dnOf(identity: string): Promise<string> {
  return (await t.invoke('Get-Recipient', { Identity: identity })).json.value[0].DistinguishedName as string;
}

async function appToken(input: Parameters<CloudSim['registerApp']>[1]): Promise<string> {
  const app = sim.registerApp(t.tenantId, input);
  return tokenFor(sim, t.tenantId, app.clientId, t.cert, exchange);
}

/** Makes a seeded group look synchronised from on-premises (what the sync engine stamps). */
function markSynced(name: string): string {
  const r = Object.values(sim.tenant(t.tenantId).recipients).find((x) => x.Name === name)!;
  r.IsDirSynced = true;
  r.dir.onPremisesSyncEnabled = true;
  r.dir.sourceAnchor = Buffer.from(r.Guid.replace(/-/g, ''), 'hex').toString('base64');
  return r.ExternalDirectoryObjectId;
}

describe('-Filter properties per cmdlet (filter-properties.md)', () => {
  it('refuses a property the cmdlet does not list, before looking at any object', async () => {
    const dn = await dnOf('marketing');
    // IsDirSynced is not listed for Get-DynamicDistributionGroup.
    const ddg = await t.invoke('Get-DynamicDistributionGroup', {
      Filter: `(AcceptMessagesOnlyFromDLMembers -eq '${dn}') -and (IsDirSynced -eq $false)`,
    });
    expect(ddg.status, ddg.text).toBe(400);
    expect(cmdletError(ddg)).toMatchObject({
      id: 'ParameterArgumentTransformationError',
      type: 'System.Management.Automation.ParameterBindingException',
    });
    expect(cmdletError(ddg).message).toContain('"IsDirSynced" is not a recognized filterable property');
    // Members is filterable on Get-Recipient / Get-DistributionGroup / Get-Group only.
    expect((await t.invoke('Get-Mailbox', { Filter: `Members -eq '${dn}'` })).status).toBe(400);
    expect((await t.invoke('Get-Recipient', { Filter: `Members -eq '${dn}'` })).status).toBe(200);
    // ForwardingAddress: Get-Mailbox and Get-MailUser, not Get-Recipient.
    expect((await t.invoke('Get-Recipient', { Filter: `ForwardingAddress -eq '${dn}'` })).status).toBe(400);
    expect((await t.invoke('Get-MailUser', { Filter: `ForwardingAddress -eq '${dn}'` })).status).toBe(200);
    // Undocumented properties are refused everywhere.
    for (const prop of ['AcceptMessagesOnlyFromSendersOrMembers', 'ExchangeObjectId', 'Nonsense'])
      expect((await t.invoke('Get-DistributionGroup', { Filter: `${prop} -eq 'x'` })).status, prop).toBe(400);
  });

  it('allows BypassModerationFromDLMembers where DLConversionV2 uses it', async () => {
    const dn = await dnOf('marketing');
    await t.invoke('Set-DistributionGroup', {
      Identity: 'execs',
      BypassModerationFromSendersOrMembers: ['marketing'],
      ...bypass,
    });
    for (const cmdlet of [
      'Get-DistributionGroup',
      'Get-DynamicDistributionGroup',
      'Get-UnifiedGroup',
      'Get-Mailbox',
      'Get-MailUser',
      'Get-MailContact',
    ]) {
      const res = await t.invoke(cmdlet, { Filter: `BypassModerationFromDLMembers -eq '${dn}'` });
      expect(res.status, `${cmdlet}: ${res.text}`).toBe(200);
    }
    const found = await t.invoke('Get-DistributionGroup', {
      Filter: `(BypassModerationFromDLMembers -eq '${dn}') -and (IsDirSynced -eq $false)`,
    });
    expect(found.json.value.map((g: { Name: string }) => g.Name)).toEqual(['Execs']);
    expect(
      (await t.invoke('Get-Recipient', { Filter: `BypassModerationFromDLMembers -eq '${dn}'` })).status,
    ).toBe(400);
  });

  it('EmailAddresses -like matches only with the prefix; -eq needs none', async () => {
    const names = async (filter: string) =>
      (await t.invoke('Get-Recipient', { Filter: filter })).json.value.map((r: { Name: string }) => r.Name);
    expect(await names("EmailAddresses -like 'marketing*'")).toEqual([]);
    expect(await names("EmailAddresses -like 'smtp:marketing*'")).toEqual(['Marketing']);
    expect(await names("EmailAddresses -eq 'marketing@contoso.com'")).toEqual(['Marketing']);
  });

  it('a backtick is not an escape inside an OPATH value (only a doubled quote is)', async () => {
    sim.seedRecipients(t.tenantId, [
      { type: 'MailContact', name: "O'Brien`s", alias: 'obrien', primarySmtpAddress: 'ob@fabrikam.example' },
    ]);
    const quoted = await t.invoke('Get-Recipient', { Filter: "Name -eq 'O''Brien`s'" });
    expect(quoted.json.value.map((r: { Name: string }) => r.Name)).toEqual(["O'Brien`s"]);
    expect((await t.invoke('Get-Recipient', { Filter: "Name -eq 'O`'Brien`s'" })).status).toBe(400);
  });
});

describe('identity', () => {
  it('DisplayName is not an -Identity form, but -Filter "DisplayName -eq" finds it', async () => {
    expect((await t.invoke('Get-Recipient', { Identity: 'Marketing Team' })).status).toBe(404);
    expect((await t.invoke('Get-Recipient', { Identity: 'Marketing' })).status).toBe(200);
    const byFilter = await t.invoke('Get-Recipient', { Filter: "DisplayName -eq 'Marketing Team'" });
    expect(byFilter.json.value.map((r: { Name: string }) => r.Name)).toEqual(['Marketing']);
  });
});

describe('Send As (Get-RecipientPermission -Trustee)', () => {
  it('accepts only security principals as -Trustee, like Add-RecipientPermission', async () => {
    const dl = await t.invoke('Get-RecipientPermission', { Trustee: 'marketing' });
    expect(dl.status).toBe(400);
    expect(cmdletError(dl)).toMatchObject({
      id: 'Ex2F4A18',
      type: 'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
    });
    expect((await t.invoke('Get-RecipientPermission', { Trustee: 'paul' })).status).toBe(400);
    for (const principal of ['alice', 'erin', 'execs'])
      expect((await t.invoke('Get-RecipientPermission', { Trustee: principal })).status, principal).toBe(200);
  });
});

describe('addresses after a deletion (tenant behaviour addressQuarantineSeconds)', () => {
  it('keeps a deleted holder’s addresses taken for the quarantine, naming it, then frees them', async () => {
    sim.setBehaviour(t.tenantId, { addressQuarantineSeconds: 1 });
    await t.invoke('New-DistributionGroup', { Name: 'Successor', Alias: 'successor' });
    expect((await t.invoke('Remove-DistributionGroup', { Identity: 'marketing', ...bypass })).status).toBe(
      200,
    );
    const held = await t.invoke('Set-DistributionGroup', {
      Identity: 'successor',
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: ['marketing@contoso.com'] },
      ...bypass,
    });
    expect(held.status).toBe(400);
    expect(cmdletError(held)).toMatchObject({
      type: 'Microsoft.Exchange.Data.Directory.ProxyAddressExistsException',
    });
    expect(cmdletError(held).message).toMatch(
      /already being used .* of ".*\/contoso\.onmicrosoft\.com\/Marketing"/,
    );
    // The deleted group is gone for every other purpose.
    expect((await t.invoke('Get-Recipient', { Identity: 'marketing' })).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const freed = await t.invoke('Set-DistributionGroup', {
      Identity: 'successor',
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: ['marketing@contoso.com'] },
      ...bypass,
    });
    expect(freed.status, freed.text).toBe(200);
  });

  it('frees them at once without a quarantine (the default)', async () => {
    expect(sim.behaviour(t.tenantId).addressQuarantineSeconds).toBe(0);
    await t.invoke('Remove-DistributionGroup', { Identity: 'marketing', ...bypass });
    const created = await t.invoke('New-DistributionGroup', {
      Name: 'Successor',
      PrimarySmtpAddress: 'marketing@contoso.com',
    });
    expect(created.status, created.text).toBe(200);
  });
});

describe('soft-deleted recipients', () => {
  beforeEach(() => {
    sim.seedRecipients(t.tenantId, [
      {
        type: 'UserMailbox',
        name: 'Gone Gary',
        alias: 'gary',
        primarySmtpAddress: 'gary@contoso.com',
        softDeleted: true,
      },
    ]);
  });

  it('are shown only by Get-Recipient -IncludeSoftDeletedRecipients', async () => {
    expect((await t.invoke('Get-Recipient', { Identity: 'gary@contoso.com' })).status).toBe(404);
    expect((await t.invoke('Get-Mailbox', { Identity: 'gary@contoso.com' })).status).toBe(404);
    const listed = await t.invoke('Get-Recipient', { ResultSize: 'Unlimited' });
    expect(listed.json.value.map((r: { Name: string }) => r.Name)).not.toContain('Gone Gary');
    const shown = await t.invoke('Get-Recipient', {
      Identity: 'gary@contoso.com',
      IncludeSoftDeletedRecipients: true,
    });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.json.value[0]).toMatchObject({ Name: 'Gone Gary', RecipientTypeDetails: 'UserMailbox' });
    expect(shown.json.value[0].WhenSoftDeleted).toEqual(expect.any(String));
    const filtered = await t.invoke('Get-Recipient', {
      Filter: "EmailAddresses -eq 'gary@contoso.com'",
      IncludeSoftDeletedRecipients: true,
    });
    expect(filtered.json.value.map((r: { Name: string }) => r.Name)).toEqual(['Gone Gary']);
    // A filter the live index answers finds the live holders from it and the soft-deleted ones too (they are outside it).
    const holders = async (includeSoftDeleted: boolean) =>
      (
        await t.invoke('Get-Recipient', {
          Filter: "(EmailAddresses -eq 'gary@contoso.com') -or (EmailAddresses -eq 'bob@contoso.com')",
          ...(includeSoftDeleted ? { IncludeSoftDeletedRecipients: true } : {}),
        })
      ).json.value.map((r: { Name: string }) => r.Name);
    expect(await holders(true)).toEqual(['Bob Berg', 'Gone Gary']);
    expect(await holders(false)).toEqual(['Bob Berg']);
    // Not a member, owner or sender candidate.
    expect(
      (await t.invoke('Add-DistributionGroupMember', { Identity: 'marketing', Member: 'gary', ...bypass }))
        .status,
    ).toBe(404);
  });

  it('keep their addresses', async () => {
    const taken = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: ['gary@contoso.com'] },
      ...bypass,
    });
    expect(taken.status).toBe(400);
    expect(cmdletError(taken).type).toBe('Microsoft.Exchange.Data.Directory.ProxyAddressExistsException');
    expect(cmdletError(taken).message).toContain('/Gone Gary"');
    expect(() =>
      sim.seedRecipients(t.tenantId, [
        {
          type: 'MailUniversalDistributionGroup',
          name: 'X',
          primarySmtpAddress: 'x@contoso.com',
          softDeleted: true,
        },
      ]),
    ).toThrow(/can be soft-deleted/);
  });
});

describe('membership server time and the REST cut-off', () => {
  it('answers Update-DistributionGroupMember after its server time, and 504 past the cut-off', async () => {
    sim.seedRecipients(
      t.tenantId,
      Array.from({ length: 40 }, (_, i) => ({
        type: 'MailContact' as const,
        name: `Contact ${i}`,
        primarySmtpAddress: `c${i}@fabrikam.example`,
      })),
    );
    const members = Array.from({ length: 40 }, (_, i) => `c${i}@fabrikam.example`);
    // 25 ms per member, 0.5 s cut-off: 20 members fit, 40 don't.
    sim.setBehaviour(t.tenantId, { memberUpdateMs: 25, restTimeoutSeconds: 0.5 });
    const fits = await t.invoke('Update-DistributionGroupMember', {
      Identity: 'marketing',
      Members: members.slice(0, 20),
      ...bypass,
    });
    expect(fits.status, fits.text).toBe(200);
    const tooMany = await t.invoke('Update-DistributionGroupMember', {
      Identity: 'execs',
      Members: members,
      ...bypass,
    });
    expect(tooMany.status).toBe(504);
    expect(tooMany.json.error.code).toBe('GatewayTimeout');
    // The members processed before the cut-off were added; the old one (Alice) was not removed yet.
    const after = await t.invoke('Get-DistributionGroupMember', {
      Identity: 'execs',
      ResultSize: 'Unlimited',
    });
    const names = after.json.value.map((r: { Name: string }) => r.Name);
    expect(names).toHaveLength(21);
    expect(names).toContain('Alice Anders');
  });
});

describe('BypassSecurityGroupManagerCheck needs Organization Management or Security Group Creation and Membership', () => {
  it('does not exist for an Exchange Recipient Administrator alone', async () => {
    const token = await appToken({
      certificates: [t.cert.certPem],
      directoryRoles: ['Exchange Recipient Administrator'],
    });
    const refused = await t.invoke(
      'Set-DistributionGroup',
      { Identity: 'marketing', CustomAttribute1: 'x', ...bypass },
      { token },
    );
    expect(refused.status).toBe(400);
    expect(cmdletError(refused)).toMatchObject({
      id: 'NamedParameterNotFound',
      type: 'System.Management.Automation.ParameterBindingException',
    });
    // Other cmdlets and parameters work for it.
    expect(
      (await t.invoke('Set-Mailbox', { Identity: 'alice', CustomAttribute1: 'x' }, { token })).status,
    ).toBe(200);
    // A nonexistent group: binding fails first, so the probe changes nothing either way.
    const probe = await t.invoke(
      'Set-DistributionGroup',
      { Identity: 'no-such-group-0000', ...bypass },
      { token },
    );
    expect(cmdletError(probe).id).toBe('NamedParameterNotFound');
  });

  it('works with the role assigned, in Organization Management, or as Exchange Administrator', async () => {
    const tokens = [
      await appToken({
        certificates: [t.cert.certPem],
        directoryRoles: ['Exchange Recipient Administrator'],
        exchangeRoles: ['Security Group Creation and Membership'],
      }),
      await appToken({
        certificates: [t.cert.certPem],
        directoryRoles: [],
        exchangeRoleGroups: ['Organization Management'],
      }),
      t.exoToken,
    ];
    for (const token of tokens) {
      const res = await t.invoke(
        'Set-DistributionGroup',
        { Identity: 'marketing', CustomAttribute1: 'y', ...bypass },
        { token },
      );
      expect(res.status, res.text).toBe(200);
    }
    const probe = await t.invoke('Set-DistributionGroup', { Identity: 'no-such-group-0000', ...bypass });
    expect(probe.status).toBe(404);
  });
});

describe('recipient kinds of ModeratedBy and GrantSendOnBehalfTo', () => {
  it('ModeratedBy: a mailbox, mail user or mail contact', async () => {
    for (const ok of ['alice', 'erin', 'paul'])
      expect(
        (await t.invoke('Set-DistributionGroup', { Identity: 'marketing', ModeratedBy: [ok], ...bypass }))
          .status,
        ok,
      ).toBe(200);
    const group = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ModeratedBy: ['execs'],
      ...bypass,
    });
    expect(group.status).toBe(400);
    expect(cmdletError(group)).toMatchObject({
      id: 'Ex2F4A18',
      type: 'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
    });
  });

  it('GrantSendOnBehalfTo: a mailbox, mail user or mail-enabled security group', async () => {
    for (const ok of ['alice', 'erin', 'execs'])
      expect(
        (
          await t.invoke('Set-DistributionGroup', {
            Identity: 'marketing',
            GrantSendOnBehalfTo: [ok],
            ...bypass,
          })
        ).status,
        ok,
      ).toBe(200);
    for (const bad of ['paul', 'marketing'])
      expect(
        (
          await t.invoke('Set-Mailbox', {
            Identity: 'bob',
            GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', Add: [bad] },
          })
        ).status,
        bad,
      ).toBe(400);
  });
});

describe('values', () => {
  it('Alias accepts U+00A1 to U+00FF, nothing beyond', async () => {
    const cafe = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      Alias: 'café.ñ',
      ...bypass,
    });
    expect(cafe.status, cafe.text).toBe(200);
    expect((await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0].Alias).toBe(
      'café.ñ',
    );
    expect(
      (await t.invoke('Set-DistributionGroup', { Identity: 'marketing', Alias: 'ĉapelo', ...bypass })).status,
    ).toBe(400);
  });

  it('MailTip and the "default:" MailTip translation are one value', async () => {
    await t.invoke('Set-DistributionGroup', { Identity: 'marketing', MailTip: 'Read me', ...bypass });
    let g = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0];
    expect(g.MailTip).toBe('<html><body>Read me</body></html>');
    expect(g.MailTipTranslations).toEqual(['default:<html><body>Read me</body></html>']);
    await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      MailTipTranslations: { '@odata.type': '#Exchange.GenericHashTable', Add: ['ES:Léame'] },
      ...bypass,
    });
    await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      MailTipTranslations: ['default:Changed', 'ES:Léame'],
      ...bypass,
    });
    g = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0];
    expect(g.MailTip).toBe('<html><body>Changed</body></html>');
    expect(g.MailTipTranslations).toEqual(['default:<html><body>Changed</body></html>', 'ES:Léame']);
    await t.invoke('Set-DistributionGroup', { Identity: 'marketing', MailTip: null, ...bypass });
    g = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0];
    expect(g.MailTip).toBeNull();
    expect(g.MailTipTranslations).toEqual(['ES:Léame']);
  });
});

describe('what only a real tenant can settle: both answers', () => {
  it('New-DistributionGroup by an app without ManagedBy: ownerless (default) or refused', async () => {
    const ownerless = await t.invoke('New-DistributionGroup', { Name: 'No Owner' });
    expect(ownerless.status, ownerless.text).toBe(200);
    expect(ownerless.json.value[0].ManagedBy).toEqual([]);
    sim.setBehaviour(t.tenantId, { groupWithoutOwner: 'refused' });
    const refused = await t.invoke('New-DistributionGroup', { Name: 'No Owner 2' });
    expect(refused.status).toBe(400);
    expect(cmdletError(refused).message).toBe('A group must have at least one owner.');
    const owned = await t.invoke('New-DistributionGroup', { Name: 'Owned', ManagedBy: ['alice'] });
    expect(owned.status, owned.text).toBe(200);
  });

  it('Update-DistributionGroupMember -Members @(): clears (default) or refused at binding', async () => {
    const cleared = await t.invoke('Update-DistributionGroupMember', {
      Identity: 'marketing',
      Members: [],
      ...bypass,
    });
    expect(cleared.status).toBe(200);
    expect((await t.invoke('Get-DistributionGroupMember', { Identity: 'marketing' })).json.value).toEqual([]);
    sim.setBehaviour(t.tenantId, { emptyMembers: 'refused' });
    const refused = await t.invoke('Update-DistributionGroupMember', {
      Identity: 'execs',
      Members: [],
      ...bypass,
    });
    expect(refused.status).toBe(400);
    expect(cmdletError(refused).type).toBe(
      'System.Management.Automation.ParameterBindingValidationException',
    );
    expect((await t.invoke('Get-DistributionGroupMember', { Identity: 'execs' })).json.value).toHaveLength(1);
  });

  it('behaviour over the control plane: read, change, refuse bad values', async () => {
    const base = `${sim.url}/_sim/tenants/${t.tenantId}/behaviour`;
    const put = (body: unknown) =>
      request(sim, 'PUT', base, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const changed = await put({ addressQuarantineSeconds: 5, emptyMembers: 'refused' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({
      addressQuarantineSeconds: 5,
      emptyMembers: 'refused',
      memberUpdateMs: 0,
    });
    expect((await request(sim, 'GET', base)).json.addressQuarantineSeconds).toBe(5);
    expect((await put({ emptyMembers: 'sometimes' })).status).toBe(400);
    expect((await put({ addressQuarantineSeconds: -1 })).status).toBe(400);
    expect((await put({ quarantine: 1 })).status).toBe(400);
    expect(sim.behaviour(t.tenantId).addressQuarantineSeconds).toBe(5);
  });
});

describe('onPremisesSyncBehavior (Group source of authority)', () => {
  it('PATCH answers 200 with the object and accepts the documented @odata.type', async () => {
    const id = markSynced('Marketing');
    const patch = await t.graph('PATCH', `/beta/groups/${id}/onPremisesSyncBehavior`, {
      '@odata.type': '#microsoft.graph.onPremisesSyncBehavior',
      isCloudManaged: true,
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.json).toMatchObject({
      '@odata.type': '#microsoft.graph.onPremisesSyncBehavior',
      id,
      isCloudManaged: true,
    });
    const wrongType = await t.graph('PATCH', `/beta/groups/${id}/onPremisesSyncBehavior`, {
      '@odata.type': '#microsoft.graph.group',
      isCloudManaged: true,
    });
    expect(wrongType.status).toBe(400);
  });

  it('needs Group-OnPremisesSyncBehavior.ReadWrite.All to read as well (there is no Read.All)', async () => {
    const id = markSynced('Marketing');
    const app = sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      roles: { 'https://graph.microsoft.com': ['Group.Read.All', 'Group-OnPremisesSyncBehavior.Read.All'] },
    });
    const token = await tokenFor(sim, t.tenantId, app.clientId, t.cert, 'https://graph.microsoft.com');
    const get = await t.graph('GET', `/beta/groups/${id}/onPremisesSyncBehavior`, undefined, token);
    expect(get.status).toBe(403);
    expect((await t.graph('GET', `/beta/groups/${id}/onPremisesSyncBehavior`)).status).toBe(200);
  });

  it('Exchange shows IsDirSynced=false only after the tenant’s delay', async () => {
    sim.setBehaviour(t.tenantId, { exchangeSoaDelaySeconds: 0.5 });
    const id = markSynced('Marketing');
    await t.graph('PATCH', `/beta/groups/${id}/onPremisesSyncBehavior`, { isCloudManaged: true });
    expect((await t.graph('GET', `/v1.0/groups/${id}`)).json.onPremisesSyncEnabled).toBeNull();
    expect((await t.invoke('Get-DistributionGroup', { Identity: id })).json.value[0].IsDirSynced).toBe(true);
    const early = await t.invoke('Set-DistributionGroup', { Identity: id, CustomAttribute1: 'x', ...bypass });
    expect(cmdletError(early).message).toContain('being synchronized from your on-premises organization');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await t.invoke('Get-DistributionGroup', { Identity: id })).json.value[0].IsDirSynced).toBe(false);
    expect(
      (await t.invoke('Set-DistributionGroup', { Identity: id, CustomAttribute1: 'x', ...bypass })).status,
    ).toBe(200);
  });

  it('refuses a rollback while the group has cloud references (cloud-only members)', async () => {
    const id = markSynced('Marketing');
    for (const name of ['Alice Anders', 'Bob Berg']) markSynced(name);
    await t.graph('PATCH', `/beta/groups/${id}/onPremisesSyncBehavior`, { isCloudManaged: true });
    await t.invoke('Add-DistributionGroupMember', { Identity: id, Member: 'erin', ...bypass });
    const refused = await t.graph('PATCH', `/beta/groups/${id}/onPremisesSyncBehavior`, {
      isCloudManaged: false,
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toContain('Erin Evans');
    await t.invoke('Remove-DistributionGroupMember', { Identity: id, Member: 'erin', ...bypass });
    const back = await t.graph('PATCH', `/beta/groups/${id}/onPremisesSyncBehavior`, {
      isCloudManaged: false,
    });
    expect(back.status, back.text).toBe(200);
    expect(back.json.isCloudManaged).toBe(false);
  });
});
