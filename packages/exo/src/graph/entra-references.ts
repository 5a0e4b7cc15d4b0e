// Reads of what Entra ID holds by a group's object id (issue 16): group-based licences, app role assignments,
// Conditional Access policies that include or exclude it, directory role assignments (tenant-wide or scoped to an
// administrative unit), the groups and administrative units it is a member of, and its owners. A re-created group
// has a new object id and loses every one of them; the engine reports them before anything changes.
// Permissions (application): Group.Read.All (licences), Directory.Read.All (app roles, role assignments, memberOf,
// owners, subscribed SKUs) and Policy.Read.All (Conditional Access) — microsoft-graph-docs-contrib, each page's table.

/** How the Graph client lends its SDK to this module: one request, or every page of a collection. */
export interface GraphReader {
  get(path: string, query?: GraphQuery): Promise<Record<string, unknown>>;
  all(path: string, query?: GraphQuery): Promise<Record<string, unknown>[]>;
}

export interface GraphQuery {
  readonly select?: string;
  readonly filter?: string;
  readonly top?: number;
}

export interface GroupLicences {
  readonly assignedLicenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
  /** licenseProcessingState.state, e.g. ProcessingComplete; null when the group has none. */
  readonly processingState: string | null;
}

export interface SubscribedSkuRecord {
  readonly skuId: string;
  readonly skuPartNumber: string;
}

export interface AppRoleAssignmentRecord {
  readonly id: string;
  readonly appRoleId: string;
  readonly resourceId: string;
  readonly resourceDisplayName: string | null;
}

export interface ConditionalAccessPolicyRecord {
  readonly id: string;
  readonly displayName: string;
  readonly state: string;
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
}

export interface RoleAssignmentRecord {
  readonly id: string;
  readonly roleDefinitionId: string;
  /** "/" for the tenant, "/administrativeUnits/{id}" for a unit. */
  readonly directoryScopeId: string;
}

export interface DirectoryObjectRecord {
  readonly id: string;
  /** #microsoft.graph.group, #microsoft.graph.administrativeUnit, #microsoft.graph.user, #microsoft.graph.servicePrincipal… */
  readonly odataType: string;
  readonly displayName: string | null;
  /** Groups only: a mail-enabled group is also an Exchange recipient. */
  readonly mailEnabled: boolean | null;
  readonly securityEnabled: boolean | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
const flag = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

export class EntraReferences {
  constructor(private readonly graph: GraphReader) {}

  /** The licences assigned to the group (group-based licensing); a missing group is a GraphRequestError 404. */
  async getGroupLicences(groupId: string): Promise<GroupLicences> {
    const raw = await this.graph.get(`/groups/${encodeURIComponent(groupId)}`, {
      select: 'id,assignedLicenses,licenseProcessingState',
    });
    const assigned = Array.isArray(raw['assignedLicenses'])
      ? (raw['assignedLicenses'] as Record<string, unknown>[])
      : [];
    const state = raw['licenseProcessingState'] as { state?: unknown } | null | undefined;
    return {
      assignedLicenses: assigned.map((l) => ({
        skuId: String(l['skuId'] ?? ''),
        disabledPlans: strings(l['disabledPlans']),
      })),
      processingState: text(state?.state),
    };
  }

  async listSubscribedSkus(): Promise<SubscribedSkuRecord[]> {
    return (await this.graph.all('/subscribedSkus', { select: 'skuId,skuPartNumber' })).map((s) => ({
      skuId: String(s['skuId'] ?? ''),
      skuPartNumber: String(s['skuPartNumber'] ?? ''),
    }));
  }

  async listAppRoleAssignments(groupId: string): Promise<AppRoleAssignmentRecord[]> {
    return (await this.graph.all(`/groups/${encodeURIComponent(groupId)}/appRoleAssignments`)).map((a) => ({
      id: String(a['id'] ?? ''),
      appRoleId: String(a['appRoleId'] ?? ''),
      resourceId: String(a['resourceId'] ?? ''),
      resourceDisplayName: text(a['resourceDisplayName']),
    }));
  }

  /** Every Conditional Access policy (one listing for the tenant; match the group locally). */
  async listConditionalAccessPolicies(): Promise<ConditionalAccessPolicyRecord[]> {
    return (await this.graph.all('/identity/conditionalAccess/policies')).map((p) => {
      const users = ((p['conditions'] as Record<string, unknown> | null)?.['users'] ?? {}) as Record<
        string,
        unknown
      >;
      return {
        id: String(p['id'] ?? ''),
        displayName: String(p['displayName'] ?? ''),
        state: String(p['state'] ?? ''),
        includeGroups: strings(users['includeGroups']),
        excludeGroups: strings(users['excludeGroups']),
      };
    });
  }

  /** Directory role assignments held by the principal, tenant-wide and scoped to administrative units. */
  async listRoleAssignments(principalId: string): Promise<RoleAssignmentRecord[]> {
    const filter = `principalId eq '${principalId.replaceAll("'", "''")}'`;
    return (await this.graph.all('/roleManagement/directory/roleAssignments', { filter })).map((a) => ({
      id: String(a['id'] ?? ''),
      roleDefinitionId: String(a['roleDefinitionId'] ?? ''),
      directoryScopeId: String(a['directoryScopeId'] ?? '/'),
    }));
  }

  /** Groups and administrative units the group is a direct member of. */
  async listMemberOf(groupId: string): Promise<DirectoryObjectRecord[]> {
    return (await this.graph.all(`/groups/${encodeURIComponent(groupId)}/memberOf`, { top: 999 })).map(
      toDirectoryObject,
    );
  }

  async listOwners(groupId: string): Promise<DirectoryObjectRecord[]> {
    return (await this.graph.all(`/groups/${encodeURIComponent(groupId)}/owners`, { top: 999 })).map(
      toDirectoryObject,
    );
  }
}

function toDirectoryObject(raw: Record<string, unknown>): DirectoryObjectRecord {
  return {
    id: String(raw['id'] ?? ''),
    odataType: String(raw['@odata.type'] ?? ''),
    displayName: text(raw['displayName']),
    mailEnabled: flag(raw['mailEnabled']),
    securityEnabled: flag(raw['securityEnabled']),
  };
}
