// A synced mailbox's send-on-behalf list in Exchange Online (GrantSendOnBehalfTo, kept in the cloud and written back
// on-premises) naming the migrated group (issue 14): the live scan of cloud dependants finds it without any permission
// collection, the migration carries it to the new group, verify checks it, and a carry-over that does not happen (a
// test-only fault: the write answers success and does nothing) is a verify difference naming mailbox and attribute.
import { MigrationEngine } from '@dlmigrate/core';
import type { ExchangeOnline } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { migrateCarryingSendOnBehalf } from './send-on-behalf.js';
import { sharedLab, useWorld } from './world.js';

const w = useWorld(sharedLab());
const ALICE = { identity: 'alice@contoso.com', recipientTypeDetails: 'UserMailbox' };

/** Alice (a synced mailbox) lets Finance send on her behalf, set in Exchange Online. */
async function seed(): Promise<void> {
  await w.reset();
  const { exchange } = w.cloud;
  expect((await exchange.getMailbox('alice@contoso.com'))!.isDirSynced).toBe(true);
  await exchange.changeGrantSendOnBehalfTo(ALICE, { add: ['finance@contoso.com'] });
}

describe('send-on-behalf on a synced mailbox', () => {
  it('is scanned, carried to the new group and verified: 0 differences', async () => {
    await seed();
    await migrateCarryingSendOnBehalf(w);
  }, 300_000);

  it('a carry-over that does not happen is a verify difference', async () => {
    await seed();
    const broken = new Proxy(w.deps.exchange, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key !== 'setRecipient' || typeof value !== 'function') {
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        // Test-only broken carry-over: a send-on-behalf write on a mailbox answers success and does nothing.
        return async (...args: Parameters<ExchangeOnline['setRecipient']>) =>
          args[0].recipientTypeDetails === 'UserMailbox' && 'GrantSendOnBehalfTo' in args[1]
            ? []
            : (value as ExchangeOnline['setRecipient']).apply(target, args);
      },
    }) as ExchangeOnline;
    const engine = new MigrationEngine({ ...w.deps, exchange: broken });
    const outcome = await engine.migrate('finance@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(outcome.report.verification).toMatchObject({ differences: 1 });
    expect(outcome.report.findings).toContainEqual(
      expect.objectContaining({
        code: 'VERIFY_DIFFERENCE',
        subject: 'alice@contoso.com',
        attribute: 'GrantSendOnBehalfTo',
      }),
    );
  }, 300_000);
});
