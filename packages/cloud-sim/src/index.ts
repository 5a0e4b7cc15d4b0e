export { CloudSim, type CloudSimOptions } from './cloud-sim.js';
export {
  generateClientCertificate,
  generateServerTls,
  type ClientCertificate,
  type ServerTls,
} from './tls.js';
export {
  commercialResources,
  defaultAppRoles,
  type CreateTenantInput,
  type RegisterAppInput,
  type SeedRecipient,
} from './tenants.js';
export type {
  PendingDeletion,
  SyncConfig,
  SyncCycleResult,
  SyncChange,
  SyncTriggerAck,
} from './sync/engine.js';
export { defaultDeletionThreshold, SyncBusyError } from './sync/engine.js';
export { inlineTiming, quickAsyncTiming, type StragglerRule, type SyncTiming } from './sync/timing.js';
export type { LdapSource } from './sync/ldap-reader.js';
export type {
  Fault,
  GraphFault,
  TokenFault,
  LostWrite,
  Latency,
  Throttling,
  GraphThrottling,
  CallStats,
  Service,
} from './control/knobs.js';
export { concurrencyRefusal } from './control/knobs.js';
export {
  defaultTenantBehaviour,
  exchangeDirectoryRoles,
  exchangeManagementRoles,
  exchangeRoleGroups,
  type ExchangeManagementRole,
  type ExchangeDirectoryRole,
  type ExchangeRoleGroup,
  type TenantBehaviour,
  type SimState,
  type TenantState,
  type AppRegistration,
} from './state.js';
export { allCmdlets } from './exchange/cmdlets/index.js';
export type { TransportRuleBinding } from './exchange/config-state.js';
export type { EntraSeed } from './graph/entra-seed.js';
export { entraRoles } from './graph/entra-routes.js';
export { maxPageSize } from './exchange/invoke.js';
export { maxMembersPerCall } from './exchange/cmdlets/groups.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out).
export type { ThrottleGate } from './control/knobs.js';
export type { CmdletContext, CmdletDefinition, LazyOutput } from './exchange/cmdlet.js';
export type {
  AddressBookPolicy,
  AddressList,
  CalendarProcessing,
  ExchangeConfigState,
  JournalRule,
  TransportRule,
} from './exchange/config-state.js';
export type { RecipientDirectory } from './exchange/directory.js';
export type { CmdletError } from './exchange/errors.js';
export type { BoundParameters, MultiValue, ParamKind, ParamSpec } from './exchange/params.js';
export type { DirectoryFacet, Recipient, RecipientType, RecipientTypeDetails } from './exchange/recipient.js';
export type { OutputObject } from './exchange/render.js';
export type { DeltaQuery, DeltaSession, Known, Snapshot } from './graph/delta.js';
export type {
  AdministrativeUnit,
  AppRole,
  AppRoleAssignment,
  AssignedLicense,
  ConditionalAccessPolicy,
  ConditionalAccessUsers,
  EntraSecurityGroup,
  EntraState,
  GroupLicensing,
  RoleAssignment,
  ServicePrincipal,
  SubscribedSku,
} from './graph/entra-state.js';
export type { SimRuntime, SyncCycleRequest } from './runtime.js';
export type {
  AcceptedDomain,
  CloudSyncJob,
  MailboxFolderPermissionEntry,
  MailboxPermissionEntry,
  OutboundConnector,
  QuarantinedAddresses,
  RecipientPermissionEntry,
  RegisteredCertificate,
} from './state.js';
