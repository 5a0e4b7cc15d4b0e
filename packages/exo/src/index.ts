export { cloudByName, customCloud, type CloudEndpoints } from './cloud.js';
export { HttpNetworkError, HttpTimeoutError } from './http/client.js';
export { CertificateError, type CertificateSource } from './auth/certificate.js';
export { CloudAuthError } from './auth/auth-error.js';
export { addRemove, type CmdletParameters } from './exchange/encoding.js';
export {
  ExoAddressExistsError,
  ExoError,
  ExoNoResultError,
  ExoNotFoundError,
  ExoPermissionDeniedError,
  ExoValidationError,
} from './exchange/errors.js';
export { EXO_ERROR_CODES } from './error-codes.js';
export { chunkedAnyOf, opathEquals } from './exchange/opath.js';
export { urgently } from './rate/priority.js';
export { RateBudget } from './rate/rate-budget.js';
export { DEFAULT_RETRY_POLICY, retryWithinBudget, type RetryPolicy } from './rate/retry.js';
export type {
  DistributionGroupRecord,
  DynamicDistributionGroupRecord,
  MailboxRecord,
  RecipientPermissionRecord,
  RecipientRecord,
} from './exchange/records.js';
export {
  CALENDAR_POLICY_LISTS,
  type AddressBookPolicyRecord,
  type AddressListRecord,
  type CalendarProcessingRecord,
  type JournalRuleRecord,
  type TransportRuleRecord,
} from './exchange/config-records.js';
export { filterNames, opathLiterals, replaceFilterLiteral } from './exchange/filter-literals.js';
export { type ConditionalAccessPolicyRecord } from './graph/entra-references.js';
export { type MemberRecord } from './exchange/records.js';
export { CloudDependantsIndex } from './exchange/cloud-dependants.js';
export { cloudIdentity } from './exchange/cloud-identity.js';
export {
  ExchangeOnline,
  ADDITIONS_PER_PROGRESS,
  MEMBERS_PER_REPLACE,
  routingDomainOf,
  type CloudDependant,
  type MembershipProgress,
  type ReplaceMembersResult,
} from './exchange/exchange-online.js';
export {
  RESOLVE_PROPERTIES,
  resolveRecipients,
  resolveRecipientsAs,
  resolveUsers,
} from './exchange/resolve.js';
export { GraphClient, GraphRequestError, type GraphGroup } from './graph/graph-client.js';
export { GroupDeletionWatch } from './graph/group-deletions.js';
export { existingRecipientIds } from './exchange/existence.js';
export { CloudConnection } from './connection.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out). Tagged @public for knip (knip.json includeEntryExports):
// they are exported for those signatures, not because another package imports them today.
/** @public */
export type { AuthErrorCode } from './auth/auth-error.js';
/** @public */
export type { AppCertificate } from './auth/certificate.js';
/** @public */
export type { AppTokenSource, TokenSource } from './auth/token-source.js';
/** @public */
export type { CloudName, CustomCloudOptions } from './cloud.js';
/** @public */
export type { CloudConnectionOptions } from './connection.js';
/** @public */
export type { IndexedLink } from './exchange/cloud-dependants.js';
/** @public */
export type {
  AdaptiveLimit,
  AdaptiveLimitOptions,
  AdaptiveLimitStats,
  Slot,
} from './exchange/concurrency.js';
/** @public */
export type { CalendarPolicyList } from './exchange/config-records.js';
/** @public */
export type { ExchangeConfiguration } from './exchange/configuration.js';
/** @public */
export type { AddRemove } from './exchange/encoding.js';
/** @public */
export type { ExoErrorCode, ExoErrorDetails } from './exchange/errors.js';
/** @public */
export type {
  DistributionGroupListProperty,
  NewDistributionGroupInput,
  ReplaceMembersOptions,
} from './exchange/exchange-online.js';
/** @public */
export type { OpathLiteral } from './exchange/filter-literals.js';
/** @public */
export type { FilterChunkOptions } from './exchange/opath.js';
/** @public */
export type {
  AcceptedDomainRecord,
  MailboxFolderPermissionRecord,
  MailboxPermissionRecord,
  UnifiedGroupRecord,
  UserRecord,
} from './exchange/records.js';
/** @public */
export type { ResolveOptions, ResolveResult } from './exchange/resolve.js';
/** @public */
export type { ExoTransport, InvokeOptions, InvokeResult, TransportStats } from './exchange/transport.js';
/** @public */
export type {
  AppRoleAssignmentRecord,
  DirectoryObjectRecord,
  EntraReferences,
  GroupLicences,
  RoleAssignmentRecord,
  SubscribedSkuRecord,
} from './graph/entra-references.js';
/** @public */
export type { GraphClientOptions, GraphClientStats, GraphDirectoryObject } from './graph/graph-client.js';
/** @public */
export type { GroupDeletionPoll, GroupDeltaReader, GroupDeltaRound } from './graph/group-deletions.js';
/** @public */
export type { HttpClient, HttpClientOptions, HttpMethod, HttpRequest, HttpResponse } from './http/client.js';
/** @public */
export type { Random } from './rate/backoff.js';
/** @public */
export type { Clock } from './rate/clock.js';
/** @public */
export type {
  RateBudgetEvent,
  RateBudgetListener,
  RateBudgetOptions,
  RateBudgetStats,
  RatePermit,
} from './rate/rate-budget.js';
/** @public */
export type { RetryRun, RetryVerdict } from './rate/retry.js';
