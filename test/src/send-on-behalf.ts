// Finance migrated while alice@contoso.com lets it send on her behalf (core-verify.test.ts and
// core-synced-delegates.test.ts seed that differently): plan promises to verify the list, the migration carries it to
// the new cloud-managed group, and verify finds no difference.
import { expect } from 'vitest';
import type { World } from './world.js';

export async function migrateCarryingSendOnBehalf(w: World) {
  const nonSyncOu = w.objects['ous.nonSync']!.dn;
  const plan = await w.engine.plan('finance@contoso.com', { nonSyncOu });
  expect(plan.verifies).toContainEqual({
    side: 'cloud',
    object: 'alice@contoso.com',
    attribute: 'GrantSendOnBehalfTo',
    values: 1,
  });
  const outcome = await w.engine.migrate('finance@contoso.com', { nonSyncOu });
  expect(outcome.report.verification).toMatchObject({ differences: 0 });
  const finance = (await w.cloud.exchange.getDistributionGroup('finance@contoso.com'))!;
  expect(finance.isDirSynced).toBe(false);
  expect((await w.cloud.exchange.getMailbox('alice@contoso.com'))!.grantSendOnBehalfTo).toContain(
    finance.name,
  );
  return { outcome, finance };
}
