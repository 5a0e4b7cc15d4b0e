// plan, hybrid enable, hybrid update-address and restore through the built binary against the lab "cli".
import { describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';
import { useFreshLab } from './helpers/lab.js';

const cwd = tempDir('hybrid');
const lab = useFreshLab(cwd);
const run = (args: string[]) => dlmigrate(args, { cwd, env: lab.env() });
const GROUPS_OU = 'OU=Groups,OU=Contoso,DC=lab,DC=test';


const dnOf = async (address: string) => (await lab.ad().findByAddress(address))[0]?.dn;

describe('plan', () => {
  it('lists the changes for a clean group and the blockers of an unknown one, changing nothing', async () => {
    const before = await dnOf('board@contoso.com');
    const result = await run(['plan', 'board@contoso.com', 'nobody@contoso.com', '--json']);
    expect(result.code).toBe(3);
    const doc = JSON.parse(result.stdout) as { plans: { address: string; status: string; changes: { step: string; side: string; action: string }[]; findings: { code: string }[] }[] };
    const board = doc.plans.find((p) => p.address === 'board@contoso.com')!;
    expect(board.status).toBe('planned');
    expect(board.changes.map((c) => c.step)).toEqual(expect.arrayContaining(['stage', 'park', 'await-deletion', 'take-over', 'dispose']));
    expect(doc.plans.find((p) => p.address === 'nobody@contoso.com')).toMatchObject({ status: 'blocked', findings: [{ code: 'GROUP_NOT_FOUND' }] });
    expect(await dnOf('board@contoso.com')).toBe(before);
  });
});

describe('hybrid and restore on a migrated group', () => {
  it('migrates without hybrid mail flow, then hybrid enable creates the dynamic group (and is idempotent)', async () => {
    expect((await run(['migrate', 'research@contoso.com'])).code).toBe(0);
    const first = await run(['hybrid', 'enable', 'research@contoso.com', '--ou', GROUPS_OU, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout) as { dynamicGroupDn: string; created: { dynamicGroup: boolean } };
    expect(created.created.dynamicGroup).toBe(true);
    // The original address is routable on-premises again: the dynamic group holds it.
    expect(await dnOf('research@contoso.com')).toBe(created.dynamicGroupDn);
    const again = await run(['hybrid', 'enable', 'research@contoso.com', '--ou', GROUPS_OU, '--json']);
    expect(JSON.parse(again.stdout).created).toEqual({ contact: false, dynamicGroup: false, routingAddress: false });
  });

  it('updates the address in the cloud and on-premises', async () => {
    const result = await run(['hybrid', 'update-address', 'research@contoso.com', '--new-address', 'research-team@contoso.com', '--new-alias', 'research-team']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Address update \S+: completed$/m);
    expect(await dnOf('research-team@contoso.com')).toBeDefined();
  });

  it('rejects bad hybrid input without touching anything', async () => {
    const ou = await run(['hybrid', 'enable', 'research@contoso.com', '--ou', 'OU=x)(cn=*']);
    expect(ou.code).toBe(2);
    expect(ou.stderr).toContain('is not a distinguished name');
    const address = await run(['hybrid', 'update-address', 'research@contoso.com', '--new-address', 'not an address']);
    expect(address.code).toBe(2);
    expect(address.stderr).toContain('Invalid group address');
    const missing = await run(['hybrid', 'update-address', 'research@contoso.com']);
    expect(missing.code).toBe(2);
  });

  it('restores the group by its address: back on-premises, its migration rolled back', async () => {
    const result = await run(['restore', 'research@contoso.com', '--json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { status: string; migrationId: string };
    expect(doc.status).toBe('restored');
    const status = JSON.parse((await run(['status', doc.migrationId, '--json'])).stdout) as { migration: { status: string } };
    expect(status.migration.status).toBe('rolled_back');
    const unknown = await run(['restore', 'no-such-id']);
    expect(unknown.code).toBe(2);
  });
});
