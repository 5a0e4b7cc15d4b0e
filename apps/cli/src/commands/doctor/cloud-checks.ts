// Doctor checks against the tenant: tokens for Exchange Online and Graph with the app certificate, the
// application permissions and directory role those tokens carry, a read through the Exchange admin API
// (RBAC), and the accepted/routing domains. Tokens are inspected, never printed or logged.
import {
  CloudAuthError,
  CloudConnection,
  ExoError,
  ExoPermissionDeniedError,
  routingDomainOf,
  type CloudEndpoints,
} from '@dlmigrate/exo';
import { ENTRA_ROLES } from '../../certificate/app-registration.js';
import type { DlmigrateConfig, TenantConfig } from '../../config/schema.js';
import { certificateSource, cloudOf } from '../../config/tenant.js';
import type { CheckResult } from './checks.js';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const EXCHANGE_ROLES = new Map([
  [ENTRA_ROLES.exchangeAdministrator.templateId, ENTRA_ROLES.exchangeAdministrator.name],
  [ENTRA_ROLES.exchangeRecipientAdministrator.templateId, ENTRA_ROLES.exchangeRecipientAdministrator.name],
  [GLOBAL_ADMINISTRATOR, 'Global Administrator'],
]);

/**
 * Graph permissions that let plan find what a recreate would break in Entra (licences, app roles, Conditional
 * Access, role assignments, memberships, owners: issue 16). Without them a migration still runs, and its plan says
 * those references were not checked.
 */
const GRAPH_REFERENCE_ROLES = ['Directory.Read.All', 'Policy.Read.All'] as const;

/** Graph application permissions this configuration needs. */
function graphRolesNeeded(config: DlmigrateConfig): string[] {
  const roles = ['Group.Read.All', 'GroupMember.Read.All'];
  if (config.migration.strategy === 'convert') roles.push('Group-OnPremisesSyncBehavior.ReadWrite.All');
  if (config.sync.kind === 'graph-cloud-sync') roles.push('Synchronization.ReadWrite.All');
  return roles;
}

export async function checkCloud(
  config: DlmigrateConfig & { tenant: TenantConfig },
  pfxPassphrase: string | undefined,
): Promise<CheckResult[]> {
  const { tenant } = config;
  const results: CheckResult[] = [];
  let connection: CloudConnection;
  let cloud: CloudEndpoints;
  try {
    cloud = cloudOf(tenant);
    connection = await CloudConnection.open({
      cloud,
      tenantId: tenant.tenantId,
      clientId: tenant.clientId,
      certificate: certificateSource(tenant, pfxPassphrase),
    });
  } catch (error) {
    return [
      {
        id: 'cloud-connection',
        title: 'cloud connection can be set up',
        status: 'fail',
        detail: messageOf(error),
        fix: 'check tenant.cloud, tenant.endpoints, tenant.caFile and the certificate',
      },
    ];
  }
  try {
    const exchangeClaims = await tokenCheck(
      results,
      connection,
      cloud.exchangeResource,
      'exchange-token',
      'Exchange Online',
    );
    if (exchangeClaims !== undefined) {
      results.push(
        rolesCheck('exchange-app-role', 'Exchange Online', exchangeClaims, ['Exchange.ManageAsApp']),
      );
      results.push(directoryRoleCheck(exchangeClaims));
    }
    const graphClaims = await tokenCheck(
      results,
      connection,
      cloud.graphResource,
      'graph-token',
      'Microsoft Graph',
    );
    if (graphClaims !== undefined) {
      results.push(rolesCheck('graph-app-roles', 'Microsoft Graph', graphClaims, graphRolesNeeded(config)));
      results.push(referenceRolesCheck(graphClaims));
    }
    if (exchangeClaims !== undefined) {
      results.push(await domainsCheck(connection, tenant.routingDomain));
      results.push(await groupManagerBypassCheck(connection));
      results.push(await addressListsCheck(connection));
    }
    return results;
  } finally {
    connection.close();
  }
}

interface TokenClaims {
  roles: string[];
  wids: string[];
}

async function tokenCheck(
  results: CheckResult[],
  connection: CloudConnection,
  resource: string,
  id: string,
  service: string,
): Promise<TokenClaims | undefined> {
  const title = `token for ${service}`;
  try {
    const claims = decodeClaims(await connection.tokens.token(resource));
    results.push({ id, title, status: 'ok', detail: `app-only token for ${resource}` });
    return claims;
  } catch (error) {
    const fix =
      error instanceof CloudAuthError
        ? `see the message (${error.code})`
        : 'check the tenant settings and the network';
    results.push({ id, title, status: 'fail', detail: messageOf(error), fix });
    return undefined;
  }
}

/** The claims of a JWT access token; only roles and directory roles are read. */
function decodeClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (payload === undefined) return { roles: [], wids: [] };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      roles?: unknown;
      wids?: unknown;
    };
    const list = (v: unknown) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    return { roles: list(claims.roles), wids: list(claims.wids) };
  } catch {
    return { roles: [], wids: [] };
  }
}

function rolesCheck(
  id: string,
  service: string,
  claims: TokenClaims,
  needed: readonly string[],
): CheckResult {
  const title = `${service} application permissions are granted`;
  const missing = needed.filter((role) => !claims.roles.includes(role));
  return missing.length === 0
    ? { id, title, status: 'ok', detail: needed.join(', ') }
    : {
        id,
        title,
        status: 'fail',
        detail: `missing: ${missing.join(', ')}`,
        fix: `add ${missing.join(', ')} as application permissions and grant admin consent (dlmigrate auth init lists them)`,
      };
}

function referenceRolesCheck(claims: TokenClaims): CheckResult {
  const check = rolesCheck('graph-reference-roles', 'Microsoft Graph', claims, GRAPH_REFERENCE_ROLES);
  return check.status === 'ok'
    ? {
        ...check,
        title: 'Entra references of a group can be read (licences, app roles, Conditional Access…)',
      }
    : {
        ...check,
        title: 'Entra references of a group can be read (licences, app roles, Conditional Access…)',
        status: 'warn',
        fix: `${check.fix}; without them plan can't tell what a recreate would break in Entra`,
      };
}

/**
 * Every write to a cloud group sends -BypassSecurityGroupManagerCheck (an app is never a group owner); the parameter
 * needs the Organization Management role group or the "Security Group Creation and Membership" role
 * (Set-DistributionGroup.md). Exchange Administrator has it; Exchange Recipient Administrator alone does not.
 */
async function groupManagerBypassCheck(connection: CloudConnection): Promise<CheckResult> {
  const id = 'exchange-group-manager-bypass';
  const title = 'the app may change groups it does not own (-BypassSecurityGroupManagerCheck)';
  try {
    if (await connection.exchange.canBypassSecurityGroupManagerCheck())
      return { id, title, status: 'ok', detail: 'Set-DistributionGroup accepts the parameter' };
    return {
      id,
      title,
      status: 'fail',
      detail: 'Set-DistributionGroup has no -BypassSecurityGroupManagerCheck for the app',
      fix: 'assign the app the Exchange Administrator role, or add its service principal to Organization Management or to a role group holding the "Security Group Creation and Membership" role',
    };
  } catch (error) {
    return { id, title, status: 'fail', detail: messageOf(error), fix: 'see the message' };
  }
}

/** Address lists and address book policies: Exchange Online puts their cmdlets in a role no role group has by default. */
async function addressListsCheck(connection: CloudConnection): Promise<CheckResult> {
  const id = 'exchange-address-lists';
  const title = 'address lists that filter on a group can be read (Address Lists role)';
  try {
    const lists = await connection.exchange.configuration.listAddressLists();
    return { id, title, status: 'ok', detail: `${lists.length} address lists` };
  } catch (error) {
    if (!(error instanceof ExoPermissionDeniedError))
      return { id, title, status: 'warn', detail: messageOf(error), fix: 'see the message' };
    return {
      id,
      title,
      status: 'warn',
      detail: 'Get-AddressList is not available to the app',
      fix: 'add the Address Lists role to a role group of the app\'s service principal (New-ManagementRoleAssignment -Role "Address Lists"); without it plan can\'t check address lists and address book policies',
    };
  }
}

function directoryRoleCheck(claims: TokenClaims): CheckResult {
  const title = 'the app holds an Exchange directory role';
  const held = claims.wids.map((w) => EXCHANGE_ROLES.get(w)).filter((n): n is string => n !== undefined);
  return held.length > 0
    ? { id: 'exchange-directory-role', title, status: 'ok', detail: held.join(', ') }
    : {
        id: 'exchange-directory-role',
        title,
        status: 'warn',
        detail: 'no Exchange Administrator / Exchange Recipient Administrator role in the token',
        fix: 'assign one to the app, unless a custom Exchange RBAC role group is assigned to its service principal',
      };
}

async function domainsCheck(
  connection: CloudConnection,
  configuredRoutingDomain: string | undefined,
): Promise<CheckResult> {
  const title = 'Exchange admin API answers and the routing domain is accepted';
  try {
    const domains = await connection.exchange.getAcceptedDomains();
    const names = domains.map((d) => d.domainName.toLowerCase());
    const routing = configuredRoutingDomain?.toLowerCase() ?? routingDomainOf(domains);
    if (routing === null) {
      return {
        id: 'exchange-domains',
        title,
        status: 'fail',
        detail: `accepted domains: ${names.join(', ')}; none is a *.mail.onmicrosoft.com routing domain`,
        fix: 'set tenant.routingDomain',
      };
    }
    if (!names.includes(routing)) {
      return {
        id: 'exchange-domains',
        title,
        status: 'fail',
        detail: `tenant.routingDomain ${routing} is not an accepted domain (${names.join(', ')})`,
        fix: 'correct tenant.routingDomain',
      };
    }
    return {
      id: 'exchange-domains',
      title,
      status: 'ok',
      detail: `routing domain ${routing}; accepted: ${names.join(', ')}`,
    };
  } catch (error) {
    const denied =
      error instanceof ExoError &&
      (error.code === 'EXO_PERMISSION_DENIED' || error.code === 'EXO_MISSING_MANAGE_AS_APP');
    return {
      id: 'exchange-domains',
      title,
      status: 'fail',
      detail: messageOf(error),
      fix: denied
        ? 'grant the app an Exchange role (Exchange Administrator, or a role group allowing Get-AcceptedDomain and the DL cmdlets)'
        : 'see the message',
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
