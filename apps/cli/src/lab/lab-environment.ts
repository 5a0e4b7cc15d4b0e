// `dlmigrate lab up`: a Samba AD DC with the contoso fixture, the simulated tenant syncing from it, and a
// ready dlmigrate.config.json for both. Everything lives in the lab's folder; secrets in owner-only files.
// Its exports are tagged @public: extras.ts loads this module through a dynamic import, which knip cannot follow.
import { Lab, instancePaths } from '@dlmigrate/lab';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSelfSignedCertificate } from '../certificate/self-signed.js';
import type { DlmigrateConfigInput } from '../config/schema.js';
import {
  readState,
  runSyncCycle,
  startCloudSim,
  stopCloudSim,
  type CloudSimState,
} from './cloud-sim-process.js';

/** The fixture's mail domain and the tenant the simulator plays. */
const TENANT_NAME = 'contoso';
const MAIL_DOMAIN = 'contoso.com';

/**
 * The cloud side of the fixture that sync cannot create: the cloud DL an earlier (DLConversionV2) migration
 * left behind, which the fixture's routing contact `contacts.migratedRouting` (legacy@contoso.com) points to.
 * Without it every group holding that contact is (rightly) blocked as having a member missing in the cloud.
 */
const CLOUD_ONLY_RECIPIENTS = [
  { type: 'MailUniversalDistributionGroup', name: 'Legacy', primarySmtpAddress: 'legacy@contoso.com' },
];

/** @public */
export interface LabFiles {
  readonly root: string;
  readonly folder: string;
  readonly config: string;
  readonly adPassword: string;
  readonly ids: string;
  readonly appCert: string;
  readonly appKey: string;
  readonly cloudCa: string;
  readonly setup: string;
  readonly state: string;
  readonly log: string;
  readonly stateFolder: string;
}

/** @public */
export function labFiles(name: string): LabFiles {
  const root = instancePaths(name).root;
  const folder = join(root, 'dlmigrate');
  return {
    root,
    folder,
    config: join(root, 'dlmigrate.config.json'),
    adPassword: join(folder, 'ad-password'),
    ids: join(folder, 'ids.json'),
    appCert: join(folder, 'app.cert.pem'),
    appKey: join(folder, 'app.key.pem'),
    cloudCa: join(folder, 'cloud-sim-ca.pem'),
    setup: join(folder, 'cloud-sim-setup.json'),
    state: join(folder, 'cloud-sim-state.json'),
    log: join(folder, 'cloud-sim.log'),
    stateFolder: join(folder, 'state'),
  };
}

export interface LabUp {
  readonly name: string;
  readonly files: LabFiles;
  readonly ldapsUrl: string;
  readonly cloud: CloudSimState;
  readonly tenantId: string;
  readonly clientId: string;
  readonly synced: number;
  readonly groups: readonly { key: string; mail: string }[];
}

/** @public */
export async function labUp(name: string): Promise<LabUp> {
  const files = labFiles(name);
  // Stopped first: Lab.ensure may rebuild the instance and its folder (fixture or schema changed), and with
  // the folder would go the state file that names the running simulator's PID.
  await stopCloudSim(files.state);
  const lab = await Lab.ensure({ name });
  const env = lab.env();
  const seeded = lab.seeded();
  if (seeded === null)
    throw new Error(`lab ${name} holds no fixture; run "dlmigrate lab reset --name ${name}" or recreate it`);
  const objectDn = (key: string) => {
    const object = seeded.objects[key];
    if (object === undefined) throw new Error(`the lab fixture has no object "${key}"`);
    return object.dn;
  };
  mkdirSync(files.folder, { recursive: true, mode: 0o700 });

  // Stable across restarts, so configs and certificates handed out earlier keep working.
  const ids = readIds(files.ids);
  if (!existsSync(files.appCert) || !existsSync(files.appKey)) {
    const cert = createSelfSignedCertificate({ commonName: `dlmigrate-lab-${name}` });
    writeFileSync(files.appCert, cert.certPem, { mode: 0o644 });
    writeFileSync(files.appKey, cert.keyPem, { mode: 0o600 });
  }
  writeFileSync(files.adPassword, `${env.bindPassword}\n`, { mode: 0o600 });
  const setup = {
    tenants: [
      {
        tenant: { name: TENANT_NAME, id: ids.tenantId, domains: [MAIL_DOMAIN] },
        // The lab app is configured as the docs advise, Address Lists role included (doctor checks it).
        apps: [
          {
            clientId: ids.clientId,
            certificates: [readFileSync(files.appCert, 'utf8')],
            exchangeRoles: ['Address Lists'],
          },
        ],
        recipients: CLOUD_ONLY_RECIPIENTS,
        sync: {
          ldap: { url: env.url, caPem: env.caPem, bindDn: env.bindDn, bindPassword: env.bindPassword },
          scopeOus: [objectDn('ous.contoso')],
          intervalSeconds: 0,
        },
      },
    ],
  };
  // Holds the lab's bind password: owner-only, like the lab's own lab.json.
  writeFileSync(files.setup, JSON.stringify(setup, null, 2), { mode: 0o600 });

  const cloud = await startCloudSim({ setupFile: files.setup, stateFile: files.state, logFile: files.log });
  writeFileSync(files.cloudCa, cloud.caPem, { mode: 0o644 });
  const cycle = await runSyncCycle(cloud);

  const config: DlmigrateConfigInput = {
    ad: {
      url: env.url,
      gcUrl: env.gcUrl,
      baseDn: env.baseDn,
      bindDn: env.bindDn,
      caFile: env.caFile,
      nonSyncOu: objectDn('ous.nonSync'),
    },
    tenant: {
      tenantId: ids.tenantId,
      clientId: ids.clientId,
      certificate: { pemCertFile: files.appCert, pemKeyFile: files.appKey },
      cloud: 'custom',
      endpoints: { url: cloud.url },
      caFile: files.cloudCa,
      routingDomain: `${TENANT_NAME}.mail.onmicrosoft.com`,
    },
    sync: { kind: 'http', url: `${cloud.url}/_sim/sync/run`, caFile: files.cloudCa },
    state: { folder: files.stateFolder },
  };
  writeFileSync(files.config, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

  const groups = Object.entries(seeded.objects)
    .filter(
      ([, o]) =>
        o.kind.startsWith('group:') && typeof o.mail === 'string' && o.dn.endsWith(objectDn('ous.contoso')),
    )
    .map(([key, o]) => ({ key, mail: o.mail as string }));
  return {
    name,
    files,
    ldapsUrl: env.url,
    cloud,
    tenantId: ids.tenantId,
    clientId: ids.clientId,
    synced: cycle.added.length,
    groups,
  };
}

/** @public */
export async function labDown(
  name: string,
): Promise<{ cloudSimPid: number | undefined; labStopped: boolean }> {
  const files = labFiles(name);
  const cloudSimPid = await stopCloudSim(files.state);
  const lab = await Lab.open(name);
  if (lab !== null) await lab.stop();
  return { cloudSimPid, labStopped: lab !== null };
}

/** Back to the freshly seeded directory and a fresh tenant synced from it. */
/** @public */
export async function labReset(name: string): Promise<LabUp> {
  const lab = await Lab.open(name);
  if (lab === null)
    throw new Error(`there is no lab named "${name}"; start one with: dlmigrate lab up --name ${name}`);
  const files = labFiles(name);
  await stopCloudSim(files.state);
  await lab.reset();
  // The migrations recorded so far describe a directory that no longer exists.
  rmSync(files.stateFolder, { recursive: true, force: true });
  return labUp(name);
}

/** @public */
export function labRunning(name: string): CloudSimState | undefined {
  return readState(labFiles(name).state);
}

function readIds(file: string): { tenantId: string; clientId: string } {
  if (existsSync(file))
    return JSON.parse(readFileSync(file, 'utf8')) as { tenantId: string; clientId: string };
  const ids = { tenantId: randomUUID(), clientId: randomUUID() };
  writeFileSync(file, JSON.stringify(ids), { mode: 0o600 });
  return ids;
}

/** A lab in its freshly seeded state: created if missing, else reset. */
/** @public */
export async function labFresh(name: string): Promise<LabUp> {
  return (await Lab.open(name)) === null ? labUp(name) : labReset(name);
}

/**
 * The groups `lab demo` migrates in one batch: children and parents across three levels (company ⊃ allStaff ⊃
 * sales …), a mail-enabled security group and names that need escaping. Keys of the contoso fixture.
 */
/** @public */
export const DEMO_GROUP_KEYS = [
  'groups.sales',
  'groups.salesAdmins',
  'groups.execs',
  'groups.contractors',
  'groups.board',
  'groups.partners',
  'groups.finance',
  'groups.research',
  'groups.salesWest',
  'groups.allStaff',
  'groups.company',
] as const;
