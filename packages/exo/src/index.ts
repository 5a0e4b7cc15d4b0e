export {
  CLOUDS,
  authorityMetadata,
  authorityUrl,
  cloudByName,
  customCloud,
  scopeFor,
  type CloudEndpoints,
  type CloudName,
  type CustomCloudOptions,
} from './cloud.js';
export {
  HttpClient,
  HttpNetworkError,
  HttpTimeoutError,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
} from './http/client.js';
export { MsalNetworkModule } from './http/msal-network.js';
export {
  CertificateError,
  certificateFromPem,
  certificateFromPfx,
  loadCertificate,
  thumbprint,
  type AppCertificate,
  type CertificateSource,
} from './auth/certificate.js';
export { CloudAuthError, toCloudAuthError, type AuthErrorCode } from './auth/auth-error.js';
export { AppTokenSource, type AppIdentity, type TokenSource } from './auth/token-source.js';
export {
  AdaptiveLimit,
  MAX_CALLS_IN_FLIGHT,
  type AdaptiveLimitOptions,
  type AdaptiveLimitStats,
  type Slot,
} from './exchange/concurrency.js';
export {
  addRemove,
  camelCase,
  cmdletBody,
  encodeParameters,
  toCamelRecord,
  type AddRemove,
  type CmdletParameters,
  type ParameterValue,
} from './exchange/encoding.js';
export {
  ExoAddressExistsError,
  ExoAlreadyExistsError,
  ExoAmbiguousError,
  ExoError,
  ExoMissingManageAsAppError,
  ExoNotFoundError,
  ExoOtherError,
  ExoPermissionDeniedError,
  ExoSyncedObjectError,
  ExoThrottledError,
  ExoTimeoutError,
  ExoTransientError,
  ExoValidationError,
  classifyErrorResponse,
  parseAddressHolder,
  parseErrorBody,
  retryAfterMs,
  splitExoMessage,
  type ExoErrorCode,
} from './exchange/errors.js';
export { EXO_ERROR_CODES, type ExoErrorCodeEntry } from './error-codes.js';
export {
  chunkedAnyOf,
  opathAnyOf,
  opathEquals,
  quoteOpath,
  type FilterChunkOptions,
} from './exchange/opath.js';
export { exchangeRetryVerdict, isRetryable } from './exchange/retry.js';
export { backoffDelayMs, retryAfterDelayMs, type Random } from './rate/backoff.js';
export { ManualClock, sleep, systemClock, type Clock } from './rate/clock.js';
export { inPriorityLane, urgently } from './rate/priority.js';
export {
  RateBudget,
  type RateBudgetEvent,
  type RateBudgetListener,
  type RateBudgetOptions,
  type RateBudgetStats,
  type RatePermit,
} from './rate/rate-budget.js';
export {
  forgetSharedRateBudgets,
  sharedRateBudget,
  type RateScope,
  type RateService,
} from './rate/registry.js';
export {
  DEFAULT_RETRY_POLICY,
  retryDelay,
  retryWithinBudget,
  type RetryPolicy,
  type RetryRun,
  type RetryVerdict,
} from './rate/retry.js';
export {
  ExoTransport,
  anchorMailbox,
  type ExoTransportOptions,
  type InvokeOptions,
  type InvokeResult,
  type TransportStats,
} from './exchange/transport.js';
export type {
  AcceptedDomainRecord,
  DistributionGroupRecord,
  DynamicDistributionGroupRecord,
  MailboxFolderPermissionRecord,
  MailboxPermissionRecord,
  MailboxRecord,
  OutboundConnectorRecord,
  RecipientPermissionRecord,
  RecipientRecord,
  UnifiedGroupRecord,
  UserRecord,
} from './exchange/records.js';
export {
  CALENDAR_POLICY_LISTS,
  TRANSPORT_RULE_RECIPIENT_PARAMETERS,
  type AddressBookPolicyRecord,
  type AddressListRecord,
  type CalendarPolicyList,
  type CalendarProcessingRecord,
  type JournalRuleRecord,
  type TransportRuleRecord,
} from './exchange/config-records.js';
export { ExchangeConfiguration } from './exchange/configuration.js';
export {
  filterNames,
  opathLiterals,
  replaceFilterLiteral,
  type OpathLiteral,
} from './exchange/filter-literals.js';
export {
  EntraReferences,
  type AppRoleAssignmentRecord,
  type ConditionalAccessPolicyRecord,
  type DirectoryObjectRecord,
  type GroupLicences,
  type RoleAssignmentRecord,
  type SubscribedSkuRecord,
} from './graph/entra-references.js';
export { MEMBER_PROPERTIES, toMember, type MemberRecord } from './exchange/records.js';
export {
  CloudDependantsIndex,
  OWNER_CMDLETS,
  RESTRICTION_CMDLETS,
  RESTRICTION_LINKS,
} from './exchange/cloud-dependants.js';
export {
  ExchangeOnline,
  ADDITIONS_PER_PROGRESS,
  MAX_MEMBERS_PER_UPDATE,
  MEMBERS_PER_REPLACE,
  routingDomainOf,
  setCmdletFor,
  type CloudDependant,
  type DistributionGroupListProperty,
  type NewDistributionGroupInput,
  type MembershipProgress,
  type ReplaceMembersOptions,
  type ReplaceMembersResult,
} from './exchange/exchange-online.js';
export {
  identityKind,
  RESOLVE_PROPERTIES,
  resolveRecipients,
  resolveUsers,
  type IdentityKind,
  type ResolveOptions,
  type ResolveResult,
} from './exchange/resolve.js';
export {
  GraphClient,
  GraphRequestError,
  odataString,
  type GraphClientOptions,
  type GraphClientStats,
  type GraphDirectoryObject,
  type GraphGroup,
} from './graph/graph-client.js';
export {
  existingGroupIds,
  GroupDeletionWatch,
  MAX_DELTA_FILTER_IDS,
  type GroupDeletionPoll,
  type GroupDeltaReader,
  type GroupDeltaRound,
} from './graph/group-deletions.js';
export { existingRecipientIds } from './exchange/existence.js';
export { CloudConnection, type CloudConnectionOptions } from './connection.js';
