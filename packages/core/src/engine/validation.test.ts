import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type MigrationOptions } from '../options.js';
import type { Snapshot } from './snapshot.js';
import { emptyLinks, mailbox, membersIn, snapshot } from './snapshot.test-support.js';
import { unresolvedDependantFindings, validate as validateWith } from './validation.js';

const options: MigrationOptions = { ...DEFAULT_OPTIONS, nonSyncOu: 'OU=NonSync,DC=lab,DC=test' };
/** validate, given the snapshot's members as the validate step gives them (one page: membersIn). */
const validate = (address: string, s: Snapshot, o: MigrationOptions) =>
  validateWith(address, s, o, membersIn(s, o.skipNestedGroupCheck));
const codes = (s: Snapshot, o: MigrationOptions = options) =>
  validate('sales@contoso.com', s, o).findings.map((f) => f.code);

describe('validate', () => {
  it('a distribution group holding mailbox rights becomes a security group, or is blocked, as the option says', () => {
    const held = {
      ...snapshot(),
      permissions: {
        collectedAt: '2026-12-01T00:00:00.000Z',
        held: [
          {
            mailbox: 'shared@contoso.com',
            kind: 'FullAccess' as const,
            folder: '',
            trustee: 'Sales',
            trusteeSid: '',
            accessRights: ['FullAccess'],
            collectedAt: '2026-12-01T00:00:00.000Z',
          },
        ],
      },
    };
    expect(validate('sales@contoso.com', snapshot(), options).cloudType).toBe('Distribution');
    const made = validate('sales@contoso.com', held, options);
    expect(made.findings).toEqual([]);
    expect(made.cloudType).toBe('Security');
    expect(codes(held, { ...options, permissionHolder: 'blocking' })).toEqual([
      'PERMISSION_HOLDER_NOT_SECURITY',
    ]);
  });

  it('reports a group AdminSDHolder protects and Send-As entries of deleted accounts, without blocking', () => {
    const orphan = 'S-1-5-21-1-2-3-4444';
    const v = validate(
      'sales@contoso.com',
      snapshot({
        group: {
          adminCount: 1,
          skippedSendAs: [
            { sid: 'S-1-5-18', reason: 'well-known' },
            { sid: orphan, reason: 'orphaned' },
          ],
        },
      }),
      options,
    );
    expect(v.findings.map((f) => [f.code, f.severity, f.attribute])).toEqual([
      ['ADMIN_SD_HOLDER_PROTECTED', 'needs-action', 'adminCount'],
      ['SEND_AS_TRUSTEE_ORPHANED', 'info', 'ntSecurityDescriptor (Send-As)'],
    ]);
    expect(v.findings[1]!.message).toContain(orphan);
    expect(codes(snapshot({ group: { adminCount: 0 } }))).toEqual([]);
  });

  it('passes a clean group and decides type and routing domain', () => {
    const v = validate('sales@contoso.com', snapshot(), options);
    expect(v.findings).toEqual([]);
    expect(v.cloudType).toBe('Distribution');
    expect(v.routingDomain).toBe('contoso.mail.onmicrosoft.com');
    expect(
      validate('sales@contoso.com', snapshot(), { ...options, customRoutingDomain: 'x.example' })
        .routingDomain,
    ).toBe('x.example');
  });

  it('reports the tenant-level blockers together', () => {
    expect(
      codes(
        snapshot({
          tenant: { centralizedTransport: true, detectedRoutingDomain: null, acceptedDomains: [] },
        }),
      ),
    ).toEqual(['UNKNOWN_ACCEPTED_DOMAIN', 'CENTRALIZED_MAIL_TRANSPORT', 'NO_ROUTING_DOMAIN']);
    // Without -BypassSecurityGroupManagerCheck no write to the cloud group can succeed; a capture taken before
    // the role was recorded (field absent) is not held against the migration.
    expect(codes(snapshot({ tenant: { groupManagerBypass: false } }))).toEqual([
      'GROUP_MANAGER_BYPASS_DENIED',
    ]);
    expect(codes(snapshot({ tenant: { groupManagerBypass: undefined } }))).toEqual([]);
    expect(
      codes(snapshot({ tenant: { centralizedTransport: true } }), {
        ...options,
        overrideCentralizedMailTransport: true,
      }),
    ).toEqual([]);
  });

  it('reports protection, an earlier migration, and cloud-side problems', () => {
    expect(
      codes(
        snapshot({ group: { protectedFromAccidentalDeletion: true, marker: { tag: 'MigratedByScript' } } }),
      ),
    ).toEqual(['PROTECTED_FROM_DELETION', 'ALREADY_MIGRATED']);
    expect(codes(snapshot({ cloud: { recipient: null, group: null } }))).toEqual(['CLOUD_GROUP_NOT_FOUND']);
    const unified = { isDirSynced: true, recipientTypeDetails: 'GroupMailbox' } as never;
    expect(codes(snapshot({ cloud: { recipient: unified, group: null } }))).toEqual([
      'CLOUD_GROUP_WRONG_TYPE',
    ]);
    const cloudOnly = { isDirSynced: false, recipientTypeDetails: 'MailUniversalDistributionGroup' } as never;
    expect(codes(snapshot({ cloud: { recipient: cloudOnly, group: cloudOnly } }))).toEqual([
      'GROUP_NOT_SYNCED',
    ]);
  });

  it('checks a non-synced group for the attributes it needs instead of the cloud', () => {
    const o = { ...options, allowNonSyncedGroup: true };
    expect(codes(snapshot({ cloud: { recipient: null, group: null } }), o)).toEqual([]);
    const bare = snapshot({
      group: { legacyExchangeDN: undefined, proxyAddresses: [] },
      cloud: { recipient: null, group: null },
    });
    const finding = validate('sales@contoso.com', bare, o).findings[0];
    expect(finding).toMatchObject({
      code: 'NON_SYNCED_GROUP_INCOMPLETE',
      message: 'missing legacyExchangeDN, proxyAddresses',
    });
  });

  it('reports a park OU that is missing or evidently in the sync scope', () => {
    expect(codes(snapshot({ nonSyncOuExists: false }))).toEqual(['NON_SYNC_OU_MISSING']);
    const inScope = snapshot({
      group: { parentDn: 'OU=NonSync,DC=lab,DC=test', dn: 'CN=Sales,OU=NonSync,DC=lab,DC=test' },
    });
    expect(codes(inScope)).toEqual(['NON_SYNC_OU_IN_SYNC_SCOPE']);
  });

  it('reports links missing in the cloud and forces Security for cloud Send-As trustees', () => {
    // Not in the cloud: no ExternalDirectoryObjectId.
    const ann = mailbox('Ann', '1', { externalDirectoryObjectId: undefined });
    const s = snapshot({
      group: { links: { ...emptyLinks, member: [ann.dn] } },
      recipients: [ann],
      missing: ['ann@contoso.com'],
    });
    expect(validate('sales@contoso.com', s, options).findings[0]).toMatchObject({
      code: 'OFFICE_365_DEPENDENCY_NOT_FOUND_EXCEPTION',
      subject: 'ann@contoso.com',
      attribute: 'member',
    });
    const trustee = {
      identity: 'x',
      trustee: 'Sales',
      trusteeSidString: 'S',
      accessRights: ['SendAs'],
      isInherited: false,
    };
    expect(
      validate('sales@contoso.com', snapshot({ cloudDependants: { sendAsAsTrustee: [trustee] } }), options)
        .cloudType,
    ).toBe('Security');
  });

  it('stops at the on-prem lookup when there is no single group', () => {
    const none = {
      ...snapshot(),
      onPrem: { matches: [], group: null, schemaModern: true, nonSyncOuExists: true },
    };
    expect(codes(none)).toEqual(['GROUP_NOT_FOUND']);
    const two = {
      ...snapshot(),
      onPrem: {
        matches: [
          { dn: 'a', objectClass: 'group', isGroup: true },
          { dn: 'b', objectClass: 'user', isGroup: false },
        ],
        group: null,
        schemaModern: true,
        nonSyncOuExists: true,
      },
    };
    expect(validate('sales@contoso.com', two, options).findings[0]).toMatchObject({
      code: 'DUPLICATE_MAIL',
      message: 'held by 2 objects: a; b',
    });
  });
});

describe('back links no domain controller resolves', () => {
  it('reports each one with the attribute that names the group there', () => {
    const dn = 'CN=APAC Leads,OU=APAC,DC=apac,DC=lab,DC=test';
    expect(unresolvedDependantFindings([{ dn, backLink: 'memberOf' }])).toEqual([
      expect.objectContaining({
        code: 'ONPREM_DEPENDANT_UNRESOLVED',
        severity: 'needs-action',
        subject: dn,
        attribute: 'member',
      }),
    ]);
    expect(unresolvedDependantFindings([])).toEqual([]);
  });
});
