// What Entra ID holds by the group's object id (issue 16): group-based licences, app role assignments, Conditional
// Access policies that include or exclude it, directory role assignments (tenant-wide or scoped to an
// administrative unit), Entra-only groups and administrative units it is a member of, and its owners. A recreate
// gives the group a new object id and silently loses all of it; `convert` keeps the id. Read-only.
import { GraphRequestError, type ConditionalAccessPolicyRecord, type GraphClient } from '@dlmigrate/exo';
import type { Clock } from '../util/poll.js';
import type { NotChecked } from './exchange.js';
import { PerConnectionCache } from './cache.js';

export type EntraReference =
  | {
      readonly kind: 'licence';
      readonly skuId: string;
      readonly skuPartNumber: string | null;
      readonly disabledPlans: readonly string[];
    }
  | {
      readonly kind: 'app-role';
      readonly resourceId: string;
      readonly resourceName: string | null;
      readonly appRoleId: string;
    }
  | {
      readonly kind: 'conditional-access';
      readonly policyId: string;
      readonly policyName: string;
      readonly state: string;
      readonly condition: 'include' | 'exclude';
    }
  | { readonly kind: 'role-assignment'; readonly roleDefinitionId: string; readonly directoryScopeId: string }
  | {
      readonly kind: 'member-of';
      readonly containerId: string;
      readonly containerName: string | null;
      readonly containerType: 'group' | 'administrativeUnit';
    }
  | {
      readonly kind: 'owner';
      readonly ownerId: string;
      readonly ownerName: string | null;
      readonly ownerType: string;
    };

export interface EntraReferencesCapture {
  readonly references: readonly EntraReference[];
  readonly notChecked: readonly NotChecked[];
}

const policyCache = new PerConnectionCache<GraphClient, ConditionalAccessPolicyRecord[]>();

/** The tenant's Conditional Access policies, reused for a few minutes per Graph client (one listing per batch). */
function conditionalAccessPolicies(
  graph: GraphClient,
  clock: Clock,
): Promise<ConditionalAccessPolicyRecord[]> {
  return policyCache.get(graph, clock, () => graph.entra.listConditionalAccessPolicies());
}

async function optional<T>(
  notChecked: NotChecked[],
  read: () => Promise<T>,
  unreadable: { what: string; permission: string; command: string },
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof GraphRequestError && (error.status === 403 || error.status === 401))) throw error;
    notChecked.push({
      what: unreadable.what,
      why: `the app lacks the Graph permission ${unreadable.permission} (Microsoft Graph answered ${error.status})`,
      command: unreadable.command,
    });
    return undefined;
  }
}

/** Everything Entra holds by `objectId`, each kind read on its own so one missing permission hides only that kind. */
export async function readEntraReferences(
  graph: GraphClient,
  objectId: string,
  clock: Clock,
): Promise<EntraReferencesCapture> {
  const entra = graph.entra;
  const notChecked: NotChecked[] = [];
  const references: EntraReference[] = [];
  const id = objectId.toLowerCase();

  const licences = await optional(notChecked, () => entra.getGroupLicences(objectId), {
    what: 'group-based licences',
    permission: 'Group.Read.All',
    command: `Get-MgGroup -GroupId ${objectId} -Property AssignedLicenses`,
  });
  if (licences && licences.assignedLicenses.length > 0) {
    const skus =
      (await optional(notChecked, () => entra.listSubscribedSkus(), {
        what: 'licence names',
        permission: 'Directory.Read.All',
        command: 'Get-MgSubscribedSku',
      })) ?? [];
    for (const l of licences.assignedLicenses)
      references.push({
        kind: 'licence',
        skuId: l.skuId,
        skuPartNumber: skus.find((s) => s.skuId === l.skuId)?.skuPartNumber ?? null,
        disabledPlans: l.disabledPlans,
      });
  }
  for (const a of (await optional(notChecked, () => entra.listAppRoleAssignments(objectId), {
    what: 'app role assignments',
    permission: 'Directory.Read.All',
    command: `Get-MgGroupAppRoleAssignment -GroupId ${objectId}`,
  })) ?? [])
    references.push({
      kind: 'app-role',
      resourceId: a.resourceId,
      resourceName: a.resourceDisplayName,
      appRoleId: a.appRoleId,
    });

  for (const p of (await optional(notChecked, () => conditionalAccessPolicies(graph, clock), {
    what: 'Conditional Access policies',
    permission: 'Policy.Read.All',
    command:
      'Get-MgIdentityConditionalAccessPolicy -All | Where-Object { $_.Conditions.Users.IncludeGroups -contains "<id>" -or $_.Conditions.Users.ExcludeGroups -contains "<id>" }'.replaceAll(
        '<id>',
        objectId,
      ),
  })) ?? []) {
    for (const condition of ['include', 'exclude'] as const) {
      const groups = condition === 'include' ? p.includeGroups : p.excludeGroups;
      if (groups.some((g) => g.toLowerCase() === id))
        references.push({
          kind: 'conditional-access',
          policyId: p.id,
          policyName: p.displayName,
          state: p.state,
          condition,
        });
    }
  }
  for (const r of (await optional(notChecked, () => entra.listRoleAssignments(objectId), {
    what: 'directory role assignments',
    permission: 'Directory.Read.All',
    command: `Get-MgRoleManagementDirectoryRoleAssignment -Filter "principalId eq '${objectId}'"`,
  })) ?? [])
    references.push({
      kind: 'role-assignment',
      roleDefinitionId: r.roleDefinitionId,
      directoryScopeId: r.directoryScopeId,
    });

  for (const m of (await optional(notChecked, () => entra.listMemberOf(objectId), {
    what: 'memberships in other groups and administrative units',
    permission: 'Directory.Read.All',
    command: `Get-MgGroupMemberOf -GroupId ${objectId} -All`,
  })) ?? []) {
    // Mail-enabled groups containing it are Exchange recipients: rewire-cloud (cloud-only ones) and rewire-onprem
    // (synced ones) take care of those. Only what Exchange never sees is an Entra reference.
    if (m.odataType === '#microsoft.graph.administrativeUnit')
      references.push({
        kind: 'member-of',
        containerId: m.id,
        containerName: m.displayName,
        containerType: 'administrativeUnit',
      });
    else if (m.odataType === '#microsoft.graph.group' && m.mailEnabled !== true)
      references.push({
        kind: 'member-of',
        containerId: m.id,
        containerName: m.displayName,
        containerType: 'group',
      });
  }
  for (const o of (await optional(notChecked, () => entra.listOwners(objectId), {
    what: 'owners in Entra',
    permission: 'Directory.Read.All',
    command: `Get-MgGroupOwner -GroupId ${objectId} -All`,
  })) ?? [])
    references.push({
      kind: 'owner',
      ownerId: o.id,
      ownerName: o.displayName,
      ownerType: o.odataType.replace('#microsoft.graph.', ''),
    });
  return { references, notChecked };
}
