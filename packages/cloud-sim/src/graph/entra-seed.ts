// Seeding the Entra-only state (the simulator serves Graph reads of it, not the writes): checked against what Entra
// documents it accepts, so a test can't build a tenant Entra would never have.
import { randomUUID } from 'node:crypto';
import { RecipientDirectory } from '../exchange/directory.js';
import { isGroup } from '../exchange/recipient.js';
import type { TenantState } from '../state.js';
import { entraOf, type EntraState } from './entra-state.js';

/** Objects are named by object id, or (recipients) by anything -Identity accepts, e.g. an address. */
export interface EntraSeed {
  securityGroups?: {
    id?: string;
    displayName: string;
    description?: string;
    /** Only at creation, and only for a cloud group (groups-concept.md). */
    isAssignableToRole?: boolean;
    members?: string[];
  }[];
  administrativeUnits?: { id?: string; displayName: string; description?: string; members?: string[] }[];
  servicePrincipals?: {
    id?: string;
    appId?: string;
    displayName: string;
    appRoles?: { id?: string; value: string; displayName?: string }[];
  }[];
  /** Group-based licences: the group must be a security group; the SKU one of the tenant's subscriptions. */
  groupLicenses?: { group: string; skuIds: string[]; disabledPlans?: string[]; state?: string }[];
  /** appRole: an app role value or id of the resource; default the default access role (all zeros). */
  appRoleAssignments?: { principal: string; resource: string; appRole?: string }[];
  conditionalAccessPolicies?: {
    id?: string;
    displayName: string;
    state?: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
    includeUsers?: string[];
    excludeUsers?: string[];
    includeGroups?: string[];
    excludeGroups?: string[];
    includeApplications?: string[];
    builtInControls?: string[];
  }[];
  /** directoryScope: "/" (default) or an administrative unit (id or display name). */
  roleAssignments?: { principal: string; roleDefinitionId: string; directoryScope?: string }[];
  owners?: { group: string; owners: string[] }[];
}

const defaultAccessRole = '00000000-0000-0000-0000-000000000000';
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Kind = 'user' | 'group' | 'servicePrincipal' | 'administrativeUnit' | 'contact';

interface Resolved {
  id: string;
  kind: Kind;
  /** Security-enabled (licences and app roles need it). */
  security: boolean;
  synced: boolean;
  roleAssignable: boolean;
}

function resolver(tenant: TenantState, entra: EntraState) {
  const dir = RecipientDirectory.of(tenant);
  return (ref: string, what: string): Resolved => {
    const lower = ref.toLowerCase();
    // Entra objects are named by id or display name, whatever the case.
    const named = <T extends { readonly id: string; readonly displayName: string }>(objects: readonly T[]) =>
      objects.find((o) => o.id.toLowerCase() === lower || o.displayName.toLowerCase() === lower);
    const group = named(entra.securityGroups);
    if (group)
      return {
        id: group.id,
        kind: 'group',
        security: true,
        synced: false,
        roleAssignable: group.isAssignableToRole,
      };
    const sp = named(entra.servicePrincipals);
    if (sp)
      return { id: sp.id, kind: 'servicePrincipal', security: true, synced: false, roleAssignable: false };
    const unit = named(entra.administrativeUnits);
    if (unit)
      return {
        id: unit.id,
        kind: 'administrativeUnit',
        security: false,
        synced: false,
        roleAssignable: false,
      };
    const candidates = dir.candidates(ref);
    const r = candidates.length === 1 ? candidates[0]! : undefined;
    if (!r || !r.ExternalDirectoryObjectId)
      throw new Error(
        `${what}: "${ref}" is not a directory object of this tenant${candidates.length > 1 ? ' (ambiguous)' : ''}.`,
      );
    return {
      id: r.ExternalDirectoryObjectId,
      kind: isGroup(r) ? 'group' : r.RecipientType === 'MailContact' ? 'contact' : 'user',
      security: r.dir.securityEnabled,
      synced: r.IsDirSynced || r.dir.sourceAnchor !== undefined,
      roleAssignable: false,
    };
  };
}

/** Adds the seed to the tenant's Entra state; throws (and changes nothing) when any part is invalid. */
export function seedEntra(tenant: TenantState, seed: EntraSeed): void {
  const before = structuredClone(entraOf(tenant));
  try {
    apply(tenant, seed);
  } catch (err) {
    tenant.entra = before;
    throw err;
  }
}

function apply(tenant: TenantState, seed: EntraSeed): void {
  const entra = entraOf(tenant);
  const resolve = resolver(tenant, entra);
  const now = new Date().toISOString();
  // Containers first, then everything that refers to them.
  for (const g of seed.securityGroups ?? [])
    entra.securityGroups.push({
      id: g.id ?? randomUUID(),
      displayName: g.displayName,
      description: g.description ?? null,
      isAssignableToRole: g.isAssignableToRole ?? false,
      members: [],
      createdDateTime: now,
    });
  for (const u of seed.administrativeUnits ?? [])
    entra.administrativeUnits.push({
      id: u.id ?? randomUUID(),
      displayName: u.displayName,
      description: u.description ?? null,
      members: [],
    });
  for (const s of seed.servicePrincipals ?? [])
    entra.servicePrincipals.push({
      id: s.id ?? randomUUID(),
      appId: s.appId ?? randomUUID(),
      displayName: s.displayName,
      appRoles: (s.appRoles ?? []).map((r) => ({
        id: r.id ?? randomUUID(),
        value: r.value,
        displayName: r.displayName ?? r.value,
      })),
    });
  for (const g of seed.securityGroups ?? []) {
    const group = entra.securityGroups.find((x) => x.displayName === g.displayName)!;
    for (const m of g.members ?? []) {
      const member = resolve(m, `security group "${g.displayName}" member`);
      // groups-concept.md: "A group can't be added as a member of a role-assignable group."
      if (group.isAssignableToRole && member.kind === 'group')
        throw new Error(
          `security group "${g.displayName}" is role-assignable: a group can't be a member of it.`,
        );
      group.members.push(member.id);
    }
  }
  for (const u of seed.administrativeUnits ?? []) {
    const unit = entra.administrativeUnits.find((x) => x.displayName === u.displayName)!;
    for (const m of u.members ?? [])
      unit.members.push(resolve(m, `administrative unit "${u.displayName}" member`).id);
  }
  for (const l of seed.groupLicenses ?? []) {
    const group = resolve(l.group, 'group licence');
    if (group.kind !== 'group' || !group.security)
      throw new Error(
        `group licence: "${l.group}" is not a security group; licences can only be assigned to security groups.`,
      );
    for (const skuId of l.skuIds)
      if (!entra.subscribedSkus.some((s) => s.skuId === skuId))
        throw new Error(`group licence: the tenant has no subscription with skuId ${skuId}.`);
    const current = entra.groupLicensing[group.id]?.assignedLicenses ?? [];
    entra.groupLicensing[group.id] = {
      assignedLicenses: [
        ...current.filter((c) => !l.skuIds.includes(c.skuId)),
        ...l.skuIds.map((skuId) => ({ skuId, disabledPlans: [...(l.disabledPlans ?? [])] })),
      ],
      state: l.state ?? 'ProcessingComplete',
    };
  }
  for (const a of seed.appRoleAssignments ?? []) {
    const principal = resolve(a.principal, 'app role assignment principal');
    // group-post-approleassignments.md: "assign an app role to a security group".
    if (principal.kind === 'group' && !principal.security)
      throw new Error(`app role assignment: "${a.principal}" is not a security group.`);
    const resource = resolve(a.resource, 'app role assignment resource');
    const sp = entra.servicePrincipals.find((s) => s.id === resource.id);
    if (!sp) throw new Error(`app role assignment: "${a.resource}" is not a service principal.`);
    const role = a.appRole ?? defaultAccessRole;
    const appRole =
      role === defaultAccessRole ? undefined : sp.appRoles.find((r) => r.id === role || r.value === role);
    if (role !== defaultAccessRole && !appRole)
      throw new Error(`app role assignment: "${sp.displayName}" has no app role "${role}".`);
    entra.appRoleAssignments.push({
      id: randomUUID(),
      appRoleId: appRole?.id ?? defaultAccessRole,
      principalId: principal.id,
      principalType:
        principal.kind === 'group'
          ? 'Group'
          : principal.kind === 'servicePrincipal'
            ? 'ServicePrincipal'
            : 'User',
      resourceId: sp.id,
      createdDateTime: now,
    });
  }
  for (const p of seed.conditionalAccessPolicies ?? []) {
    const groups = (refs: string[] | undefined, what: string) =>
      (refs ?? []).map((g) => {
        const r = resolve(g, `conditional access policy "${p.displayName}" ${what}`);
        if (r.kind !== 'group')
          throw new Error(`conditional access policy "${p.displayName}": "${g}" is not a group.`);
        return r.id;
      });
    const users = (refs: string[] | undefined) =>
      (refs ?? []).map((u) =>
        ['All', 'None', 'GuestsOrExternalUsers'].includes(u) ? u : resolve(u, 'policy user').id,
      );
    entra.conditionalAccessPolicies.push({
      id: p.id ?? randomUUID(),
      displayName: p.displayName,
      state: p.state ?? 'enabled',
      createdDateTime: now,
      modifiedDateTime: null,
      users: {
        includeUsers: users(p.includeUsers),
        excludeUsers: users(p.excludeUsers),
        includeGroups: groups(p.includeGroups, 'includeGroups'),
        excludeGroups: groups(p.excludeGroups, 'excludeGroups'),
        includeRoles: [],
        excludeRoles: [],
      },
      includeApplications: p.includeApplications ?? ['All'],
      builtInControls: p.builtInControls ?? ['mfa'],
    });
  }
  for (const a of seed.roleAssignments ?? []) {
    const principal = resolve(a.principal, 'role assignment principal');
    // groups-concept.md: only role-assignable groups can hold roles; on-premises groups are not supported.
    if (principal.kind === 'group' && (!principal.roleAssignable || principal.synced))
      throw new Error(
        `role assignment: "${a.principal}" is not a role-assignable group (isAssignableToRole is set only on new cloud groups).`,
      );
    if (!guid.test(a.roleDefinitionId))
      throw new Error(`role assignment: roleDefinitionId "${a.roleDefinitionId}" is not a GUID.`);
    let scope = '/';
    if (a.directoryScope && a.directoryScope !== '/') {
      const unit = resolve(
        a.directoryScope.replace(/^\/administrativeUnits\//i, ''),
        'role assignment scope',
      );
      if (unit.kind !== 'administrativeUnit')
        throw new Error(`role assignment: "${a.directoryScope}" is not an administrative unit.`);
      scope = `/administrativeUnits/${unit.id}`;
    }
    entra.roleAssignments.push({
      id: randomUUID(),
      principalId: principal.id,
      roleDefinitionId: a.roleDefinitionId,
      directoryScopeId: scope,
    });
  }
  for (const o of seed.owners ?? []) {
    const group = resolve(o.group, 'owners');
    if (group.kind !== 'group') throw new Error(`owners: "${o.group}" is not a group.`);
    const owners = o.owners.map((x) => {
      const owner = resolve(x, 'owner');
      if (owner.kind !== 'user' && owner.kind !== 'servicePrincipal')
        throw new Error(`owners: "${x}" is neither a user nor a service principal.`);
      return owner.id;
    });
    entra.owners[group.id] = [...new Set([...(entra.owners[group.id] ?? []), ...owners])];
  }
}
