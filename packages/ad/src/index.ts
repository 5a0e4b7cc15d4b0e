export { ActiveDirectory, type ActiveDirectoryOptions } from './active-directory.js';
export { AdConnection } from './connection.js';
export { AdEntry } from './entry.js';
export { AdError, AD_ERROR_CODES, isAdError, isReferencedObjectNotFound } from './errors.js';
export * from './types.js';
export { recipientsContainerOf } from './exchange-stamp.js';
export { childDn, normalizeDn, dnEquals, parentDn, rdnValue, rdnType, isUnder } from './dn.js';
export { eq, and } from './filter.js';
export { guidToString } from './ids.js';
export { parseProxyAddress, decodeGroupType, classifyRecipient } from './recipient.js';
export { retainedName, retainedSamAccountName, routingContactNames, normalizeSmtpAddress } from './naming.js';
export {
  MAIL_DISABLE_ATTRIBUTES,
  MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES,
  EXTENSION_ATTRIBUTES,
} from './attributes.js';
export { type DependantsResult } from './dependants.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out). Tagged @public for knip (knip.json includeEntryExports):
// they are exported for those signatures, not because another package imports them today.
/** @public */
export type { AdConnectionOptions, SearchRequest } from './connection.js';
/** @public */
export type { CreateResult, HybridDynamicGroupSpec, RoutingContactSpec } from './create.js';
/** @public */
export type { Value } from './entry.js';
/** @public */
export type { AdErrorDetails } from './errors.js';
/** @public */
export type { RoutingContactNames } from './naming.js';
/** @public */
export type { AddressMatch } from './read-group.js';
/** @public */
export type { OnPremMailboxRights } from './mailbox-rights.js';
/** @public */
export type { RecipientFacts } from './recipient.js';
/** @public */
export type { ResolveOptions } from './resolve.js';
/** @public */
export type { AttributeValue } from './types.js';
/** @public */
export type { ClearResult, RetryPolicy } from './write.js';
