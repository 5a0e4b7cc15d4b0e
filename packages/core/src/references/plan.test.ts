import { describe, expect, it } from 'vitest';
import type { ReferencesCapture } from './capture.js';
import type { ExchangeReference } from './exchange.js';
import type { GroupIdentity } from './identity.js';
import { plannedReferenceChanges, referenceFindings } from './plan.js';

const old: GroupIdentity = {
  name: 'Sales',
  primarySmtpAddress: 'sales@contoso.com',
  smtpAddresses: ['sales@contoso.com'],
  distinguishedName: 'CN=Sales,OU=contoso',
  canonicalName: null,
  legacyExchangeDns: ['/o=x/cn=sales'],
  identity: 'old-id',
  objectId: 'old-id',
};

const rule = (property: string, value: string): ExchangeReference => ({
  kind: 'transport-rule',
  container: { identity: 'r1', name: 'Sales BCC' },
  property,
  storedAs: 'address',
  value,
});

const captured: ReferencesCapture = {
  config: {
    old,
    references: [
      rule('SentToMemberOf', 'sales@contoso.com'),
      rule('SentToMemberOf', 'Sales'),
      rule('ExceptIfFromMemberOf', 'sales@contoso.com'),
    ],
    notChecked: [{ what: 'address lists', why: 'no role', command: 'Get-AddressList' }],
  },
  entra: {
    objectId: 'old-id',
    references: [
      { kind: 'licence', skuId: 'sku-1', skuPartNumber: 'SPE_E5', disabledPlans: [] },
      {
        kind: 'conditional-access',
        policyId: 'p1',
        policyName: "Block O'Brien",
        state: 'enabled',
        condition: 'exclude',
      },
    ],
    notChecked: [],
  },
};

describe('references in the plan', () => {
  it('makes each Entra reference a blocker by default, recommending convert with the command for afterwards', () => {
    const findings = referenceFindings(captured, 'sales@contoso.com', {
      strategy: 'recreate',
      entraReferences: 'blocking',
    });
    expect(findings.map((f) => [f.code, f.severity, f.attribute])).toEqual([
      ['ENTRA_REFERENCE_BLOCKS_RECREATE', 'blocking', 'licence'],
      ['ENTRA_REFERENCE_BLOCKS_RECREATE', 'blocking', 'conditional-access'],
      ['CONFIG_NOT_CHECKED', 'info', undefined],
    ]);
    expect(findings[0]!.message).toContain('SPE_E5');
    expect(findings[0]!.message).toContain('strategy "convert"');
    expect(findings[0]!.message).toContain(
      "$newGroupId = (Get-DistributionGroup -Identity 'sales@contoso.com').ExternalDirectoryObjectId; Set-MgGroupLicense -GroupId $newGroupId",
    );
    expect(findings[1]!.message).toContain('excludes it');
    expect(findings[2]!.message).toContain('Get-AddressList');
  });

  it('makes them needs-action when configured so, and finds nothing to say for convert (the id stays)', () => {
    expect(
      referenceFindings(captured, 'sales@contoso.com', {
        strategy: 'recreate',
        entraReferences: 'needs-action',
      }).map((f) => f.severity),
    ).toEqual(['needs-action', 'needs-action', 'info']);
    expect(
      referenceFindings(captured, 'sales@contoso.com', { strategy: 'convert', entraReferences: 'blocking' }),
    ).toEqual([]);
  });

  it('plans one rewire per container and property', () => {
    const changes = plannedReferenceChanges(captured);
    expect(changes.map((c) => [c.step, c.object, c.action])).toEqual([
      [
        'rewire-config',
        'Sales BCC',
        'transport rule "Sales BCC" names it in SentToMemberOf: point it at the new group, re-read to confirm',
      ],
      [
        'rewire-config',
        'Sales BCC',
        'transport rule "Sales BCC" names it in ExceptIfFromMemberOf: point it at the new group, re-read to confirm',
      ],
    ]);
    expect(plannedReferenceChanges({ config: null, entra: null })).toEqual([]);
  });
});
