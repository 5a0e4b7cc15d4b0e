// What the Entra app registration needs for dlmigrate's app-only access. Role ids are only written
// where they were confirmed against Microsoft's published permission list; a permission whose id we
// could not confirm is named with `id: null`, and `auth init` tells the administrator to pick it by
// name in the portal instead of us inventing an id.

const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface AppPermission {
  readonly resource: 'Office 365 Exchange Online' | 'Microsoft Graph';
  readonly resourceAppId: string;
  readonly name: string;
  /** App role id, or null when it could not be confirmed (look it up by name). */
  readonly id: string | null;
  readonly why: string;
}

export function requiredPermissions(options: { cloudSyncTrigger: boolean }): AppPermission[] {
  const exchange = (name: string, id: string, why: string): AppPermission => ({
    resource: 'Office 365 Exchange Online',
    resourceAppId: EXCHANGE_ONLINE_APP_ID,
    name,
    id,
    why,
  });
  const graph = (name: string, id: string | null, why: string): AppPermission => ({
    resource: 'Microsoft Graph',
    resourceAppId: MICROSOFT_GRAPH_APP_ID,
    name,
    id,
    why,
  });
  const list = [
    exchange(
      'Exchange.ManageAsApp',
      'dc50a0fb-09a3-484d-be87-e023b12c6440',
      'run Exchange Online cmdlets app-only',
    ),
    graph('Group.Read.All', '5b567255-7703-4780-807c-7be8301ae99b', 'read groups and their sync state'),
    graph('GroupMember.Read.All', '98830695-27a2-44f7-8c18-0c3ebc9698f6', 'read group membership'),
    graph(
      'Group-OnPremisesSyncBehavior.ReadWrite.All',
      null,
      'convert a synced group in place (strategy "convert")',
    ),
    graph(
      'Directory.Read.All',
      '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
      "find what Entra holds by a group's id: licences, app roles, role assignments, memberships, owners",
    ),
    graph(
      'Policy.Read.All',
      '246dd0d5-5bd0-4def-940b-0421030a5b68',
      'find the Conditional Access policies that include or exclude a group',
    ),
  ];
  if (options.cloudSyncTrigger) {
    list.push(
      graph(
        'Synchronization.ReadWrite.All',
        '9b50c33d-700f-43b1-b2eb-87e89b703581',
        'start an Entra Cloud Sync job',
      ),
    );
  }
  return list;
}

/** The app manifest's `requiredResourceAccess`, listing only permissions with a confirmed id. */
export function requiredResourceAccess(permissions: readonly AppPermission[]): unknown[] {
  const byResource = new Map<string, { id: string; type: 'Role' }[]>();
  for (const p of permissions) {
    if (p.id === null) continue;
    const list = byResource.get(p.resourceAppId) ?? [];
    list.push({ id: p.id, type: 'Role' });
    byResource.set(p.resourceAppId, list);
  }
  return [...byResource].map(([resourceAppId, resourceAccess]) => ({ resourceAppId, resourceAccess }));
}

export const ENTRA_ROLES = {
  exchangeAdministrator: {
    name: 'Exchange Administrator',
    templateId: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  },
  exchangeRecipientAdministrator: {
    name: 'Exchange Recipient Administrator',
    templateId: '31392ffb-586c-42d1-9346-e59415a2cc4e',
  },
} as const;
