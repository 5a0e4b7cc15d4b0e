// Graph delta query on groups (group: delta, microsoft-graph-docs-contrib api-reference/v1.0/api/group-delta.md;
// concepts/delta-query-overview.md): initial round with paging and a deltaLink, "sync from now" with
// $deltatoken=latest, changes and deletions (@removed) since a deltaLink, $select and $filter=id eq … limits,
// members@delta, and the synchronization reset for an unknown token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { setupTenant, type HttpResult, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
const bypass = { BypassSecurityGroupManagerCheck: true };

beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.seedRecipients(t.tenantId, [
    { type: 'UserMailbox', name: 'Alice', alias: 'alice', primarySmtpAddress: 'alice@contoso.com' },
    { type: 'UserMailbox', name: 'Bob', alias: 'bob', primarySmtpAddress: 'bob@contoso.com' },
    ...Array.from({ length: 130 }, (_, i) => ({
      type: 'MailUniversalDistributionGroup' as const,
      name: `G${String(i).padStart(3, '0')}`,
      primarySmtpAddress: `g${i}@contoso.com`,
      members: i === 0 ? ['alice'] : [],
    })),
  ]);
});
afterAll(async () => {
  await sim.stop();
});

const idOf = (name: string) =>
  Object.values(sim.tenant(t.tenantId).recipients).find((r) => r.Name === name)!.ExternalDirectoryObjectId;

/** Follows nextLinks to the end of a round: every item, the pages, and the deltaLink. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function round(first: string): Promise<{ items: any[]; pages: number; deltaLink: string }> {
  const items = [];
  let pages = 0;
  let res: HttpResult = await t.graph('GET', first);
  for (;;) {
    expect(res.status, res.text).toBe(200);
    pages++;
    items.push(...res.json.value);
    const next = res.json['@odata.nextLink'] as string | undefined;
    if (next === undefined) break;
    expect(res.json['@odata.deltaLink']).toBeUndefined();
    res = await t.graph('GET', new URL(next).pathname + new URL(next).search);
  }
  const deltaLink = res.json['@odata.deltaLink'] as string;
  expect(deltaLink).toMatch(/\/v1\.0\/groups\/delta\?\$deltatoken=/);
  return { items, pages, deltaLink: new URL(deltaLink).pathname + new URL(deltaLink).search };
}

describe('GET /groups/delta', () => {
  it('the initial round lists every group, paged, then gives a deltaLink; a deltaLink with no change is empty', async () => {
    const initial = await round('/v1.0/groups/delta?$select=displayName,mail');
    expect(initial.items).toHaveLength(130);
    expect(initial.pages).toBe(2);
    expect(Object.keys(initial.items[0]).sort()).toEqual(['displayName', 'id', 'mail']);
    const again = await round(initial.deltaLink);
    expect(again.items).toEqual([]);
  });

  it('a deltaLink reports created, changed and deleted groups; a property not selected does not count', async () => {
    const start = await round('/v1.0/groups/delta?$select=displayName');
    expect(
      (await t.invoke('Set-DistributionGroup', { Identity: 'G001', DisplayName: 'Renamed', ...bypass }))
        .status,
    ).toBe(200);
    expect(
      (await t.invoke('Set-DistributionGroup', { Identity: 'G002', CustomAttribute1: 'x', ...bypass }))
        .status,
    ).toBe(200);
    const removedId = idOf('G003');
    expect((await t.invoke('Remove-DistributionGroup', { Identity: 'G003', ...bypass })).status).toBe(200);
    expect(
      (await t.invoke('New-DistributionGroup', { Name: 'Fresh', PrimarySmtpAddress: 'fresh@contoso.com' }))
        .status,
    ).toBe(200);
    const changes = await round(start.deltaLink);
    const byId = new Map(changes.items.map((i) => [i.id, i]));
    expect(byId.get(idOf('G001'))).toEqual({ id: idOf('G001'), displayName: 'Renamed' });
    expect(byId.has(idOf('G002'))).toBe(false);
    expect(byId.get(removedId)).toEqual({ id: removedId, '@removed': { reason: 'deleted' } });
    expect(byId.get(idOf('Fresh'))).toMatchObject({ displayName: 'Fresh' });
    expect(changes.items).toHaveLength(3);
  });

  it('$deltatoken=latest gives a deltaLink without data ("sync from now"); $select=id tracks only creation and deletion', async () => {
    const res = await t.graph('GET', '/v1.0/groups/delta?$select=id&$deltatoken=latest');
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([]);
    const link = new URL(res.json['@odata.deltaLink'] as string);
    await t.invoke('Set-DistributionGroup', { Identity: 'G004', DisplayName: 'Renamed too', ...bypass });
    const gone = idOf('G005');
    await t.invoke('Remove-DistributionGroup', { Identity: 'G005', ...bypass });
    const changes = await round(link.pathname + link.search);
    expect(changes.items).toEqual([{ id: gone, '@removed': { reason: 'deleted' } }]);
  });

  it('$filter=id eq … or … tracks only those groups (at most 50)', async () => {
    const a = idOf('G010');
    const b = idOf('G011');
    const initial = await round(
      `/v1.0/groups/delta?$select=id&$filter=id eq '${a}' or id eq '${b}' or id eq '00000000-0000-4000-8000-000000000000'`,
    );
    expect(initial.items.map((i) => i.id).sort()).toEqual([a, b].sort());
    await t.invoke('Remove-DistributionGroup', { Identity: 'G011', ...bypass });
    await t.invoke('Remove-DistributionGroup', { Identity: 'G012', ...bypass });
    expect((await round(initial.deltaLink)).items).toEqual([{ id: b, '@removed': { reason: 'deleted' } }]);
    const tooMany = Array.from(
      { length: 51 },
      (_, i) => `id eq '00000000-0000-4000-8000-${String(i).padStart(12, '0')}'`,
    ).join(' or ');
    const refused = await t.graph('GET', `/v1.0/groups/delta?$filter=${encodeURIComponent(tooMany)}`);
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('Request_UnsupportedQuery');
    expect(
      (await t.graph('GET', `/v1.0/groups/delta?$filter=${encodeURIComponent("mail eq 'x'")}`)).status,
    ).toBe(400);
    expect((await t.graph('GET', '/v1.0/groups/delta?$top=5')).status).toBe(400);
  });

  it('without $select, members are tracked: members@delta lists them, then the added and the removed ones', async () => {
    const g0 = idOf('G000');
    const initial = await round(`/v1.0/groups/delta?$filter=id eq '${g0}'`);
    expect(initial.items[0]['members@delta']).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: idOf('Alice') },
    ]);
    expect(initial.items[0].mail).toBe('g0@contoso.com');
    await t.invoke('Update-DistributionGroupMember', { Identity: 'G000', Members: ['bob'], ...bypass });
    const changes = await round(initial.deltaLink);
    expect(changes.items).toHaveLength(1);
    expect(changes.items[0]['members@delta']).toEqual(
      expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: idOf('Bob') },
        { '@odata.type': '#microsoft.graph.user', id: idOf('Alice'), '@removed': { reason: 'deleted' } },
      ]),
    );
  });

  it('an unknown token answers 410 Gone with a Location to start again (synchronization reset)', async () => {
    const res = await t.graph('GET', '/v1.0/groups/delta?$deltatoken=not-a-token');
    expect(res.status).toBe(410);
    expect(res.json.error.code).toBe('syncStateNotFound');
    expect(res.headers['location']).toBe(`${sim.url}/v1.0/groups/delta`);
  });

  it('needs a group-read permission, like reading groups', async () => {
    const res = await t.graph('GET', '/v1.0/groups/delta', undefined, t.exoToken);
    expect(res.status).toBe(401);
  });
});
