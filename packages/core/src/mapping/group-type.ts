// The cloud group's type. The on-prem groupType is decoded by @dlmigrate/ad (AdGroup.groupType).

export type CloudGroupType = 'Distribution' | 'Security';

/**
 * An explicit override wins; otherwise the on-prem security bit decides. `forceSecurity` is set when the cloud side
 * needs a security principal (ManagedBy / Send-As / FullAccess dependants, docs/reference-behaviour.md#cloud-dependants) and beats both.
 */
export function cloudGroupType(
  onPremSecurity: boolean,
  override: CloudGroupType | undefined,
  forceSecurity = false,
): CloudGroupType {
  if (forceSecurity) return 'Security';
  if (override !== undefined) return override;
  return onPremSecurity ? 'Security' : 'Distribution';
}
