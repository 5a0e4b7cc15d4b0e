export { ActiveDirectory, type ActiveDirectoryOptions } from './active-directory.js';
export { AdConnection, type AdConnectionOptions, type SearchRequest } from './connection.js';
export { AdEntry } from './entry.js';
export {
  AdError,
  AD_ERROR_CODES,
  isAdError,
  isReferencedObjectNotFound,
  type AdErrorCode,
  type AdErrorCodeEntry,
  type AdErrorDetails,
} from './errors.js';
export * from './types.js';
export {
  DYNAMIC_DL_EXCHANGE_VERSION,
  MAIL_CONTACT_EXCHANGE_VERSION,
  MODERATION_NOTIFICATIONS_ALWAYS,
  newLegacyExchangeDn,
  recipientsContainerOf,
} from './exchange-stamp.js';
export {
  parseDn,
  formatDn,
  formatRdn,
  escapeDnValue,
  childDn,
  normalizeDn,
  dnEquals,
  parentDn,
  rdnValue,
  rdnType,
  domainDnOf,
  domainNameOf,
  isUnder,
  type Ava,
  type Rdn,
  type ParsedDn,
} from './dn.js';
export { escapeFilterValue, filterToString, eq, present, and, or, not, contains } from './filter.js';
export {
  guidToString,
  guidToBuffer,
  isGuid,
  sidToString,
  sidToBuffer,
  readSid,
  isWellKnownSid,
  SID_EVERYONE,
  SID_SELF,
} from './ids.js';
export {
  parseSecurityDescriptor,
  encodeSecurityDescriptor,
  sendAsSids,
  isProtectedFromAccidentalDeletion,
  ACE_TYPE,
  ACCESS_MASK,
  SEND_AS_RIGHT,
  type Ace,
  type SecurityDescriptor,
} from './security-descriptor.js';
export { SdFlagsControl, SD_FLAGS, SD_FLAGS_OID } from './sd-flags.js';
export {
  parseProxyAddress,
  decodeGroupType,
  encodeGroupType,
  classifyRecipient,
  structuralClass,
  markerOf,
  isMailRecipient,
  MIGRATION_TAG,
  ROUTING_SUFFIX,
  DISPLAY_TYPE_DYNAMIC_DL,
  DISPLAY_TYPE_ROUTING_CONTACT,
  TYPE_DETAILS_ROOM_LIST,
  type RecipientFacts,
} from './recipient.js';
export {
  withSuffix,
  retainedName,
  retainedSamAccountName,
  routingContactNames,
  normalizeSmtpAddress,
  MAX_CN,
  MAX_SAM_ACCOUNT_NAME,
  type RoutingContactNames,
} from './naming.js';
export {
  MAIL_DISABLE_ATTRIBUTES,
  MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES,
  EXTENSION_ATTRIBUTES,
  EXTENSION_CUSTOM_ATTRIBUTES,
  RECIPIENT_ATTRIBUTES,
} from './attributes.js';
export { readExchangeSchema, readSchemaVersion, MODERN_SCHEMA_VERSION } from './schema.js';
export {
  findByAddress,
  findByGuid,
  findGroupByAddress,
  readGroup,
  resolveSendAs,
  type AddressMatch,
} from './read-group.js';
export { resolveRecipients, toRecipient, type ResolveOptions } from './resolve.js';
export { findDependants, type DependantsResult } from './dependants.js';
export {
  moveObject,
  renameObject,
  modifyAttributes,
  clearAttributes,
  mailDisableGroup,
  deleteObject,
  addLinkValue,
  replaceLinkValue,
  withRetry,
  DEFAULT_MOVE_RETRY,
  type RetryPolicy,
  type ClearResult,
} from './write.js';
export {
  createRoutingContact,
  createHybridDynamicGroup,
  EXCLUDED_ADDRESS_POLICY,
  type RoutingContactSpec,
  type HybridDynamicGroupSpec,
  type CreateResult,
} from './create.js';
