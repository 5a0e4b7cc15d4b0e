// Decoding of the on-premises `groupType` bit field and the Exchange recipient-type values a group carries.

/** ADS_GROUP_TYPE_SECURITY_ENABLED: the sign bit of the 32-bit groupType. */
const SECURITY_ENABLED = 0x80000000;
const SCOPE_GLOBAL = 0x2;
const SCOPE_DOMAIN_LOCAL = 0x4;
const SCOPE_UNIVERSAL = 0x8;

/** msExchRecipientTypeDetails of a room list. */
export const ROOM_LIST_TYPE_DETAILS = 268435456n;
/** msExchRecipientDisplayType of a dynamic distribution group. */
export const DYNAMIC_DL_DISPLAY_TYPE = 3;

export type GroupScope = 'global' | 'domainLocal' | 'universal';
export type CloudGroupType = 'Distribution' | 'Security';

export interface DecodedGroupType {
  readonly security: boolean;
  readonly scope: GroupScope | undefined;
}

/** groupType arrives as a signed 32-bit integer (security groups are negative); undefined means "not a group". */
export function decodeGroupType(groupType: number): DecodedGroupType {
  const bits = groupType >>> 0; // reinterpret as unsigned so the sign bit tests cleanly
  const security = (bits & SECURITY_ENABLED) !== 0;
  const scope =
    (bits & SCOPE_UNIVERSAL) !== 0
      ? 'universal'
      : (bits & SCOPE_DOMAIN_LOCAL) !== 0
        ? 'domainLocal'
        : (bits & SCOPE_GLOBAL) !== 0
          ? 'global'
          : undefined;
  return { security, scope };
}

export function isSecurityGroupType(groupType: number | undefined): boolean {
  return groupType !== undefined && decodeGroupType(groupType).security;
}

export function isRoomList(recipientTypeDetails: bigint | number | string | undefined): boolean {
  if (recipientTypeDetails === undefined) return false;
  return BigInt(recipientTypeDetails) === ROOM_LIST_TYPE_DETAILS;
}

/**
 * The cloud group type: an explicit override wins; otherwise the on-prem security bit decides. `forceSecurity` is set
 * when the cloud side needs a security principal (ManagedBy / Send-As / FullAccess dependants, research §2 phase 11).
 */
export function cloudGroupType(
  groupType: number,
  override: CloudGroupType | undefined,
  forceSecurity = false,
): CloudGroupType {
  if (forceSecurity) return 'Security';
  if (override !== undefined) return override;
  return decodeGroupType(groupType).security ? 'Security' : 'Distribution';
}
