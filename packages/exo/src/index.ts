export { cloudByName, customCloud, type CloudEndpoints } from './cloud.js';
export { HttpNetworkError, HttpTimeoutError } from './http/client.js';
export { CertificateError, certificateFromPem, type CertificateSource } from './auth/certificate.js';
export { CloudAuthError } from './auth/auth-error.js';
export { MAX_CALLS_IN_FLIGHT } from './exchange/concurrency.js';
export { addRemove, type CmdletParameters } from './exchange/encoding.js';
export {
  ExoAddressExistsError,
  ExoError,
  ExoNotFoundError,
  ExoPermissionDeniedError,
  ExoValidationError,
} from './exchange/errors.js';
export { EXO_ERROR_CODES } from './error-codes.js';
export { chunkedAnyOf, opathEquals } from './exchange/opath.js';
export { urgently } from './rate/priority.js';
export { RateBudget } from './rate/rate-budget.js';
export { forgetSharedRateBudgets } from './rate/registry.js';
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
export {
  CloudDependantsIndex,
  OWNER_CMDLETS,
  RESTRICTION_CMDLETS,
  RESTRICTION_LINKS,
} from './exchange/cloud-dependants.js';
export {
  ExchangeOnline,
  ADDITIONS_PER_PROGRESS,
  MEMBERS_PER_REPLACE,
  routingDomainOf,
  type CloudDependant,
  type MembershipProgress,
  type ReplaceMembersResult,
} from './exchange/exchange-online.js';
export { RESOLVE_PROPERTIES, resolveRecipients, resolveUsers } from './exchange/resolve.js';
export { GraphClient, GraphRequestError, type GraphGroup } from './graph/graph-client.js';
export { GroupDeletionWatch } from './graph/group-deletions.js';
export { existingRecipientIds } from './exchange/existence.js';
export { CloudConnection } from './connection.js';
