// The Graph reads over Entra-only state (issue 16), per microsoft-graph-docs-contrib api-reference/v1.0:
//   GET /groups/{id}/memberOf            group-list-memberof.md
//   GET /groups/{id}/owners              group-list-owners.md
//   GET /groups/{id}/appRoleAssignments  group-list-approleassignments.md
//   GET /identity/conditionalAccess/policies[/{id}]   conditionalaccessroot-list-policies.md
//   GET /roleManagement/directory/roleAssignments     rbacapplication-list-roleassignments.md
//   GET /directory/administrativeUnits[/{id}[/members|/scopedRoleMembers]]
//   GET /subscribedSkus                  subscribedsku-list.md
// and the licence properties of a group ($select=assignedLicenses,licenseProcessingState; group.md).
// Each names the application permissions it accepts (the "Permissions" table of its page).
import { RecipientDirectory } from '../exchange/directory.js';
import { isGroup, type Recipient } from '../exchange/recipient.js';
import type { TenantState } from '../state.js';
import { entraOf, type AdministrativeUnit, type EntraSecurityGroup } from './entra-state.js';
import { graphDirectoryObject, graphGroup } from './render.js';

export const entraRoles = {
  memberOf: [
    'GroupMember.Read.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
    'GroupMember.ReadWrite.All',
  ],
  owners: [
    'GroupMember.Read.All',
    'Group.ReadWrite.All',
    'Directory.Read.All',
    'Group.Read.All',
    'GroupMember.ReadWrite.All',
    'Directory.ReadWrite.All',
  ],
  appRoleAssignments: ['Directory.Read.All', 'AppRoleAssignment.ReadWrite.All', 'Directory.ReadWrite.All'],
  conditionalAccess: [
    'Policy.Read.All',
    'Policy.Read.ConditionalAccess',
    'Policy.ReadWrite.ConditionalAccess',
  ],
  roleAssignments: [
    'RoleManagement.Read.Directory',
    'RoleManagement.Read.All',
    'Directory.Read.All',
    'RoleManagement.ReadWrite.Directory',
    'Directory.ReadWrite.All',
  ],
  administrativeUnits: [
    'AdministrativeUnit.Read.All',
    'Directory.Read.All',
    'AdministrativeUnit.ReadWrite.All',
    'Directory.ReadWrite.All',
  ],
  subscribedSkus: [
    'LicenseAssignment.Read.All',
    'Organization.Read.All',
    'Directory.Read.All',
    'Organization.ReadWrite.All',
    'Directory.ReadWrite.All',
  ],
};

/** What routes.ts lends this module: the request, its checks and its response helpers. */
export interface EntraRequest {
  tenant: TenantState;
  method: string;
  /** Path segments after the version. */
  rest: string[];
  url: URL;
  need(roles: string[]): void;
  fail(status: number, code: string, message: string): Error;
  notFound(id: string): Error;
  page<T>(items: T[]): { page: T[]; nextLink?: string };
  select(obj: Record<string, unknown>): Record<string, unknown>;
  context(suffix: string): string;
}

/** Any group Graph knows: a recipient group (DL, mail-enabled security group, Microsoft 365 group) or an Entra-only one. */
function groupExists(tenant: TenantState, id: string): boolean {
  const lower = id.toLowerCase();
  return (
    Object.values(tenant.recipients).some(
      (r) => isGroup(r) && r.ExternalDirectoryObjectId.toLowerCase() === lower,
    ) || entraOf(tenant).securityGroups.some((g) => g.id.toLowerCase() === lower)
  );
}

function recipientByObjectId(tenant: TenantState, id: string): Recipient | undefined {
  const lower = id.toLowerCase();
  return Object.values(tenant.recipients).find((r) => r.ExternalDirectoryObjectId.toLowerCase() === lower);
}

function renderEntraGroup(g: EntraSecurityGroup): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.group',
    id: g.id,
    deletedDateTime: null,
    createdDateTime: g.createdDateTime,
    description: g.description,
    displayName: g.displayName,
    groupTypes: [],
    isAssignableToRole: g.isAssignableToRole,
    mail: null,
    mailEnabled: false,
    mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, '') || 'group',
    onPremisesSyncEnabled: null,
    proxyAddresses: [],
    securityEnabled: true,
    visibility: g.isAssignableToRole ? 'Private' : null,
  };
}

function renderUnit(u: AdministrativeUnit): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.administrativeUnit',
    id: u.id,
    deletedDateTime: null,
    displayName: u.displayName,
    description: u.description,
    visibility: null,
  };
}

/** A directory object by id, as Graph lists it (user, contact, group, service principal, administrative unit). */
function renderDirectoryObject(tenant: TenantState, id: string): Record<string, unknown> | undefined {
  const r = recipientByObjectId(tenant, id);
  if (r) return graphDirectoryObject(r);
  const entra = entraOf(tenant);
  const group = entra.securityGroups.find((g) => g.id === id);
  if (group) return renderEntraGroup(group);
  const sp = entra.servicePrincipals.find((s) => s.id === id);
  if (sp)
    return {
      '@odata.type': '#microsoft.graph.servicePrincipal',
      id: sp.id,
      appId: sp.appId,
      displayName: sp.displayName,
    };
  const unit = entra.administrativeUnits.find((u) => u.id === id);
  return unit ? renderUnit(unit) : undefined;
}

function displayNameOf(tenant: TenantState, id: string): string | null {
  const o = renderDirectoryObject(tenant, id);
  return typeof o?.['displayName'] === 'string' ? (o['displayName'] as string) : null;
}

/** The groups and administrative units `id` is a direct member of. */
function memberOf(tenant: TenantState, id: string): Record<string, unknown>[] {
  const lower = id.toLowerCase();
  const dir = RecipientDirectory.of(tenant);
  const self = recipientByObjectId(tenant, id);
  const out: Record<string, unknown>[] = [];
  if (self)
    for (const g of dir.all())
      if (isGroup(g) && g.ExternalDirectoryObjectId && g.Members.includes(self.Guid))
        out.push({ '@odata.type': '#microsoft.graph.group', ...graphGroup(g) });
  const entra = entraOf(tenant);
  for (const g of entra.securityGroups)
    if (g.members.some((m) => m.toLowerCase() === lower)) out.push(renderEntraGroup(g));
  for (const u of entra.administrativeUnits)
    if (u.members.some((m) => m.toLowerCase() === lower)) out.push(renderUnit(u));
  return out;
}

/** `prop eq 'value'` clauses joined by "and" (the forms the role assignment page documents). */
function eqFilter(
  req: EntraRequest,
  allowed: string[],
): ((o: Record<string, unknown>) => boolean) | undefined {
  const filter = req.url.searchParams.get('$filter');
  if (!filter) return undefined;
  const clauses = filter.split(/\s+and\s+/i).map((c) => {
    const m = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(c);
    if (!m || !allowed.some((a) => a.toLowerCase() === m[1]!.toLowerCase()))
      throw req.fail(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
    const prop = allowed.find((a) => a.toLowerCase() === m[1]!.toLowerCase())!;
    return { prop, value: m[2]!.replace(/''/g, "'").toLowerCase() };
  });
  return (o) => clauses.every((c) => String(o[c.prop] ?? '').toLowerCase() === c.value);
}

function collection(
  req: EntraRequest,
  items: Record<string, unknown>[],
  context: string,
): Record<string, unknown> {
  const { page, nextLink } = req.page(items);
  return {
    '@odata.context': req.context(context),
    ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
    value: page.map((o) => req.select(o)),
  };
}

/** The licence properties of a group, for GET /groups/{id} when $select asks for them ("Returned only on $select"). */
export function groupLicenceProperties(tenant: TenantState, objectId: string): Record<string, unknown> {
  const licensing = entraOf(tenant).groupLicensing[objectId];
  return {
    assignedLicenses: (licensing?.assignedLicenses ?? []).map((l) => ({
      disabledPlans: [...l.disabledPlans],
      skuId: l.skuId,
    })),
    licenseProcessingState: licensing ? { state: licensing.state } : null,
  };
}

/** Serves the request when it is one of this module's; undefined otherwise (routes.ts goes on). */
export function handleEntraRequest(req: EntraRequest): Record<string, unknown> | undefined {
  const { tenant, method, rest } = req;
  if (method !== 'GET') return undefined;
  const entra = entraOf(tenant);
  const groupId = rest[0] === 'groups' && rest.length === 3 ? rest[1]! : undefined;

  if (groupId !== undefined && rest[2] === 'memberOf') {
    req.need(entraRoles.memberOf);
    if (!groupExists(tenant, groupId)) throw req.notFound(groupId);
    return collection(req, memberOf(tenant, groupId), 'directoryObjects');
  }
  if (groupId !== undefined && rest[2] === 'owners') {
    req.need(entraRoles.owners);
    if (!groupExists(tenant, groupId)) throw req.notFound(groupId);
    const owners = (entra.owners[groupId] ?? [])
      .map((o) => renderDirectoryObject(tenant, o))
      .filter((o): o is Record<string, unknown> => o !== undefined);
    return collection(req, owners, 'directoryObjects');
  }
  if (groupId !== undefined && rest[2] === 'appRoleAssignments') {
    req.need(entraRoles.appRoleAssignments);
    if (!groupExists(tenant, groupId)) throw req.notFound(groupId);
    const assignments = entra.appRoleAssignments
      .filter((a) => a.principalId.toLowerCase() === groupId.toLowerCase())
      .map((a) => ({
        id: a.id,
        deletedDateTime: null,
        appRoleId: a.appRoleId,
        createdDateTime: a.createdDateTime,
        principalDisplayName: displayNameOf(tenant, a.principalId),
        principalId: a.principalId,
        principalType: a.principalType,
        resourceDisplayName: entra.servicePrincipals.find((s) => s.id === a.resourceId)?.displayName ?? null,
        resourceId: a.resourceId,
      }));
    return collection(req, assignments, `groups('${groupId}')/appRoleAssignments`);
  }
  if (
    rest[0] === 'identity' &&
    rest[1] === 'conditionalAccess' &&
    rest[2] === 'policies' &&
    rest.length <= 4
  ) {
    req.need(entraRoles.conditionalAccess);
    const render = (p: (typeof entra.conditionalAccessPolicies)[number]) => ({
      id: p.id,
      templateId: null,
      displayName: p.displayName,
      createdDateTime: p.createdDateTime,
      modifiedDateTime: p.modifiedDateTime,
      state: p.state,
      sessionControls: null,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        clientAppTypes: ['all'],
        platforms: null,
        locations: null,
        devices: null,
        applications: {
          includeApplications: [...p.includeApplications],
          excludeApplications: [],
          includeUserActions: [],
          includeAuthenticationContextClassReferences: [],
        },
        users: {
          includeUsers: [...p.users.includeUsers],
          excludeUsers: [...p.users.excludeUsers],
          includeGroups: [...p.users.includeGroups],
          excludeGroups: [...p.users.excludeGroups],
          includeRoles: [...p.users.includeRoles],
          excludeRoles: [...p.users.excludeRoles],
          includeGuestsOrExternalUsers: null,
          excludeGuestsOrExternalUsers: null,
        },
      },
      grantControls: {
        operator: 'OR',
        builtInControls: [...p.builtInControls],
        customAuthenticationFactors: [],
        termsOfUse: [],
        authenticationStrength: null,
      },
    });
    if (rest.length === 4) {
      const policy = entra.conditionalAccessPolicies.find(
        (p) => p.id.toLowerCase() === rest[3]!.toLowerCase(),
      );
      if (!policy) throw req.notFound(rest[3]!);
      return {
        '@odata.context': req.context('identity/conditionalAccess/policies/$entity'),
        ...req.select(render(policy)),
      };
    }
    return collection(
      req,
      entra.conditionalAccessPolicies.map(render),
      'identity/conditionalAccess/policies',
    );
  }
  if (
    rest[0] === 'roleManagement' &&
    rest[1] === 'directory' &&
    rest[2] === 'roleAssignments' &&
    rest.length === 3
  ) {
    req.need(entraRoles.roleAssignments);
    const matches = eqFilter(req, ['principalId', 'roleDefinitionId', 'directoryScopeId']) ?? (() => true);
    const assignments = entra.roleAssignments
      .map((a) => ({
        id: a.id,
        principalId: a.principalId,
        roleDefinitionId: a.roleDefinitionId,
        directoryScopeId: a.directoryScopeId,
        resourceScope: a.directoryScopeId,
        appScopeId: null,
        condition: null,
      }))
      .filter(matches);
    return collection(req, assignments, 'roleManagement/directory/roleAssignments');
  }
  if (rest[0] === 'directory' && rest[1] === 'administrativeUnits') {
    req.need(entraRoles.administrativeUnits);
    if (rest.length === 2)
      return collection(req, entra.administrativeUnits.map(renderUnit), 'directory/administrativeUnits');
    const unit = entra.administrativeUnits.find((u) => u.id.toLowerCase() === rest[2]!.toLowerCase());
    if (!unit) throw req.notFound(rest[2]!);
    if (rest.length === 3)
      return {
        '@odata.context': req.context('directory/administrativeUnits/$entity'),
        ...req.select(renderUnit(unit)),
      };
    if (rest[3] === 'members' && rest.length === 4) {
      const members = unit.members
        .map((m) => renderDirectoryObject(tenant, m))
        .filter((o): o is Record<string, unknown> => o !== undefined);
      return collection(req, members, 'directoryObjects');
    }
    if (rest[3] === 'scopedRoleMembers' && rest.length === 4) {
      const scope = `/administrativeUnits/${unit.id}`.toLowerCase();
      const members = entra.roleAssignments
        .filter((a) => a.directoryScopeId.toLowerCase() === scope)
        .map((a) => ({
          id: a.id,
          roleId: a.roleDefinitionId,
          administrativeUnitId: unit.id,
          roleMemberInfo: { id: a.principalId, displayName: displayNameOf(tenant, a.principalId) },
        }));
      return collection(req, members, `directory/administrativeUnits('${unit.id}')/scopedRoleMembers`);
    }
  }
  if (rest[0] === 'subscribedSkus' && rest.length === 1) {
    req.need(entraRoles.subscribedSkus);
    const consumed = (skuId: string) =>
      Object.values(entra.groupLicensing).filter((l) => l.assignedLicenses.some((a) => a.skuId === skuId))
        .length;
    const skus = entra.subscribedSkus.map((s) => ({
      id: `${tenant.id}_${s.skuId}`,
      accountId: tenant.id,
      accountName: tenant.name,
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: consumed(s.skuId),
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      subscriptionIds: [],
      prepaidUnits: { enabled: s.prepaidEnabled, suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: s.servicePlans.map((p) => ({ ...p, provisioningStatus: 'Success', appliesTo: 'User' })),
    }));
    return collection(req, skus, 'subscribedSkus');
  }
  return undefined;
}
