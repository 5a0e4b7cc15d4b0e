// The strict defaults every e2e world has (issue 12; test/src/world.ts): the tenant keeps a deleted holder's addresses
// for a few seconds and the sync stamps no routing-domain address of its own. Here groups.sales has none on-premises
// either (as when no email address policy adds one), and a soft-deleted mailbox holds the routing address the product
// would try first — the main migrations still complete, each finding a free routing address and waiting out the
// quarantine.
import { expect, describe, it } from 'vitest';
import { withoutMembersOf } from './members-of.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

/** The soft-deleted mailbox holding the routing address groups.sales would get first. */
const HOLDER = { name: 'Sales Archive', primarySmtpAddress: 'sales@contoso.mail.onmicrosoft.com' } as const;
const HELD = HOLDER.primarySmtpAddress;

/** The routing-domain addresses a cloud group holds. */
function routingAddresses(addresses: readonly string[]): string[] {
  return addresses
    .filter((a) => /^smtp:/i.test(a) && a.toLowerCase().endsWith('@contoso.mail.onmicrosoft.com'))
    .map((a) => a.slice(5).toLowerCase());
}

/** Reset, then: no routing-domain address on groups.sales anywhere, and the soft-deleted holder of the first one. */
async function strictWorld(): Promise<void> {
  await w.reset();
  await w.ad.modifyAttributes(w.objects['groups.sales']!.dn, [
    { operation: 'delete', attribute: 'proxyAddresses', values: [`smtp:${HELD}`] },
  ]);
  expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
  w.sim.seedRecipients(w.tenantId, [{ type: 'UserMailbox', ...HOLDER, softDeleted: true }]);
}

async function softDeletedHolderKeepsItsAddress(): Promise<void> {
  expect(await w.cloud.exchange.getRecipient(HELD)).toBeNull();
  const holder = await w.cloud.exchange.getRecipient(HELD, { includeSoftDeleted: true });
  expect(holder?.name).toBe(HOLDER.name);
}

describe('strict defaults: quarantine on, a soft-deleted holder, no routing stamp', () => {
  it('the synced group carries no routing-domain address', async () => {
    await strictWorld();
    const sales = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(sales.isDirSynced).toBe(true);
    expect(routingAddresses(sales.emailAddresses)).toEqual([]);
    await softDeletedHolderKeepsItsAddress();
  }, 180_000);

  it('recreate with hybrid mail flow: a free routing address past the soft-deleted holder, the quarantine waited out', async () => {
    await strictWorld();
    const outcome = await w.engine.migrate('sales@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      hybridMailFlow: true,
    });
    expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
    expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts

    // The synced group's own addresses were still in quarantine when take-over first wrote them.
    const takeOver = (await w.state.listJournal(outcome.migrationId)).find(
      (e) => e.step === 'take-over' && e.event === 'completed',
    );
    expect((takeOver?.data['result'] as { conflictRetries?: number }).conflictRetries).toBeGreaterThan(0);

    const after = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(after.isDirSynced).toBe(false);
    expect(after.primarySmtpAddress).toBe('sales@contoso.com');
    const routing = routingAddresses(after.emailAddresses);
    expect(routing).toHaveLength(1);
    expect(routing[0]).not.toBe(HELD);
    await softDeletedHolderKeepsItsAddress();

    // The routing contact forwards to that address; the dynamic DL holds the original addresses on-prem.
    const [contact] = await w.ad.findByAddress('sales-MigratedByScript@contoso.com');
    const target = (await w.ad.connection.read(contact!.dn, { attributes: ['targetAddress'] }))!;
    expect(target.string('targetAddress')).toBe(`SMTP:${routing[0]!.toUpperCase()}`);
    const [dynamic] = await w.ad.findByAddress('sales@contoso.com');
    expect(dynamic?.objectClass).toBe('msExchDynamicDistributionList');
  }, 300_000);

  it('convert in place: the converted group gets a free routing address past the soft-deleted holder', async () => {
    await strictWorld();
    const outcome = await w.engine.migrate('sales@contoso.com', { strategy: 'convert' });
    expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
    expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts
    const after = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(after.isDirSynced).toBe(false);
    const routing = routingAddresses(after.emailAddresses);
    expect(routing).toHaveLength(1);
    expect(routing[0]).not.toBe(HELD);
    await softDeletedHolderKeepsItsAddress();
  }, 300_000);
});

// What only a real tenant can settle is a tenant behaviour of the simulator with both answers (packages/cloud-sim
// README, fidelity ledger); the product migrates under each.
describe('what only a real tenant can settle: the product works under both answers', () => {
  const nonSyncOu = () => w.objects['ous.nonSync']!.dn;

  it('an app creating a DL without ManagedBy is refused: the on-prem owners are given at creation', async () => {
    await w.reset();
    w.sim.setBehaviour(w.tenantId, { groupWithoutOwner: 'refused' });
    const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: nonSyncOu() });
    expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
    expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts
    const owners = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!.managedBy;
    expect(owners).toContain('Alice Anders');
  }, 300_000);

  it('an ownerless on-prem group: ownerless in the cloud, or refused — then stopped before any change, or owned by the fallback owner', async () => {
    // Allowed (the default): the cloud group has no owner either.
    await w.reset();
    const allowed = await w.engine.migrate('contractors@contoso.com', { nonSyncOu: nonSyncOu() });
    expect(withoutMembersOf(allowed.report.findings)).toEqual([]);
    expect(allowed.status).toBe('completed_with_warnings'); // members-of.ts
    expect((await w.cloud.exchange.getDistributionGroup('contractors@contoso.com'))!.managedBy).toEqual([]);

    // Refused, no fallback owner: CLOUD_GROUP_NEEDS_OWNER, rolled back.
    await w.reset();
    w.sim.setBehaviour(w.tenantId, { groupWithoutOwner: 'refused' });
    const stopped = await w.engine.migrate('contractors@contoso.com', { nonSyncOu: nonSyncOu() });
    expect(stopped.status).toBe('rolled_back');
    expect(stopped.step).toBe('stage');
    expect(stopped.report.findings.map((f) => f.code)).toContain('CLOUD_GROUP_NEEDS_OWNER');
    expect((await w.cloud.exchange.getDistributionGroup('contractors@contoso.com'))!.isDirSynced).toBe(true);

    // Refused, with a fallback owner: migrated, the owner reported.
    await w.reset();
    w.sim.setBehaviour(w.tenantId, { groupWithoutOwner: 'refused' });
    const owned = await w.engine.migrate('contractors@contoso.com', {
      nonSyncOu: nonSyncOu(),
      fallbackOwner: 'alice@contoso.com',
    });
    expect(owned.status).toBe('completed_with_warnings');
    expect(withoutMembersOf(owned.report.findings).map((f) => `${f.code}:${f.subject}`)).toEqual([
      'FALLBACK_OWNER_ADDED:alice@contoso.com',
    ]);
    expect((await w.cloud.exchange.getDistributionGroup('contractors@contoso.com'))!.managedBy).toEqual([
      'Alice Anders',
    ]);
  }, 600_000);

  it.each(['clears', 'refused'] as const)(
    'a group without members migrates when -Members @() %s',
    async (emptyMembers) => {
      await w.reset();
      const contractors = w.objects['groups.contractors']!.dn;
      await w.ad.modifyAttributes(contractors, [{ operation: 'replace', attribute: 'member', values: [] }]);
      expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
      w.sim.setBehaviour(w.tenantId, { emptyMembers });
      const outcome = await w.engine.migrate('contractors@contoso.com', { nonSyncOu: nonSyncOu() });
      expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
      expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts
      expect(await w.cloud.exchange.getDistributionGroupMembers('contractors@contoso.com')).toEqual([]);
    },
    300_000,
  );
});
