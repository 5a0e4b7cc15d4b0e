// Cloud-only objects that depend on groups.sales, and a Send-As right granted on it in Exchange Online: what a
// migration must carry over (and a rollback give back). No send-on-behalf: only mailboxes, mail users and
// mail-enabled security groups can be delegates (Set-Mailbox.md, GrantSendOnBehalfTo) — see the security-group test.
import { expect } from 'vitest';
import type { World } from './world.js';

export async function seedCloudDependants(world: World): Promise<void> {
  world.sim.seedRecipients(world.tenantId, [
    { type: 'UserMailbox', name: 'Cloud Boss', primarySmtpAddress: 'cloud.boss@contoso.com' },
    { type: 'UserMailbox', name: 'Cloud Forwarder', primarySmtpAddress: 'cloud.fwd@contoso.com' },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Cloud Fans',
      primarySmtpAddress: 'cloud.fans@contoso.com',
      members: ['sales@contoso.com'],
    },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Cloud Restricted',
      primarySmtpAddress: 'cloud.restricted@contoso.com',
      settings: { AcceptMessagesOnlyFromSendersOrMembers: ['sales@contoso.com'] },
    },
  ]);
  const { exchange } = world.cloud;
  await exchange.setForwardingAddress(
    { identity: 'cloud.fwd@contoso.com', recipientTypeDetails: 'UserMailbox' },
    'sales@contoso.com',
  );
  await exchange.addSendAs('sales@contoso.com', 'alice@contoso.com');
}

/** After groups.sales migrated: the cloud-only dependants seeded above name the new DL. */
export async function expectCloudDependantsRewired(world: World): Promise<void> {
  const { exchange } = world.cloud;
  expect((await exchange.getDistributionGroupMembers('cloud.fans@contoso.com')).map((m) => m.name)).toContain(
    'Sales',
  );
  expect(
    (await exchange.getDistributionGroup('cloud.restricted@contoso.com'))!
      .acceptMessagesOnlyFromSendersOrMembers,
  ).toContain('Sales');
  expect((await exchange.getMailbox('cloud.fwd@contoso.com'))!.forwardingAddress).toBe('Sales');
}
