// How a client reaches a lab: everything a test or the CLI needs to bind with verification on.
import type { LabConfig } from './provision.js';
import { realmToBaseDn } from './dn.js';

export interface LabEnv {
  name: string;
  /** 127.0.0.N: the instance's own loopback address. */
  host: string;
  /** ldaps://<host>:636 */
  url: string;
  /** ldap://<host>:389 (StartTLS; simple binds without TLS are refused) */
  startTlsUrl: string;
  /** ldaps://<host>:3269 (global catalog over TLS) */
  gcUrl: string;
  /** PEM file of the instance's CA (verify the server with it). */
  caFile: string;
  caPem: string;
  /** DC=lab,DC=test */
  baseDn: string;
  /** LAB.TEST */
  realm: string;
  /** NetBIOS domain name: LAB */
  domain: string;
  /** Administrator@lab.test (UPN form; LAB\Administrator and the full DN work too) */
  bindDn: string;
  /** The lab's Administrator password: random per instance, a lab secret (never log it). */
  bindPassword: string;
}

export function labEnv(config: LabConfig, caFile: string, caPem: string): LabEnv {
  return {
    name: config.name,
    host: config.host,
    url: `ldaps://${config.host}:636`,
    startTlsUrl: `ldap://${config.host}:389`,
    gcUrl: `ldaps://${config.host}:3269`,
    caFile,
    caPem,
    baseDn: realmToBaseDn(config.realm),
    realm: config.realm,
    domain: config.domain,
    bindDn: `Administrator@${config.realm.toLowerCase()}`,
    bindPassword: config.password,
  };
}

/** Shell lines for `eval "$(lab env)"`. Includes the password: only for a trusted shell. */
export function envShellLines(env: LabEnv): string[] {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const vars: Record<string, string> = {
    LAB_NAME: env.name,
    LAB_HOST: env.host,
    LAB_URL: env.url,
    LAB_STARTTLS_URL: env.startTlsUrl,
    LAB_GC_URL: env.gcUrl,
    LAB_CA_FILE: env.caFile,
    LAB_BASE_DN: env.baseDn,
    LAB_REALM: env.realm,
    LAB_DOMAIN: env.domain,
    LAB_BIND_DN: env.bindDn,
    LAB_BIND_PASSWORD: env.bindPassword,
  };
  return Object.entries(vars).map(([k, v]) => `export ${k}=${q(v)}`);
}
