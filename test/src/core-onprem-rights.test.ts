// On-premises mailbox rights (issue 14): FullAccess in a mailbox user's msExchMailboxSecurityDescriptor and Send-As in
// its nTSecurityDescriptor, both naming the migrated group's objectSid, are read by `collect permissions` from the
// Samba directory, carried to the new cloud group where the mailbox is in Exchange Online, named in a needs-action
// finding where it is not (an on-premises mailbox), and verified; a carry-over broken at the Exchange client (a
// test-only fault: the grant answers success and does nothing) is a verify difference.
import type { ActiveDirectory } from '@dlmigrate/ad';
import {
  ACE_TYPE,
  ACCESS_MASK,
  encodeSecurityDescriptor,
  parseSecurityDescriptor,
  SdFlagsControl,
  SEND_AS_RIGHT,
  type Ace,
} from '@dlmigrate/ad/testing';
import { collectPermissions, MigrationEngine } from '@dlmigrate/core';
import type { ExchangeOnline } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { sharedLab, useWorld, type World } from './world.js';

const w = useWorld(sharedLab());

/** FullAccess (0x1) + ReadPermission for SELF, as Exchange stamps a new mailbox, and FullAccess for `sid`. */
async function grantFullAccessOnPrem(ad: ActiveDirectory, dn: string, sid: string): Promise<void> {
  const sd = encodeSecurityDescriptor({
    revision: 1,
    control: 0,
    owner: 'S-1-5-10',
    group: 'S-1-5-10',
    dacl: [
      { type: ACE_TYPE.ACCESS_ALLOWED, flags: 0x02, mask: 0x20001, sid: 'S-1-5-10' },
      { type: ACE_TYPE.ACCESS_ALLOWED, flags: 0x02, mask: 0x1, sid },
    ],
  });
  await ad.connection.modify(dn, [
    { operation: 'replace', attribute: 'msExchMailboxSecurityDescriptor', values: [sd] },
  ]);
}

/** Send-As for `sid` on the object: one more ACE in its DACL, written back with the SD flags control (DACL only). */
async function grantSendAsOnPrem(ad: ActiveDirectory, dn: string, sid: string): Promise<void> {
  const entry = await ad.connection.read(dn, {
    attributes: ['nTSecurityDescriptor'],
    controls: [new SdFlagsControl()],
  });
  const sd = parseSecurityDescriptor(entry!.buffer('nTSecurityDescriptor')!);
  const ace: Ace = {
    type: ACE_TYPE.ACCESS_ALLOWED_OBJECT,
    flags: 0,
    mask: ACCESS_MASK.CONTROL_ACCESS,
    sid,
    objectType: SEND_AS_RIGHT,
  };
  await ad.connection.modify(
    dn,
    [
      {
        operation: 'replace',
        attribute: 'nTSecurityDescriptor',
        values: [encodeSecurityDescriptor({ ...sd, dacl: [...(sd.dacl ?? []), ace] })],
      },
    ],
    [new SdFlagsControl()],
  );
}

async function mailOf(world: World, key: string): Promise<string> {
  const entry = await world.ad.connection.read(world.objects[key]!.dn, { attributes: ['mail'] });
  return entry!.string('mail')!.toLowerCase();
}

/** Seeds the rights of Finance on-premises and collects them; returns the mailboxes and Finance's objectSid. */
async function seedAndCollect() {
  await w.reset();
  const financeSid = (await w.ad.readGroup(w.objects['groups.finance']!.dn)).objectSid;
  const [alice, bob, nina] = await Promise.all(
    ['users.alice', 'users.bob', 'users.nonSync'].map((k) => mailOf(w, k)),
  );
  await grantFullAccessOnPrem(w.ad, w.objects['users.alice']!.dn, financeSid);
  await grantSendAsOnPrem(w.ad, w.objects['users.bob']!.dn, financeSid);
  // Nina's mailbox is on-premises (outside the synchronised tree: no mailbox in Exchange Online).
  await grantFullAccessOnPrem(w.ad, w.objects['users.nonSync']!.dn, financeSid);
  // The store keeps the collection across resets: mailboxes an earlier test left rights on are read again.
  const earlier = (await w.state.listPermissions()).map((p) => p.mailbox);
  await collectPermissions(w.cloud.exchange, w.state, {
    scope: [...new Set([...earlier, alice!, bob!, nina!])],
    directory: w.ad,
  });
  return { alice: alice!, bob: bob!, nina: nina!, financeSid };
}

describe('on-premises FullAccess and Send-As', () => {
  it('are collected from the directory, carried to the new group, and verified: 0 differences', async () => {
    const { alice, bob, nina, financeSid } = await seedAndCollect();
    expect(
      (await w.state.findPermissionsHeldBy([financeSid])).map((p) => `${p.kind}:${p.mailbox}`).sort(),
    ).toEqual([`FullAccess:${alice}`, `FullAccess:${nina}`, `SendAs:${bob}`]);

    const nonSyncOu = w.objects['ous.nonSync']!.dn;
    const plan = await w.engine.plan('finance@contoso.com', { nonSyncOu });
    expect(plan.verifies).toContainEqual({
      side: 'cloud',
      object: alice,
      attribute: 'FullAccess',
      values: 1,
    });
    expect(plan.verifies).toContainEqual(
      expect.objectContaining({ side: 'cloud', object: bob, attribute: 'SendAs (held by the group)' }),
    );
    expect(plan.verifies.filter((v) => v.object === nina)).toEqual([]);

    const outcome = await w.engine.migrate('finance@contoso.com', { nonSyncOu });
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    expect(outcome.report.findings.filter((f) => f.severity !== 'info')).toEqual([
      expect.objectContaining({
        code: 'ONPREM_MAILBOX_RIGHT_NOT_CARRIED',
        severity: 'needs-action',
        subject: nina,
        attribute: 'FullAccess',
      }),
    ]);
    const { exchange } = w.cloud;
    const finance = (await exchange.getDistributionGroup('finance@contoso.com'))!;
    expect(finance.isDirSynced).toBe(false);
    const fullAccess = await exchange.getMailboxPermissions(alice, finance.externalDirectoryObjectId);
    expect(fullAccess.some((p) => p.accessRights.includes('FullAccess'))).toBe(true);
    const sendAs = await exchange.getRecipientPermissions({
      identity: bob,
      trustee: finance.externalDirectoryObjectId,
    });
    expect(sendAs.some((p) => p.accessRights.includes('SendAs'))).toBe(true);
  }, 300_000);

  it('a carry-over that does not happen is a verify difference naming mailbox and right', async () => {
    const { alice } = await seedAndCollect();
    // Test-only broken carry-over: the FullAccess grant answers success and changes nothing.
    const broken = new Proxy(w.deps.exchange, {
      get(target, key) {
        if (key === 'addFullAccess') return async () => undefined;
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as ExchangeOnline;
    const engine = new MigrationEngine({ ...w.deps, exchange: broken });
    const outcome = await engine.migrate('finance@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(outcome.status).toBe('completed_with_warnings');
    expect(outcome.report.verification).toMatchObject({ differences: 1 });
    expect(outcome.report.findings).toContainEqual(
      expect.objectContaining({ code: 'VERIFY_DIFFERENCE', subject: alice, attribute: 'FullAccess' }),
    );
  }, 300_000);
});
