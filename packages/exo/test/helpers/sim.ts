// A cloud-sim tenant with an app registered for a certificate generated at test time, and a
// CloudConnection to it over real HTTPS (the sim's CA trusted by our HTTP layer only).
import { CloudSim, type RegisterAppInput } from '@dlmigrate/cloud-sim';
import { certificateFromPem, type AppCertificate } from '../../src/auth/certificate.js';
import { customCloud, type CloudEndpoints } from '../../src/cloud.js';
import { CloudConnection, type CloudConnectionOptions } from '../../src/connection.js';
import { forgetSharedRateBudgets } from '../../src/rate/registry.js';
import { makeCertificate, type TestCertificate } from './certs.js';

export interface SimTenant {
  readonly sim: CloudSim;
  readonly cloud: CloudEndpoints;
  readonly tenantId: string;
  readonly clientId: string;
  readonly cert: TestCertificate;
  readonly certificate: AppCertificate;
  connect(extra?: Partial<CloudConnectionOptions>): Promise<CloudConnection>;
}

export async function startSimTenant(
  name = 'contoso',
  app: Partial<RegisterAppInput> = {},
): Promise<SimTenant> {
  const sim = await CloudSim.start();
  const tenant = sim.createTenant({ name, domains: [`${name}.com`] });
  const cert = makeCertificate({ cn: `${name}-app` });
  const registered = sim.registerApp(tenant.id, { certificates: [cert.certPem], ...app });
  const cloud = customCloud({ url: sim.url, caPem: sim.caPem });
  const certificate = certificateFromPem(cert.certPem, cert.keyPem);
  return {
    sim,
    cloud,
    tenantId: tenant.id,
    clientId: registered.clientId,
    cert,
    certificate,
    connect: (extra = {}) =>
      CloudConnection.open({
        cloud,
        tenantId: tenant.id,
        clientId: registered.clientId,
        certificate,
        ...extra,
      }),
  };
}

/**
 * Before each rate test: a fresh tenant-wide rate budget in the client (what an earlier storm taught the shared one
 * stays otherwise), no throttling in the tenant, and its call counters at zero.
 */
export function resetRateBudgets(t: SimTenant): void {
  forgetSharedRateBudgets();
  t.sim.setThrottling(t.tenantId, { requestsPerWindow: 0, windowSeconds: 1, maxConcurrent: 0 });
  t.sim.resetCalls(t.tenantId);
}

/** `count` mailboxes named user0000… with addresses user0000@<name>.com. */
export function mailboxSeeds(name: string, count: number, prefix = 'user') {
  return Array.from({ length: count }, (_, i) => {
    const n = `${prefix}${String(i).padStart(5, '0')}`;
    return { type: 'UserMailbox' as const, name: n, primarySmtpAddress: `${n}@${name}.com` };
  });
}

/** Mark a recipient as synchronised from on-premises, as the sim's sync engine would. */
/** The users, an owner, and "Big" (big@<name>.com), a DL holding every one of the users. */
export function bigGroupSeeds(name: string, users: ReturnType<typeof mailboxSeeds>) {
  return [
    ...users,
    { type: 'UserMailbox' as const, name: 'Owner', primarySmtpAddress: `owner@${name}.com` },
    {
      type: 'MailUniversalDistributionGroup' as const,
      name: 'Big',
      primarySmtpAddress: `big@${name}.com`,
      members: users.map((u) => u.primarySmtpAddress),
      settings: { ManagedBy: ['owner'] },
    },
  ];
}

export function markDirSynced(sim: CloudSim, tenantId: string, name: string): void {
  const recipient = Object.values(sim.tenant(tenantId).recipients).find((r) => r.Name === name);
  if (!recipient) throw new Error(`no recipient ${name}`);
  recipient.IsDirSynced = true;
  recipient.dir.onPremisesSyncEnabled = true;
  // Entra Connect's source anchor: the AD objectGUID, base64.
  recipient.dir.sourceAnchor = Buffer.from(recipient.Guid.replace(/-/g, ''), 'hex').toString('base64');
}
