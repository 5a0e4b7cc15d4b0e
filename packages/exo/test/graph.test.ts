// The Graph client against cloud-sim's Graph subset over HTTPS (the SDK's own fetch replaced by our
// HTTP layer, token from the same MSAL app for the Graph resource).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudConnection } from '../src/connection.js';
import { GraphRequestError } from '../src/graph/graph-client.js';
import { mailboxSeeds, markDirSynced, startSimTenant, type SimTenant } from './helpers/sim.js';

let t: SimTenant;
let conn: CloudConnection;
let salesId: string;

beforeAll(async () => {
  t = await startSimTenant('contoso');
  const users = mailboxSeeds('contoso', 250);
  t.sim.seedRecipients(t.tenantId, [
    ...users,
    { type: 'UserMailbox', name: 'Owner', primarySmtpAddress: 'owner@contoso.com' },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Sales',
      primarySmtpAddress: 'sales@contoso.com',
      members: users.map((u) => u.primarySmtpAddress),
      settings: { ManagedBy: ['owner'] },
    },
    {
      type: 'MailUniversalDistributionGroup',
      name: "O'Brien Team",
      primarySmtpAddress: "obrien's@contoso.com",
      settings: { ManagedBy: ['owner'] },
    },
  ]);
  markDirSynced(t.sim, t.tenantId, 'Sales');
  salesId = Object.values(t.sim.tenant(t.tenantId).recipients).find(
    (r) => r.Name === 'Sales',
  )!.ExternalDirectoryObjectId;
  conn = await t.connect();
});
afterAll(async () => {
  conn.close();
  await t.sim.stop();
});

describe('GraphClient', () => {
  it('gets a group by id; a missing group is null', async () => {
    const g = await conn.graph.getGroup(salesId);
    expect(g?.mail).toBe('sales@contoso.com');
    expect(g?.mailEnabled).toBe(true);
    expect(g?.securityEnabled).toBe(false);
    expect(g?.onPremisesSyncEnabled).toBe(true);
    expect(await conn.graph.getGroup('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('finds groups by mail (quotes escaped)', async () => {
    expect((await conn.graph.findGroupsByMail('sales@contoso.com')).map((g) => g.id)).toEqual([salesId]);
    expect((await conn.graph.findGroupsByMail("obrien's@contoso.com")).map((g) => g.displayName)).toEqual([
      "O'Brien Team",
    ]);
    expect(await conn.graph.findGroupsByMail('nobody@contoso.com')).toEqual([]);
  });

  it('reads every page of members', async () => {
    const members = await conn.graph.getGroupMembers(salesId);
    expect(members).toHaveLength(250);
    expect(members[0]?.odataType).toBe('#microsoft.graph.user');
  });

  it('reads and writes onPremisesSyncBehavior (beta)', async () => {
    expect(await conn.graph.getOnPremisesSyncBehavior(salesId)).toEqual({ isCloudManaged: false });
    await conn.graph.setOnPremisesSyncBehavior(salesId, true);
    expect(await conn.graph.getOnPremisesSyncBehavior(salesId)).toEqual({ isCloudManaged: true });
    // Converted: Exchange now lets the cloud edit it.
    expect((await conn.exchange.getDistributionGroup(salesId))?.isDirSynced).toBe(false);
    expect(await conn.graph.getOnPremisesSyncBehavior('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('starts the Cloud Sync job (the sim runs one cycle)', async () => {
    // No directory behind it here: the cycle fails on LDAP and changes nothing, but it ran.
    t.sim.configureSync(t.tenantId, {
      ldap: { url: 'ldap://127.0.0.1:9', bindDn: 'cn=nobody', bindPassword: 'unused' },
      scopeOus: ['OU=Groups,DC=lab,DC=test'],
      intervalSeconds: 0,
    });
    const cycles = () => (t.sim.syncStatus(t.tenantId) as { cycles: number }).cycles;
    const before = cycles();
    const job = t.sim.tenant(t.tenantId).cloudSyncJob;
    await conn.graph.startSyncJob(job.servicePrincipalId, job.jobId);
    expect(cycles()).toBe(before + 1);
    await expect(conn.graph.startSyncJob(job.servicePrincipalId, 'no-such-job')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('a missing Graph permission is a 403 GraphRequestError that names the permissions', async () => {
    const app = t.sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      roles: {
        'https://outlook.office365.com': ['Exchange.ManageAsApp'],
        'https://graph.microsoft.com': ['Group.Read.All'],
      },
    });
    const c2 = await t.connect({ clientId: app.clientId });
    const e = await c2.graph.setOnPremisesSyncBehavior(salesId, false).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(GraphRequestError);
    expect((e as GraphRequestError).status).toBe(403);
    expect((e as Error).message).toMatch(/Group-OnPremisesSyncBehavior/);
    c2.close();
  });
});
