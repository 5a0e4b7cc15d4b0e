// The Entra ID side of a tenant that Exchange never shows (issue 16): subscriptions and group-based licences,
// service principals and app role assignments, Conditional Access policies, cloud-only security groups,
// administrative units, directory role assignments and group owners. Everything keys on directory object ids
// (a recipient's ExternalDirectoryObjectId), which is why a re-created group loses all of it.
import type { TenantState } from '../state.js';

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  servicePlans: { servicePlanId: string; servicePlanName: string }[];
  prepaidEnabled: number;
}

export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export interface GroupLicensing {
  assignedLicenses: AssignedLicense[];
  /** licenseProcessingState.state: QueuedForProcessing | ProcessingInProgress | ProcessingComplete. */
  state: string;
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appRoles: AppRole[];
}

export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  resourceId: string;
  createdDateTime: string;
}

export interface ConditionalAccessUsers {
  includeUsers: string[];
  excludeUsers: string[];
  includeGroups: string[];
  excludeGroups: string[];
  includeRoles: string[];
  excludeRoles: string[];
}

export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
  createdDateTime: string;
  modifiedDateTime: string | null;
  users: ConditionalAccessUsers;
  includeApplications: string[];
  builtInControls: string[];
}

/** A security group that exists only in Entra ID (not mail-enabled, so Exchange never shows it). */
export interface EntraSecurityGroup {
  id: string;
  displayName: string;
  description: string | null;
  isAssignableToRole: boolean;
  /** Directory object ids. */
  members: string[];
  createdDateTime: string;
}

export interface AdministrativeUnit {
  id: string;
  displayName: string;
  description: string | null;
  members: string[];
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  /** "/" (tenant) or "/administrativeUnits/{id}". */
  directoryScopeId: string;
}

export interface EntraState {
  subscribedSkus: SubscribedSku[];
  /** By group object id. */
  groupLicensing: Record<string, GroupLicensing>;
  servicePrincipals: ServicePrincipal[];
  appRoleAssignments: AppRoleAssignment[];
  conditionalAccessPolicies: ConditionalAccessPolicy[];
  securityGroups: EntraSecurityGroup[];
  administrativeUnits: AdministrativeUnit[];
  roleAssignments: RoleAssignment[];
  /** Owners (user or service principal object ids) by group object id. */
  owners: Record<string, string[]>;
}

/** Two real subscriptions (public SKU ids) so licence assignments have something to name. */
function defaultSubscribedSkus(): SubscribedSku[] {
  return [
    {
      skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900',
      skuPartNumber: 'ENTERPRISEPACK',
      servicePlans: [
        { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE' },
        { servicePlanId: '5dbe027f-2339-4123-9542-606e4d348a72', servicePlanName: 'SHAREPOINTENTERPRISE' },
      ],
      prepaidEnabled: 250,
    },
    {
      skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06',
      skuPartNumber: 'SPE_E5',
      servicePlans: [
        { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE' },
        { servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', servicePlanName: 'AAD_PREMIUM' },
      ],
      prepaidEnabled: 50,
    },
  ];
}

export function emptyEntra(): EntraState {
  return {
    subscribedSkus: defaultSubscribedSkus(),
    groupLicensing: {},
    servicePrincipals: [],
    appRoleAssignments: [],
    conditionalAccessPolicies: [],
    securityGroups: [],
    administrativeUnits: [],
    roleAssignments: [],
    owners: {},
  };
}

/** The tenant's Entra-only state (created on first use for tenant states from before issue 16). */
export function entraOf(tenant: TenantState): EntraState {
  tenant.entra ??= emptyEntra();
  return tenant.entra;
}

/**
 * A hard-deleted object leaves everything that held it by id: its licences, app role assignments, role
 * assignments, owners, memberships and ownerships. Conditional Access policies keep the id (a policy names groups
 * by id and is not rewritten when one is deleted; README "Configuration references").
 */
export function forgetObjectInEntra(tenant: TenantState, objectId: string): void {
  const entra = tenant.entra;
  if (!entra || !objectId) return;
  const id = objectId.toLowerCase();
  const same = (v: string) => v.toLowerCase() === id;
  delete entra.groupLicensing[objectId];
  delete entra.owners[objectId];
  for (const [group, owners] of Object.entries(entra.owners))
    entra.owners[group] = owners.filter((o) => !same(o));
  entra.appRoleAssignments = entra.appRoleAssignments.filter((a) => !same(a.principalId));
  entra.roleAssignments = entra.roleAssignments.filter((a) => !same(a.principalId));
  for (const g of entra.securityGroups) g.members = g.members.filter((m) => !same(m));
  for (const u of entra.administrativeUnits) u.members = u.members.filter((m) => !same(m));
}
