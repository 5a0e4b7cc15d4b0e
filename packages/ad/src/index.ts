export { ActiveDirectory, type ActiveDirectoryOptions } from './active-directory.js';
export { AdConnection } from './connection.js';
export { AdEntry } from './entry.js';
export { AdError, AD_ERROR_CODES, isAdError, isReferencedObjectNotFound } from './errors.js';
export * from './types.js';
export {
  DYNAMIC_DL_EXCHANGE_VERSION,
  MAIL_CONTACT_EXCHANGE_VERSION,
  recipientsContainerOf,
} from './exchange-stamp.js';
export { childDn, normalizeDn, dnEquals, parentDn, rdnValue, rdnType, isUnder } from './dn.js';
export { escapeFilterValue, eq, and } from './filter.js';
export { guidToString, sidToString } from './ids.js';
export {
  parseSecurityDescriptor,
  encodeSecurityDescriptor,
  ACE_TYPE,
  ACCESS_MASK,
  SEND_AS_RIGHT,
  type Ace,
} from './security-descriptor.js';
export { SdFlagsControl } from './sd-flags.js';
export { parseProxyAddress, decodeGroupType, classifyRecipient } from './recipient.js';
export { retainedName, retainedSamAccountName, routingContactNames, normalizeSmtpAddress } from './naming.js';
export {
  MAIL_DISABLE_ATTRIBUTES,
  MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES,
  EXTENSION_ATTRIBUTES,
} from './attributes.js';
export { readSchemaVersion, MODERN_SCHEMA_VERSION } from './schema.js';
export { type DependantsResult } from './dependants.js';
