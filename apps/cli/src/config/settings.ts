// One table of the settings that can also be given as environment variables and flags. The env
// variable and the flag of a row always set the same config path, so the three sources cannot drift.
import type { Command } from 'commander';

export type SettingType = 'string' | 'boolean' | 'number' | 'list';

export interface Setting {
  /** Path in the config object, e.g. ['ad', 'url']. */
  readonly path: readonly string[];
  readonly env: string;
  /** Long flag without the leading dashes; booleans also get --no-<flag>. */
  readonly flag: string;
  readonly type: SettingType;
  readonly description: string;
}

const row = (path: string, flag: string, type: SettingType, description: string): Setting => ({
  path: path.split('.'),
  env: `DLMIGRATE_${path
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll('.', '_')
    .toUpperCase()}`,
  flag,
  type,
  description,
});

export const SETTINGS: readonly Setting[] = [
  row('ad.url', 'ad-url', 'string', 'domain controller, ldaps://dc1.contoso.com:636'),
  row('ad.gcUrl', 'ad-gc-url', 'string', 'global catalog, ldaps://dc1.contoso.com:3269'),
  row('ad.baseDn', 'ad-base-dn', 'string', 'search base DN'),
  row('ad.bindDn', 'ad-bind-dn', 'string', 'bind DN or UPN (password: DLMIGRATE_AD_PASSWORD or prompt)'),
  row('ad.caFile', 'ad-ca-file', 'string', 'PEM CA of the domain controllers'),
  row('ad.startTls', 'ad-start-tls', 'boolean', 'use StartTLS on ldap://'),
  row(
    'ad.rejectUnauthorized',
    'ad-reject-unauthorized',
    'boolean',
    'verify the DC certificate (default true)',
  ),
  row('ad.nonSyncOu', 'non-sync-ou', 'string', 'OU outside the sync scope'),
  row('ad.timeoutSeconds', 'ad-timeout-seconds', 'number', 'LDAP operation timeout'),
  row('tenant.tenantId', 'tenant-id', 'string', 'tenant GUID or contoso.onmicrosoft.com'),
  row('tenant.clientId', 'client-id', 'string', 'app registration (client) id'),
  row('tenant.certificate.pemCertFile', 'pem-cert-file', 'string', 'certificate PEM file'),
  row('tenant.certificate.pemKeyFile', 'pem-key-file', 'string', 'private key PEM file'),
  row(
    'tenant.certificate.pfxFile',
    'pfx-file',
    'string',
    'PFX file (passphrase: DLMIGRATE_PFX_PASSPHRASE or prompt)',
  ),
  row('tenant.cloud', 'cloud', 'string', 'commercial | gcc-high | dod | china | custom'),
  row('tenant.endpoints.url', 'cloud-url', 'string', 'custom cloud base URL (lab)'),
  row('tenant.caFile', 'cloud-ca-file', 'string', 'PEM CA of the custom cloud'),
  row(
    'tenant.maxCallsPerSecond',
    'max-calls-per-second',
    'number',
    'most Exchange Online / Graph calls per second sent (by all runners of a batch together; the rate learned from throttling stays below)',
  ),
  row('tenant.routingDomain', 'routing-domain', 'string', 'hybrid routing domain'),
  row('sync.kind', 'sync-trigger', 'string', 'none | command | ssh | graph-cloud-sync | http'),
  row('sync.command', 'sync-command', 'string', 'program that triggers a sync cycle'),
  row('sync.host', 'sync-host', 'string', 'Entra Connect server reached over SSH'),
  row('sync.port', 'sync-port', 'number', 'SSH port of the Entra Connect server (default 22)'),
  row('sync.username', 'sync-username', 'string', 'SSH account on the Entra Connect server'),
  row(
    'sync.keyFile',
    'sync-key-file',
    'string',
    'SSH private key, owner-only (passphrase: DLMIGRATE_SSH_KEY_PASSPHRASE)',
  ),
  row('sync.hostKey', 'sync-host-key', 'string', "the server's SSH host key: known_hosts line or SHA256:…"),
  row(
    'sync.busyRetries',
    'sync-busy-retries',
    'number',
    'ssh: further attempts while a sync cycle is running (default 10)',
  ),
  row('sync.busyWaitSeconds', 'sync-busy-wait-seconds', 'number', 'ssh: wait between them (default 30)'),
  row('sync.url', 'sync-url', 'string', 'URL that triggers a sync cycle'),
  row('state.folder', 'state-folder', 'string', 'folder for state and logs (default .dlmigrate)'),
  row('state.url', 'state-url', 'string', 'postgres:// URL for shared state'),
];

/** Migration defaults, as flags on the commands that migrate (migrate, batch, resume). */
export const MIGRATION_SETTINGS: readonly Setting[] = [
  row('migration.strategy', 'strategy', 'string', 'recreate | convert'),
  row(
    'migration.retainOriginalGroup',
    'retain-original-group',
    'boolean',
    'keep the on-premises group (renamed, mail-disabled); --no-… deletes it',
  ),
  row('migration.routingContact', 'routing-contact', 'boolean', 'create the on-premises routing contact'),
  row(
    'migration.hybridMailFlow',
    'hybrid-mail-flow',
    'boolean',
    'create the on-premises dynamic group keeping the addresses routable',
  ),
  row(
    'migration.skipNestedGroupCheck',
    'skip-nested-group-check',
    'boolean',
    'allow synced child groups as members',
  ),
  row(
    'migration.allowNonSyncedGroup',
    'allow-non-synced-group',
    'boolean',
    'migrate a group that is not directory-synced',
  ),
  row(
    'migration.overrideCentralizedMailTransport',
    'override-centralized-mail-transport',
    'boolean',
    'migrate although all mail is routed via on-premises',
  ),
  row('migration.groupTypeOverride', 'group-type', 'string', 'Distribution | Security'),
  row('migration.namePrefix', 'name-prefix', 'string', 'prefix for the cloud group name'),
  row('migration.nameSuffix', 'name-suffix', 'string', 'suffix for the cloud group name'),
  row(
    'migration.customRoutingDomain',
    'custom-routing-domain',
    'string',
    'routing domain instead of *.mail.onmicrosoft.com',
  ),
  row(
    'migration.fallbackOwner',
    'fallback-owner',
    'string',
    'owner of a cloud group whose on-prem group has none, if Exchange Online requires one',
  ),
  row(
    'migration.deadlines.cloudDeletionMinutes',
    'cloud-deletion-minutes',
    'number',
    'how long to wait for the synced cloud group to go',
  ),
  row(
    'migration.deadlines.takeOverMinutes',
    'take-over-minutes',
    'number',
    'how long to wait for Exchange Online to show the addresses',
  ),
  row(
    'migration.deadlines.conversionMinutes',
    'conversion-minutes',
    'number',
    'convert: how long to wait for Exchange Online to show the group as cloud-managed',
  ),
  row(
    'migration.deadlines.undoResyncMinutes',
    'undo-resync-minutes',
    'number',
    'how long a rollback waits for the sync to bring the group back',
  ),
  row(
    'migration.deadlines.finalSyncMinutes',
    'final-sync-minutes',
    'number',
    'how long to wait after the final sync for the synced copies of on-premises dependants',
  ),
  row(
    'migration.finalSync',
    'final-sync',
    'boolean',
    'sync once after rewiring the on-premises dependants, so verify checks their cloud copies',
  ),
  row('migration.onDeletionDeadline', 'on-deletion-deadline', 'string', 'rollback | stay-parked'),
  row('migration.concurrency', 'concurrency', 'number', 'most groups a batch runner works on at once'),
  row(
    'migration.entraReferences',
    'entra-references',
    'string',
    'what Entra holds by the group id (licences, CA…) does to a recreate: blocking | needs-action',
  ),
  row(
    'migration.permissionHolder',
    'permission-holder',
    'string',
    'a distribution group holding mailbox rights: make-security (cloud group becomes one) | blocking',
  ),
  row(
    'migration.permissionsMaxAgeHours',
    'permissions-max-age-hours',
    'number',
    'warn when the permission collection (dlmigrate collect permissions) is older than this',
  ),
];

/** Every row, for the loader: flags a command does not have are simply never "given". */
export const ALL_SETTINGS: readonly Setting[] = [...SETTINGS, ...MIGRATION_SETTINGS];

/** Adds one flag per setting to a command that reads the configuration. */
export function addSettingFlags(command: Command, settings: readonly Setting[] = SETTINGS): Command {
  for (const setting of settings) {
    if (setting.type === 'boolean') {
      command.option(`--${setting.flag}`, `${setting.description} [${setting.env}]`);
      command.option(`--no-${setting.flag}`, `turn ${setting.flag} off`);
    } else {
      command.option(`--${setting.flag} <value>`, `${setting.description} [${setting.env}]`);
    }
  }
  return command;
}

/** commander's attribute name for a flag: ad-url → adUrl. */
export function optionKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
