// Provisioning one lab DC into its own folder: samba-tool, our TLS certificate, the Exchange schema.
// Nothing outside the folder is read or written (no /etc/samba, /var/lib/samba, /run/samba).
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { realmToBaseDn } from './dn.js';
import type { InstancePaths } from './paths.js';
import { run } from './run.js';
import { makeCertificates } from './tls.js';

/** What identifies one provisioned DC. Stored in `lab.json` (mode 0600: it holds the admin password). */
export interface LabConfig {
  name: string;
  host: string;
  realm: string; // LAB.TEST
  domain: string; // NetBIOS name, LAB
  hostName: string; // dc1: fixed, so nothing depends on the machine's hostname
  password: string; // Administrator's password, random per instance
}

const SCHEMA_LDIF = fileURLToPath(new URL('../schema/exchange-schema.ldif', import.meta.url));
const SCHEMA_LDIF_BASE_DN = 'DC=lab,DC=test';

/** Identifies the schema extension a lab was provisioned with; a lab with another one is rebuilt. */
export function schemaFingerprint(): string {
  return createHash('sha256').update(readFileSync(SCHEMA_LDIF)).digest('hex').slice(0, 16);
}

function fqdn(config: LabConfig): string {
  return `${config.hostName}.${config.realm}`.toLowerCase();
}

export async function provision(config: LabConfig, paths: InstancePaths): Promise<void> {
  const dc = paths.dc;
  await fs.rm(dc, { recursive: true, force: true });
  await fs.mkdir(path.join(dc, 'run'), { recursive: true, mode: 0o700 });
  await fs.mkdir(path.join(dc, 'log'), { recursive: true, mode: 0o700 });
  const option = (o: string) => `--option=${o}`;
  await run(
    'samba-tool',
    [
      'domain',
      'provision',
      '--quiet',
      `--targetdir=${dc}`,
      `--realm=${config.realm}`,
      `--domain=${config.domain}`,
      `--host-name=${config.hostName}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      '--use-rfc2307',
      `--adminpass=${config.password}`,
      // Listen on this instance's loopback address only, so several labs share the standard ports.
      option(`interfaces = ${config.host}/8`),
      option('bind interfaces only = yes'),
      // Only the LDAP server: no smbd, KDC, DNS, NBT or RPC ports, fewer processes.
      option('server services = ldap'),
      option(`pid directory = ${dc}/run`),
      option(`ncalrpc dir = ${dc}/run/ncalrpc`),
      option(`winbindd socket directory = ${dc}/run/winbindd`),
      option(`ntp signd socket directory = ${dc}/run/ntp_signd`),
      option(`log file = ${paths.logFile}`),
      option('log level = 1'),
      option('dsdb:schema update allowed = true'),
      option('tls enabled = yes'),
      option(`tls keyfile = ${paths.tls}/key.pem`),
      option(`tls certfile = ${paths.tls}/cert.pem`),
      option(`tls cafile = ${paths.tls}/ca.pem`),
    ],
    // the password is on samba-tool's command line (it has no other way to take it): keep it out of errors
    { step: `provisioning lab ${config.name}`, secrets: [config.password] },
  );
  await tuneSmbConf(paths.smbConf);
  await makeCertificates({ dir: paths.tls, host: config.host, fqdn: fqdn(config), labName: config.name });
  await extendSchema(config, paths);
}

/**
 * Options that `samba-tool domain provision --option` does not carry into smb.conf, added to [global]:
 * refuse simple binds without TLS (the product must never bind in clear text), and fewer prefork
 * workers than the default 4, since several labs share two cores.
 */
async function tuneSmbConf(smbConf: string): Promise<void> {
  const text = await fs.readFile(smbConf, 'utf8');
  const extra = ['\tldap server require strong auth = yes', '\tprefork children = 2'].join('\n');
  if (!/^\[global\]$/m.test(text))
    throw new Error(`unexpected smb.conf written by provision (no [global]): ${smbConf}`);
  await fs.writeFile(smbConf, text.replace(/^\[global\]$/m, `[global]\n${extra}`));
}

/** Apply the Exchange attributes and classes offline (before samba starts), in one ldb transaction. */
async function extendSchema(config: LabConfig, paths: InstancePaths): Promise<void> {
  const ldif = (await fs.readFile(SCHEMA_LDIF, 'utf8'))
    .split(SCHEMA_LDIF_BASE_DN)
    .join(realmToBaseDn(config.realm));
  const file = path.join(paths.root, 'exchange-schema.ldif');
  await fs.writeFile(file, ldif);
  await run(
    'ldbmodify',
    ['-H', path.join(paths.dc, 'private', 'sam.ldb'), '--option=dsdb:schema update allowed = true', file],
    { step: `extending the schema of lab ${config.name}` },
  );
}
