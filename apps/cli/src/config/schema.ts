// The ONE configuration schema every command reads. Sections a command does not need may be absent;
// a command asks for the sections it uses with `requireSections`. Secrets are deliberately not part of
// it: they come from the environment or a prompt (see secrets.ts), never from a file that gets copied,
// committed or backed up.
import { parseHostKeyPin } from '@dlmigrate/core';
import { z } from 'zod';
import {
  distinguishedName,
  domainName,
  filePath,
  guid,
  httpUrl,
  ldapUrl,
  nonEmpty,
  tenantId,
} from './values.js';

export const CLOUD_NAMES = ['commercial', 'gcc-high', 'dod', 'china', 'custom'] as const;
export const SYNC_TRIGGER_KINDS = ['none', 'command', 'ssh', 'graph-cloud-sync', 'http'] as const;

const adSchema = z
  .strictObject({
    /** The domain controller, LDAPS (ldaps://dc1:636) or LDAP with StartTLS. */
    url: ldapUrl,
    /** A global catalog for forest-wide lookups (ldaps://dc1:3269). */
    gcUrl: ldapUrl.optional(),
    /** Search base; the domain's naming context when absent. */
    baseDn: distinguishedName.optional(),
    /** Who binds: a DN or a user principal name. The password comes from DLMIGRATE_AD_PASSWORD or a prompt. */
    bindDn: nonEmpty,
    /** PEM file with the CA that issued the domain controllers' certificates (when not in the system store). */
    caFile: filePath.optional(),
    startTls: z.boolean().default(false),
    /** Verify the server certificate. Turning it off exposes the bind password to anyone in the middle. */
    rejectUnauthorized: z.boolean().default(true),
    /** OU outside the sync scope where groups are parked during a migration. */
    nonSyncOu: distinguishedName.optional(),
    timeoutSeconds: z.number().int().positive().max(3600).default(30),
  })
  .superRefine((ad, ctx) => {
    if (ad.url.startsWith('ldap:') && !ad.startTls) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message:
          'plain ldap:// would send the bind password in clear text; use ldaps:// or set startTls to true',
      });
    }
  });

const certificateSchema = z
  .strictObject({
    pemCertFile: filePath.optional(),
    pemKeyFile: filePath.optional(),
    /** PKCS#12 file; its passphrase comes from DLMIGRATE_PFX_PASSPHRASE or a prompt. */
    pfxFile: filePath.optional(),
  })
  .superRefine((cert, ctx) => {
    const pem = cert.pemCertFile !== undefined || cert.pemKeyFile !== undefined;
    if (pem && cert.pfxFile !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'give either pemCertFile + pemKeyFile or pfxFile, not both' });
    } else if (pem && (cert.pemCertFile === undefined || cert.pemKeyFile === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [cert.pemCertFile === undefined ? 'pemCertFile' : 'pemKeyFile'],
        message: 'a PEM certificate needs both pemCertFile and pemKeyFile',
      });
    } else if (!pem && cert.pfxFile === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'missing certificate: give pemCertFile + pemKeyFile or pfxFile (dlmigrate auth init creates them)',
      });
    }
  });

/**
 * Plain http:// would send tokens, directory data and sync requests unencrypted: refused unless the config says
 * `allowInsecureHttp: true` next to the URL (a throw-away lab on loopback, never a tenant).
 */
function refuseInsecureHttp(
  urls: Record<string, string | undefined>,
  allowed: boolean,
  ctx: z.RefinementCtx,
): void {
  if (allowed) return;
  for (const [field, url] of Object.entries(urls)) {
    if (url !== undefined && /^http:\/\//i.test(url)) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `${url} is plain http://: use https://, or set allowInsecureHttp: true (a lab only)`,
      });
    }
  }
}

const endpointsSchema = z
  .strictObject({
    /** Base URL answering token, Exchange and Graph requests (the lab's cloud simulator). */
    url: httpUrl,
    /** Authority host MSAL is told about; never resolved for a custom cloud. */
    authorityHost: domainName.optional(),
    /** Token endpoint, `{tenant}` stands for the tenant id. */
    tokenEndpoint: httpUrl.optional(),
    /** Accept http:// URLs above (a lab only). */
    allowInsecureHttp: z.boolean().default(false),
  })
  .superRefine((e, ctx) =>
    refuseInsecureHttp({ url: e.url, tokenEndpoint: e.tokenEndpoint }, e.allowInsecureHttp, ctx),
  );

const tenantSchema = z
  .strictObject({
    tenantId,
    /** The app registration's application (client) id. */
    clientId: guid,
    certificate: certificateSchema,
    cloud: z.enum(CLOUD_NAMES).default('commercial'),
    endpoints: endpointsSchema.optional(),
    /** PEM CA for the custom cloud's TLS certificate. */
    caFile: filePath.optional(),
    /** The hybrid routing domain (contoso.mail.onmicrosoft.com); discovered from accepted domains when absent. */
    routingDomain: domainName.optional(),
    /**
     * Ceiling of the calls per second sent to Exchange Online and to Graph (each its own tenant-wide budget); the
     * rate learned from 429s stays below it. The runners of one batch share it (core batch/budget-share.ts). Absent:
     * no ceiling, the service's throttling alone sets the pace.
     */
    maxCallsPerSecond: z.number().positive().max(1000).optional(),
  })
  .superRefine((tenant, ctx) => {
    if (tenant.cloud === 'custom' && tenant.endpoints === undefined) {
      ctx.addIssue({ code: 'custom', path: ['endpoints'], message: 'cloud "custom" needs endpoints.url' });
    }
    if (tenant.cloud !== 'custom' && tenant.endpoints !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoints'],
        message: `endpoints are only for cloud "custom"; cloud "${tenant.cloud}" has fixed Microsoft endpoints`,
      });
    }
  });

const syncSchema = z
  .strictObject({
    kind: z.enum(SYNC_TRIGGER_KINDS).default('none'),
    /** kind=command: the program to run (no shell), e.g. a script that runs Start-ADSyncSyncCycle remotely. */
    command: nonEmpty.optional(),
    args: z.array(z.string()).optional(),
    /** kind=ssh: the Entra Connect server (Windows OpenSSH server) and the account the key logs in as. */
    host: nonEmpty.refine((v) => /^[a-z0-9.:-]+$/i.test(v), 'must be a host name or IP address').optional(),
    port: z.number().int().min(1).max(65535).default(22),
    username: nonEmpty.optional(),
    /** kind=ssh: the private key (owner-only file; passphrase from DLMIGRATE_SSH_KEY_PASSPHRASE). */
    keyFile: filePath.optional(),
    /** kind=ssh: the server's host key — a known_hosts line, a public key line or a SHA256:… fingerprint. */
    hostKey: nonEmpty
      .superRefine((v, ctx) => {
        try {
          parseHostKeyPin(v);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      })
      .optional(),
    /** kind=ssh: what runs on the server (default: Start-ADSyncSyncCycle -PolicyType Delta in PowerShell). */
    remoteCommand: nonEmpty.optional(),
    /** kind=ssh: how often to try again while a sync cycle is already running, and how long to wait between. */
    busyRetries: z.number().int().min(0).max(100).default(10),
    busyWaitSeconds: z.number().int().min(1).max(600).default(30),
    /** kind=graph-cloud-sync: the Cloud Sync service principal and job. */
    servicePrincipalId: guid.optional(),
    jobId: nonEmpty.optional(),
    /** kind=http: URL that starts a sync cycle when POSTed to (the lab's cloud simulator). */
    url: httpUrl.optional(),
    /** kind=http: accept an http:// url (a lab only). */
    allowInsecureHttp: z.boolean().default(false),
    caFile: filePath.optional(),
    timeoutSeconds: z.number().int().positive().max(3600).default(120),
  })
  .superRefine((sync, ctx) => {
    refuseInsecureHttp({ url: sync.url }, sync.allowInsecureHttp, ctx);
    const need = (
      field: 'command' | 'servicePrincipalId' | 'jobId' | 'url' | 'host' | 'username' | 'keyFile' | 'hostKey',
    ) => {
      if (sync[field] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `sync trigger "${sync.kind}" needs ${field}`,
        });
      }
    };
    if (sync.kind === 'command') need('command');
    if (sync.kind === 'ssh') {
      need('host');
      need('username');
      need('keyFile');
      need('hostKey');
    }
    if (sync.kind === 'graph-cloud-sync') {
      need('servicePrincipalId');
      need('jobId');
    }
    if (sync.kind === 'http') need('url');
  });

const stateSchema = z.strictObject({
  /** Folder for the SQLite database and the JSON-lines logs. */
  folder: filePath.default('.dlmigrate'),
  /** postgres://… to share one state between several runners; a SQLite file in `folder` when absent. */
  url: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v), 'must be a postgres:// URL')
    .optional(),
});

const migrationSchema = z.strictObject({
  strategy: z.enum(['recreate', 'convert']).default('recreate'),
  /** Keep the on-premises group (renamed, mail-disabled) instead of deleting it. */
  retainOriginalGroup: z.boolean().default(true),
  /** Create the on-premises routing contact that forwards to the cloud group. */
  routingContact: z.boolean().default(true),
  /** Create the on-premises dynamic group that keeps the original addresses routable. */
  hybridMailFlow: z.boolean().default(false),
  skipNestedGroupCheck: z.boolean().default(false),
  allowNonSyncedGroup: z.boolean().default(false),
  /** Migrate although an outbound connector routes all mail via on-premises (centralized mail transport). */
  overrideCentralizedMailTransport: z.boolean().default(false),
  /**
   * After the on-premises objects that named the group are pointed at the routing contact, trigger one sync and wait
   * for their synced copies in Exchange Online to follow, so that verify checks them (one sync per level in a batch).
   */
  finalSync: z.boolean().default(true),
  /** At the deletion deadline: undo everything, or stay parked and resumable. */
  onDeletionDeadline: z.enum(['rollback', 'stay-parked']).default('rollback'),
  /** What Entra holds by the group's object id does to a recreate: stop it, or go ahead and report each. */
  entraReferences: z.enum(['blocking', 'needs-action']).default('blocking'),
  /** A distribution group holding mailbox rights: made a security group in the cloud, or the migration stops. */
  permissionHolder: z.enum(['make-security', 'blocking']).default('make-security'),
  /** A permission collection older than this many hours is used with a warning. */
  permissionsMaxAgeHours: z.number().positive().default(24),
  groupTypeOverride: z.enum(['Distribution', 'Security']).optional(),
  namePrefix: z.string().max(32).optional(),
  nameSuffix: z.string().max(32).optional(),
  customRoutingDomain: domainName.optional(),
  /** Owner of a cloud group whose on-prem group has none, when Exchange Online refuses an ownerless group. */
  fallbackOwner: z.email().optional(),
  deadlines: z
    .strictObject({
      cloudDeletionMinutes: z
        .number()
        .int()
        .positive()
        .max(24 * 60)
        .default(60),
      takeOverMinutes: z
        .number()
        .int()
        .positive()
        .max(24 * 60)
        .default(15),
      /** convert: how long to wait for Exchange Online to show the group as no longer directory-synced. */
      conversionMinutes: z
        .number()
        .int()
        .positive()
        .max(24 * 60)
        .default(60),
      /** How long a rollback waits for the sync to bring the group back (undo of park). */
      undoResyncMinutes: z
        .number()
        .int()
        .positive()
        .max(24 * 60)
        .default(15),
      /** How long final-sync waits for the synced copies of on-premises dependants to name the routing contact. */
      finalSyncMinutes: z
        .number()
        .int()
        .positive()
        .max(24 * 60)
        .default(15),
    })
    .prefault({}),
  /**
   * Upper bound of groups a batch runner works on at once (a group whose deletion was just seen starts regardless:
   * take-over is never queued). Exchange Online's pace comes from the rate budget, not from this number.
   */
  concurrency: z.number().int().positive().max(1024).default(256),
});

export const configSchema = z.strictObject({
  ad: adSchema.optional(),
  tenant: tenantSchema.optional(),
  sync: syncSchema.prefault({}),
  state: stateSchema.prefault({}),
  migration: migrationSchema.prefault({}),
});

export type DlmigrateConfig = z.output<typeof configSchema>;
export type AdConfig = z.output<typeof adSchema>;
export type TenantConfig = z.output<typeof tenantSchema>;
export type SyncConfig = z.output<typeof syncSchema>;
export type MigrationDefaults = z.output<typeof migrationSchema>;
/** What a config file may contain (everything optional where a default exists). */
export type DlmigrateConfigInput = z.input<typeof configSchema>;
