// Doctor checks that need a bound LDAP connection: the bind itself, the Exchange schema, the non-sync OU.
import { ActiveDirectory, isAdError, type AdError } from '@dlmigrate/ad';
import type { AdConfig } from '../../config/schema.js';
import type { CheckResult } from './checks.js';

/** Attributes a migration reads and writes; without them the schema was never extended for Exchange. */
const REQUIRED_EXCHANGE_ATTRIBUTES = [
  'proxyAddresses',
  'legacyExchangeDN',
  'mailNickname',
  'msExchRecipientTypeDetails',
  'msExchRecipientDisplayType',
  'authOrig',
  'unauthOrig',
  'dLMemSubmitPerms',
  'msExchCoManagedByLink',
  'targetAddress',
] as const;

const FIX_BY_CODE: Partial<Record<AdError['code'], string>> = {
  AD_INVALID_CREDENTIALS: 'check ad.bindDn and DLMIGRATE_AD_PASSWORD',
  AD_STRONG_AUTH_REQUIRED: 'the DC requires TLS: use ldaps:// or StartTLS',
  AD_TLS_NAME_MISMATCH: 'use the host name that is in the DC certificate in ad.url',
  AD_TLS_UNKNOWN_CA: 'set ad.caFile to the PEM of the CA that issued the DC certificate',
  AD_TLS_CERT_EXPIRED: 'renew the domain controller certificate',
  AD_UNREACHABLE: 'check the host, port and firewall',
  AD_TIMEOUT: 'check the host and firewall, or raise ad.timeoutSeconds',
  AD_INSUFFICIENT_RIGHTS:
    'give the bind account read access (and write access to the groups, contacts and the non-sync OU)',
};

export async function checkDirectory(ad: AdConfig, password: string | undefined): Promise<CheckResult[]> {
  const bindTitle = `bind to ${ad.url} as ${ad.bindDn}`;
  if (password === undefined) {
    return [
      {
        id: 'ad-bind',
        title: bindTitle,
        status: 'fail',
        detail: 'no password',
        fix: 'set DLMIGRATE_AD_PASSWORD or run doctor in a terminal',
      },
    ];
  }
  const directory = new ActiveDirectory({
    url: ad.url,
    startTls: ad.startTls,
    ...(ad.gcUrl !== undefined ? { gcUrl: ad.gcUrl } : {}),
    ...(ad.caFile !== undefined ? { caFile: ad.caFile } : {}),
    rejectUnauthorized: ad.rejectUnauthorized,
    bindDn: ad.bindDn,
    password,
    timeoutMs: ad.timeoutSeconds * 1000,
    connectTimeoutMs: ad.timeoutSeconds * 1000,
    // The TLS settings check already says whether verification is off; no second warning on stderr.
    onWarning: () => undefined,
  });
  const results: CheckResult[] = [];
  try {
    let namingContext: string;
    try {
      namingContext = await directory.defaultNamingContext();
      results.push({ id: 'ad-bind', title: bindTitle, status: 'ok', detail: `domain ${namingContext}` });
    } catch (error) {
      results.push(failure('ad-bind', bindTitle, error));
      return results;
    }
    results.push(await schemaCheck(directory));
    results.push(await nonSyncOuCheck(directory, ad.nonSyncOu));
    return results;
  } finally {
    await directory.close().catch(() => undefined);
  }
}

async function schemaCheck(directory: ActiveDirectory): Promise<CheckResult> {
  const title = 'Exchange schema is present';
  try {
    const schema = await directory.schema();
    const present = new Set(await schema.present(REQUIRED_EXCHANGE_ATTRIBUTES));
    const missing = REQUIRED_EXCHANGE_ATTRIBUTES.filter((name) => !present.has(name));
    if (missing.length > 0) {
      return {
        id: 'ad-exchange-schema',
        title,
        status: 'fail',
        detail: `missing attributes: ${missing.join(', ')}`,
        fix: 'extend the schema with Exchange Server setup /PrepareSchema',
      };
    }
    if (schema.version === 'unknown') {
      return {
        id: 'ad-exchange-schema',
        title,
        status: 'warn',
        detail: 'attributes present, schema version unknown (ms-Exch-Schema-Version-Pt not found)',
        fix: 'the legacy attribute clear-list will be used; run /PrepareSchema of a current Exchange version',
      };
    }
    return {
      id: 'ad-exchange-schema',
      title,
      status: 'ok',
      detail: `version ${schema.version}${schema.modern ? '' : ' (legacy)'}`,
    };
  } catch (error) {
    return failure('ad-exchange-schema', title, error);
  }
}

async function nonSyncOuCheck(
  directory: ActiveDirectory,
  nonSyncOu: string | undefined,
): Promise<CheckResult> {
  const title = 'non-sync OU exists';
  if (nonSyncOu === undefined) {
    return {
      id: 'ad-non-sync-ou',
      title,
      status: 'warn',
      detail: 'ad.nonSyncOu is not set',
      fix: 'set ad.nonSyncOu to an OU outside the sync scope (every migration needs it)',
    };
  }
  try {
    return (await directory.exists(nonSyncOu))
      ? { id: 'ad-non-sync-ou', title, status: 'ok', detail: nonSyncOu }
      : {
          id: 'ad-non-sync-ou',
          title,
          status: 'fail',
          detail: `${nonSyncOu} does not exist`,
          fix: 'create the OU outside the sync scope, or correct ad.nonSyncOu',
        };
  } catch (error) {
    return failure('ad-non-sync-ou', title, error);
  }
}

function failure(id: string, title: string, error: unknown): CheckResult {
  const message = error instanceof Error ? error.message : String(error);
  const fix = isAdError(error) ? (FIX_BY_CODE[error.code] ?? 'see the message') : 'see the message';
  return { id, title, status: 'fail', detail: isAdError(error) ? `${error.code}: ${message}` : message, fix };
}
