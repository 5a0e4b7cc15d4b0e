// The simulated contoso tenant the e2e world (world.ts) and the benchmarks (bench/batch.bench.ts,
// bench/memory.bench.ts) run against: the tenant, an app holding a certificate made now, and the simulated sync
// reading the lab's synchronised tree (packages/cloud-sim/README.md, "Sync").
import {
  generateClientCertificate,
  type CloudSim,
  type RegisterAppInput,
  type SyncConfig,
} from '@dlmigrate/cloud-sim';
import type { Lab, LabEnv } from '@dlmigrate/lab';

export interface SimulatedContoso {
  readonly tenant: ReturnType<CloudSim['createTenant']>;
  readonly cert: ReturnType<typeof generateClientCertificate>;
  readonly app: ReturnType<CloudSim['registerApp']>;
  readonly syncConfig: SyncConfig;
}

export interface SimulatedContosoOptions {
  /** The subject of the app's certificate (names who made it). */
  readonly subject: string;
  readonly exchangeRoles?: RegisterAppInput['exchangeRoles'];
  /** Sync settings beyond the lab's directory and its synchronised OU (timing, stamping). */
  readonly sync?: Omit<SyncConfig, 'ldap' | 'scopeOus'>;
}

export function simulatedContoso(
  sim: CloudSim,
  env: LabEnv,
  objects: NonNullable<ReturnType<Lab['seeded']>>['objects'],
  options: SimulatedContosoOptions,
): SimulatedContoso {
  const tenant = sim.createTenant({ name: 'contoso', domains: ['contoso.com'] });
  const cert = generateClientCertificate({ subject: options.subject });
  const app = sim.registerApp(tenant.id, {
    certificates: [cert.certPem],
    ...(options.exchangeRoles ? { exchangeRoles: options.exchangeRoles } : {}),
  });
  const syncConfig: SyncConfig = {
    ldap: { url: env.url, caPem: env.caPem, bindDn: env.bindDn, bindPassword: env.bindPassword },
    scopeOus: [objects['ous.contoso']!.dn],
    ...options.sync,
  };
  sim.configureSync(tenant.id, syncConfig);
  return { tenant, cert, app, syncConfig };
}
