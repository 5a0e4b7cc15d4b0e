// Changes of meaning a migration used to make without a word (issue 14): an unset on-prem depart restriction closed
// the cloud group its members could leave, a group AdminSDHolder protects (adminCount=1) migrated unremarked, and a
// Send-As entry naming a deleted account vanished. Each is now carried or reported, naming object and attribute.
import {
  ACCESS_MASK,
  ACE_TYPE,
  encodeSecurityDescriptor,
  parseSecurityDescriptor,
  SdFlagsControl,
  SEND_AS_RIGHT,
} from '@dlmigrate/ad/testing';
import { describe, expect, it } from 'vitest';
import { withoutMembersOf } from './members-of.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());
const ORPHAN_SID = 'S-1-5-21-1111111111-2222222222-3333333333-4444';

async function addSendAsAce(dn: string, sid: string): Promise<void> {
  const entry = await w.ad.connection.read(dn, {
    attributes: ['nTSecurityDescriptor'],
    controls: [new SdFlagsControl()],
  });
  const sd = parseSecurityDescriptor(entry!.buffer('nTSecurityDescriptor')!);
  sd.dacl = [
    ...(sd.dacl ?? []),
    {
      type: ACE_TYPE.ACCESS_ALLOWED_OBJECT,
      flags: 0,
      mask: ACCESS_MASK.CONTROL_ACCESS,
      sid,
      objectType: SEND_AS_RIGHT,
    },
  ];
  await w.ad.connection.modify(
    dn,
    [{ operation: 'replace', attribute: 'nTSecurityDescriptor', values: [encodeSecurityDescriptor(sd)] }],
    [new SdFlagsControl()],
  );
}

describe('no silent change of meaning', () => {
  it('keeps an unset depart restriction as the synced group had it (Open)', async () => {
    await w.reset();
    // Contractors has no msExchGroupDepartRestriction on-premises: the synced copy shows Exchange's default.
    const before = (await w.cloud.exchange.getDistributionGroup('contractors@contoso.com'))!;
    expect(before.settings['memberDepartRestriction']).toBe('Open');
    const outcome = await w.engine.migrate('contractors@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    // (sales and mallory reject the members of contractors: those restrictions are reported, members-of.ts)
    expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
    expect(outcome.status).toBe('completed_with_warnings');
    const after = (await w.cloud.exchange.getDistributionGroup('contractors@contoso.com'))!;
    expect(after.isDirSynced).toBe(false);
    expect(after.settings['memberDepartRestriction']).toBe('Open');
  }, 120_000);

  it('reports a group AdminSDHolder protects and a Send-As entry of a deleted account, naming object and attribute', async () => {
    await w.reset();
    const dn = w.objects['groups.contractors']!.dn;
    await w.ad.modifyAttributes(dn, [{ operation: 'replace', attribute: 'adminCount', values: ['1'] }]);
    await addSendAsAce(dn, ORPHAN_SID);
    const outcome = await w.engine.migrate('contractors@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    expect(outcome.status).toBe('completed_with_warnings');
    expect(withoutMembersOf(outcome.report.findings)).toEqual([
      expect.objectContaining({
        code: 'ADMIN_SD_HOLDER_PROTECTED',
        severity: 'needs-action',
        subject: dn,
        attribute: 'adminCount',
      }),
      expect.objectContaining({
        code: 'SEND_AS_TRUSTEE_ORPHANED',
        severity: 'info',
        subject: dn,
        attribute: 'ntSecurityDescriptor (Send-As)',
        message: expect.stringContaining(ORPHAN_SID),
      }),
    ]);
  }, 120_000);
});
