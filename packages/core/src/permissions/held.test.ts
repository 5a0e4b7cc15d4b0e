import type { CloudDependant } from '@dlmigrate/exo';
import type { PermissionRecord } from '@dlmigrate/state';
import { describe, expect, it } from 'vitest';
import { collectedRightsToCarry } from './held.js';

const row = (kind: PermissionRecord['kind'], mailbox: string, trustee = 'Finance'): PermissionRecord => ({
  mailbox,
  kind,
  folder: '',
  trustee,
  trusteeSid: '',
  accessRights: [kind],
  collectedAt: '2026-12-01T00:00:00.000Z',
});

describe('collectedRightsToCarry', () => {
  it('carries each collected right once, and send-on-behalf only where the live dependants read did not find it', () => {
    const delegate = {
      link: 'GrantSendOnBehalfTo',
      recipient: { primarySmtpAddress: 'Cloud.Boss@contoso.com' },
    } as unknown as CloudDependant;
    const held = [
      row('FullAccess', 'shared@contoso.com'),
      row('FullAccess', 'shared@contoso.com', 'finance@contoso.com'), // the same right found under another name
      row('SendAs', 'bob@contoso.com'),
      row('SendOnBehalf', 'alice@contoso.com'),
      row('SendOnBehalf', 'cloud.boss@contoso.com'),
    ];
    const carried = collectedRightsToCarry({
      permissions: { collectedAt: null, held },
      cloudDependants: { dependants: [delegate], sendAsAsTrustee: [], sendAsOnGroup: [] },
    });
    expect(carried.map((p) => `${p.kind}:${p.mailbox}`)).toEqual([
      'FullAccess:shared@contoso.com',
      'SendAs:bob@contoso.com',
      'SendOnBehalf:alice@contoso.com',
    ]);
  });

  it('carries nothing without a collection', () => {
    expect(
      collectedRightsToCarry({ cloudDependants: { dependants: [], sendAsAsTrustee: [], sendAsOnGroup: [] } }),
    ).toEqual([]);
  });
});
