// The command an administrator would run for a reference the engine does not (or could not) change itself:
// Exchange Online PowerShell for configuration objects, Microsoft Graph PowerShell for what Entra holds by id.
// Every value is a PowerShell single-quoted string (quotes doubled), so a name can't end the string early.
import type { EntraReference } from './entra.js';
import type { ExchangeReference } from './exchange.js';

export function psQuote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function psList(values: readonly string[]): string {
  return values.length === 0 ? '$null' : values.map(psQuote).join(',');
}

/** The Exchange command that gives `reference`'s container the value(s) `next`. */
export function exchangeCommand(
  reference: ExchangeReference,
  next: string | readonly string[] | null,
): string {
  const id = psQuote(reference.container.identity);
  const value = next === null ? '$null' : typeof next === 'string' ? psQuote(next) : psList(next);
  switch (reference.kind) {
    case 'transport-rule':
      return `Set-TransportRule -Identity ${id} -${reference.property} ${value}`;
    case 'journal-rule':
      return `Set-JournalRule -Identity ${id} -Recipient ${value}`;
    case 'dynamic-group-filter':
      return `Set-DynamicDistributionGroup -Identity ${id} -RecipientFilter ${value}`;
    case 'address-list-filter':
      return `${reference.container.listKind === 'global-address-list' ? 'Set-GlobalAddressList' : 'Set-AddressList'} -Identity ${id} -RecipientFilter ${value}`;
    case 'calendar-processing':
      return `Set-CalendarProcessing -Identity ${id} -${reference.property} ${value}`;
  }
}

/** How a command names the new group: its id as a quoted string, or a PowerShell variable set beforehand. */
type GroupExpression = { readonly quoted: string; readonly url: string };

const byId = (id: string): GroupExpression => ({
  quoted: psQuote(id),
  url: psQuote(`https://graph.microsoft.com/v1.0/directoryObjects/${id}`),
});

/** The variable a plan's commands use for the new group's id, known only once the migration has created it. */
const NEW_GROUP_ID_VARIABLE = '$newGroupId';

/** The Graph PowerShell command that gives the group `groupId` back what `reference` held for the old one. */
export function entraCommand(reference: EntraReference, groupId: string): string {
  return commandFor(reference, byId(groupId));
}

/**
 * The same command for a group not created yet, preceded by the line that sets $newGroupId from its address (the
 * new group takes the old one's addresses, so the address finds it after the migration).
 */
export function entraCommandAfterMigration(reference: EntraReference, groupAddress: string): string {
  const v = NEW_GROUP_ID_VARIABLE;
  return `${v} = (Get-DistributionGroup -Identity ${psQuote(groupAddress)}).ExternalDirectoryObjectId; ${commandFor(reference, { quoted: v, url: `"https://graph.microsoft.com/v1.0/directoryObjects/${v}"` })}`;
}

function commandFor(reference: EntraReference, g: GroupExpression): string {
  const group = g.quoted;
  switch (reference.kind) {
    case 'licence':
      return `Set-MgGroupLicense -GroupId ${group} -AddLicenses @(@{SkuId=${psQuote(reference.skuId)}; DisabledPlans=@(${reference.disabledPlans.map(psQuote).join(',')})}) -RemoveLicenses @()`;
    case 'app-role':
      return `New-MgGroupAppRoleAssignment -GroupId ${group} -PrincipalId ${group} -ResourceId ${psQuote(reference.resourceId)} -AppRoleId ${psQuote(reference.appRoleId)}`;
    case 'conditional-access': {
      const list = reference.condition === 'include' ? 'IncludeGroups' : 'ExcludeGroups';
      const policy = psQuote(reference.policyId);
      return `$p = Get-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId ${policy}; Update-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId ${policy} -Conditions @{ Users = @{ ${list} = @($p.Conditions.Users.${list}) + ${group} } }`;
    }
    case 'role-assignment':
      return `New-MgRoleManagementDirectoryRoleAssignment -PrincipalId ${group} -RoleDefinitionId ${psQuote(reference.roleDefinitionId)} -DirectoryScopeId ${psQuote(reference.directoryScopeId)}`;
    case 'member-of':
      return reference.containerType === 'administrativeUnit'
        ? `New-MgDirectoryAdministrativeUnitMemberByRef -AdministrativeUnitId ${psQuote(reference.containerId)} -OdataId ${g.url}`
        : `New-MgGroupMember -GroupId ${psQuote(reference.containerId)} -DirectoryObjectId ${group}`;
    case 'owner':
      return `New-MgGroupOwnerByRef -GroupId ${group} -OdataId ${byId(reference.ownerId).url}`;
  }
}

/** One line saying what the reference is, for findings and reports. */
export function describeEntraReference(reference: EntraReference): string {
  switch (reference.kind) {
    case 'licence':
      return `group-based licence ${reference.skuPartNumber ?? reference.skuId}${reference.disabledPlans.length > 0 ? ` (${reference.disabledPlans.length} plans disabled)` : ''}`;
    case 'app-role':
      return `app role assignment to ${reference.resourceName ?? reference.resourceId}`;
    case 'conditional-access':
      return `Conditional Access policy "${reference.policyName}" (${reference.state}) ${reference.condition === 'include' ? 'includes' : 'excludes'} it`;
    case 'role-assignment':
      return `directory role ${reference.roleDefinitionId} ${reference.directoryScopeId === '/' ? 'for the tenant' : `scoped to ${reference.directoryScopeId}`}`;
    case 'member-of':
      return `member of the ${reference.containerType === 'administrativeUnit' ? 'administrative unit' : 'Entra group'} "${reference.containerName ?? reference.containerId}"`;
    case 'owner':
      return `owned in Entra by ${reference.ownerType} "${reference.ownerName ?? reference.ownerId}"`;
  }
}

export function describeExchangeReference(reference: ExchangeReference): string {
  switch (reference.kind) {
    case 'transport-rule':
      return `transport rule "${reference.container.name}" names it in ${reference.property}`;
    case 'journal-rule':
      return `journal rule "${reference.container.name}" journals it (Recipient)`;
    case 'dynamic-group-filter':
      return `dynamic distribution group ${reference.container.name} filters on it (RecipientFilter)`;
    case 'address-list-filter':
      return `address list ${reference.container.name} filters on it (RecipientFilter)${reference.usedBy && reference.usedBy.length > 0 ? `, used by address book policies ${reference.usedBy.join(', ')}` : ''}`;
    case 'calendar-processing':
      return `resource mailbox ${reference.container.name} names it in ${reference.property}`;
  }
}
