// Every blocker is reported — all of them together, each with its code and the object it concerns — and nothing is
// changed anywhere: not the directory, not the tenant.
import type { AttributeChange } from '@dlmigrate/ad';
import { MigrationEngine, type MigrationOptionsInput } from '@dlmigrate/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childDeps } from './child-deps.js';
import { useWorld, type World, sharedLab } from './world.js';

const w = useWorld(sharedLab());

interface Case {
  readonly name: string;
  readonly address: string;
  readonly options?: MigrationOptionsInput;
  /** Directory edits that create the problem (undone by the next reset). */
  readonly setup?: (world: World) => Promise<void>;
  readonly expected: readonly { code: string; subject?: string | RegExp }[];
}

const modify = (key: string, changes: AttributeChange[]) => async (world: World) =>
  world.ad.modifyAttributes(world.objects[key]!.dn, changes);

const addLink = (key: string, attribute: string, targetKey: string) => async (world: World) =>
  world.ad.addLinkValue(world.objects[key]!.dn, attribute, world.objects[targetKey]!.dn);

const cases: readonly Case[] = [
  {
    name: 'members that cannot follow the group',
    address: 'blocked@contoso.com',
    expected: [
      { code: 'NESTED_GROUP_EXCEPTION', subject: 'execs@contoso.com' },
      { code: 'OBJECT_NOT_MAIL_ENABLED_EXCEPTION', subject: /Nora Nomail/ },
      { code: 'OBJECT_NOT_MAIL_ENABLED_EXCEPTION', subject: /IT Security/ },
      { code: 'OBJECT_NOT_MAIL_ENABLED_EXCEPTION', subject: 'mailonlydist@contoso.com' },
      { code: 'OBJECT_NOT_MAIL_ENABLED_EXCEPTION', subject: /Frank Fischer/ },
    ],
  },
  {
    name: 'no such group',
    address: 'nobody@contoso.com',
    expected: [{ code: 'GROUP_NOT_FOUND', subject: 'nobody@contoso.com' }],
  },
  { name: 'not a group', address: 'alice@contoso.com', expected: [{ code: 'NOT_A_GROUP' }] },
  {
    name: 'duplicate mail',
    address: 'research@contoso.com',
    // Another object (a mailbox user) takes the group's address.
    setup: modify('users.heidi', [
      { operation: 'replace', attribute: 'mail', values: ['research@contoso.com'] },
    ]),
    expected: [{ code: 'DUPLICATE_MAIL', subject: 'research@contoso.com' }],
  },
  {
    name: 'name too long with the prefix',
    address: 'qbr-emea@contoso.com',
    options: { namePrefix: 'EXO-' },
    expected: [{ code: 'NAME_LENGTH_EXCEPTION' }],
  },
  {
    name: 'an address in a domain the tenant does not accept',
    address: 'research@contoso.com',
    setup: modify('groups.research', [
      { operation: 'add', attribute: 'proxyAddresses', values: ['smtp:research@old-brand.example'] },
    ]),
    expected: [{ code: 'UNKNOWN_ACCEPTED_DOMAIN', subject: 'old-brand.example' }],
  },
  {
    name: 'a manager that is no longer a security group',
    address: 'research@contoso.com',
    setup: addLink('groups.research', 'msExchCoManagedByLink', 'groups.contractors'),
    expected: [{ code: 'GROUP_NO_LONGER_SECURITY_EXCEPTION', subject: 'contractors@contoso.com' }],
  },
  {
    name: 'a self-managed group forced to Distribution',
    address: 'execs@contoso.com',
    options: { groupTypeOverride: 'Distribution' },
    setup: addLink('groups.execs', 'msExchCoManagedByLink', 'groups.execs'),
    expected: [{ code: 'GROUP_OVERRIDE_MANAGER_NOT_ALLOWED' }],
  },
  {
    name: 'a missing non-sync OU',
    address: 'research@contoso.com',
    options: { nonSyncOu: 'OU=Nowhere,DC=lab,DC=test' },
    expected: [{ code: 'NON_SYNC_OU_MISSING', subject: 'OU=Nowhere,DC=lab,DC=test' }],
  },
  {
    name: 'a group the sync does not see',
    address: 'parked@contoso.com',
    expected: [{ code: 'CLOUD_GROUP_NOT_FOUND' }],
  },
];

describe('validation blockers', () => {
  it.each(cases)(
    '$name: reported with its code, nothing changed',
    async (c) => {
      await w.reset();
      await c.setup?.(w);
      const tenantBefore = JSON.stringify(w.sim.tenant(w.tenantId).recipients);
      const matches = await w.ad.findByAddress(c.address);
      const groupBefore =
        matches.length === 1 && matches[0]!.isGroup ? await w.ad.readGroup(matches[0]!.dn) : undefined;

      const outcome = await w.engine.migrate(c.address, {
        nonSyncOu: w.objects['ous.nonSync']!.dn,
        ...c.options,
      });

      expect(outcome.status).toBe('blocked');
      for (const e of c.expected) {
        const hit = outcome.findings.find(
          (f) =>
            f.code === e.code &&
            (e.subject === undefined ||
              (typeof e.subject === 'string'
                ? f.subject === e.subject
                : e.subject.test(`${f.subject} ${f.message}`))),
        );
        expect(hit, `${e.code} ${String(e.subject)} in ${JSON.stringify(outcome.findings)}`).toBeDefined();
        expect(hit!.severity).toBe('blocking');
        expect(hit!.action).not.toBe('');
      }
      expect(outcome.report.steps.filter((s) => s.status !== 'pending').map((s) => s.name)).toEqual([
        'capture',
        'validate',
      ]);
      expect(JSON.stringify(w.sim.tenant(w.tenantId).recipients)).toBe(tenantBefore);
      if (groupBefore !== undefined) expect(await w.ad.readGroup(groupBefore.dn)).toEqual(groupBefore);
    },
    120_000,
  );
});

describe('the Exchange role', () => {
  it('blocks at validate when the app may not use -BypassSecurityGroupManagerCheck, changing nothing', async () => {
    await w.reset();
    // Exchange Recipient Administrator alone: every cmdlet, but not the bypass parameter (Set-DistributionGroup.md).
    const app = w.sim.registerApp(w.tenantId, {
      certificates: [w.childConfig.certPem],
      directoryRoles: ['Exchange Recipient Administrator'],
    });
    const statePath = join(mkdtempSync(join(tmpdir(), 'dlmigrate-e2e-role-')), 'state.db');
    const other = await childDeps({ ...w.childConfig, clientId: app.clientId, statePath });
    try {
      const tenantBefore = JSON.stringify(w.sim.tenant(w.tenantId).recipients);
      const groupBefore = await w.ad.readGroup(w.objects['groups.sales']!.dn);
      const outcome = await new MigrationEngine(other.deps).migrate('sales@contoso.com', {
        nonSyncOu: w.objects['ous.nonSync']!.dn,
      });
      expect(outcome.status).toBe('blocked');
      expect(outcome.findings).toEqual([
        expect.objectContaining({ code: 'GROUP_MANAGER_BYPASS_DENIED', severity: 'blocking' }),
      ]);
      expect(outcome.findings[0]!.action).toMatch(/Security Group Creation and Membership/);
      expect(JSON.stringify(w.sim.tenant(w.tenantId).recipients)).toBe(tenantBefore);
      expect(await w.ad.readGroup(groupBefore.dn)).toEqual(groupBefore);
    } finally {
      await other.close();
    }
  }, 120_000);
});
