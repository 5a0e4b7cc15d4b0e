// The simulator's whole persistent state: plain JSON so snapshot/restore is a deep copy and a
// dump is `JSON.stringify`. Secrets (the LDAP bind password) are deliberately NOT kept here.
import type { ExchangeConfigState } from './exchange/config-state.js';
import type { Recipient } from './exchange/recipient.js';
import type { EntraState } from './graph/entra-state.js';

export interface AcceptedDomain {
  DomainName: string;
  DomainType: 'Authoritative' | 'InternalRelay' | 'ExternalRelay';
  Default: boolean;
  InitialDomain: boolean;
}

export interface OutboundConnector {
  Name: string;
  Enabled: boolean;
  ConnectorType: 'OnPremises' | 'Partner';
  RecipientDomains: string[];
  SmartHosts: string[];
  RouteAllMessagesViaOnPremises: boolean;
  UseMXRecord: boolean;
  IsTransportRuleScoped: boolean;
}

/** Exchange RBAC: the Entra directory roles (template ids travel in the token's `wids`). */
export const exchangeDirectoryRoles = {
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
  'Exchange Recipient Administrator': '31392ffb-586c-42d1-9346-e59415a2cc4e',
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
} as const;
export type ExchangeDirectoryRole = keyof typeof exchangeDirectoryRoles;

export interface AppRegistration {
  clientId: string;
  displayName: string;
  /** Object id of the app's service principal in this tenant (token `oid`). */
  servicePrincipalId: string;
  certificates: RegisteredCertificate[];
  /** Application permissions (app roles) per resource, e.g. {"https://graph.microsoft.com": ["Group.Read.All"]}. */
  roles: Record<string, string[]>;
  /** Admin consent granted for the roles. Without it the token endpoint refuses (AADSTS7000112-style). */
  consented: boolean;
  /** Directory roles assigned to the service principal (Exchange builds the session RBAC from them). */
  directoryRoles: ExchangeDirectoryRole[];
  /**
   * Exchange Online role groups the app's service principal was added to (New-ServicePrincipal +
   * Add-RoleGroupMember): RBAC that lives in Exchange, not in the token.
   */
  exchangeRoleGroups: ExchangeRoleGroup[];
  /**
   * Exchange management roles added to a role group of the app beyond the defaults, e.g. "Address Lists" (no
   * role group has it by default in Exchange Online; the address list cmdlets need it).
   */
  exchangeRoles?: ExchangeManagementRole[];
}

/**
 * Management roles the simulator gates on: cmdlets (CmdletDefinition.role: "Address Lists") and parameters
 * ("Security Group Creation and Membership" for -BypassSecurityGroupManagerCheck).
 */
export const exchangeManagementRoles = ['Address Lists', 'Security Group Creation and Membership'] as const;
export type ExchangeManagementRole = (typeof exchangeManagementRoles)[number];

export const exchangeRoleGroups = [
  'Organization Management',
  'Recipient Management',
  'View-Only Organization Management',
] as const;
export type ExchangeRoleGroup = (typeof exchangeRoleGroups)[number];

export interface RegisteredCertificate {
  pem: string;
  thumbprintSha1: string; // hex, upper case
  thumbprintSha256: string; // hex, upper case
  notBefore: string; // ISO
  notAfter: string; // ISO
}

export interface RecipientPermissionEntry {
  identity: string; // recipient Guid
  trustee: string; // recipient Guid
  accessRights: 'SendAs';
}

export interface MailboxPermissionEntry {
  identity: string; // mailbox Guid
  user: string; // recipient Guid
  accessRights: string[];
  inheritanceType: string;
  deny: boolean;
}

/** A folder-level permission (Add-MailboxFolderPermission): one entry per mailbox, folder and user. */
export interface MailboxFolderPermissionEntry {
  mailbox: string; // mailbox Guid
  /** Folder path below the mailbox root ("" = the root itself), as the default folder names it, e.g. "Calendar". */
  folder: string;
  user: string; // recipient Guid
  accessRights: string[];
}

export interface CloudSyncJob {
  servicePrincipalId: string;
  jobId: string;
}

/**
 * How this tenant answers where Microsoft's documentation leaves room (or where only a real tenant
 * can tell): part of the tenant's state, set at creation or over the control plane (README,
 * "Tenant behaviour"). The defaults are the simulator's historical (lenient) answers.
 */
export interface TenantBehaviour {
  /** Seconds a deleted recipient's addresses stay taken (ProxyAddressExists naming it); 0 = freed at once. */
  addressQuarantineSeconds: number;
  /** Server time per member of Update-/Add-/Remove-DistributionGroupMember, in milliseconds. */
  memberUpdateMs: number;
  /** The REST cut-off of InvokeCommand cmdlets, in seconds (Microsoft: 15 minutes). */
  restTimeoutSeconds: number;
  /** Seconds between onPremisesSyncBehavior isCloudManaged=true and Exchange showing IsDirSynced=false. */
  exchangeSoaDelaySeconds: number;
  /** New-DistributionGroup by an app without -ManagedBy: an ownerless group, or a refusal. */
  groupWithoutOwner: 'ownerless' | 'refused';
  /** Update-DistributionGroupMember -Members @(): empties the group, or is refused at binding. */
  emptyMembers: 'clears' | 'refused';
  /**
   * Seconds an access token is valid: the token endpoint's `expires_in` and the token's `exp` − `iat`. Entra issues
   * about an hour (60–90 minutes); a shorter one makes a client such as msal-node request a new token mid-run.
   */
  tokenLifetimeSeconds: number;
}

export const defaultTenantBehaviour: TenantBehaviour = {
  addressQuarantineSeconds: 0,
  memberUpdateMs: 0,
  restTimeoutSeconds: 900,
  exchangeSoaDelaySeconds: 0,
  groupWithoutOwner: 'ownerless',
  emptyMembers: 'clears',
  tokenLifetimeSeconds: 3599,
};

/** Addresses of a deleted recipient, still taken until `until` (see TenantBehaviour.addressQuarantineSeconds). */
export interface QuarantinedAddresses {
  /** proxyKey() of every address and the LegacyExchangeDN. */
  keys: string[];
  /** How Exchange names the deleted holder in ProxyAddressExistsException. */
  holderPath: string;
  /** ISO time the addresses become free. */
  until: string;
}

export interface TenantState {
  id: string;
  /** Short name: `<name>.onmicrosoft.com` is the initial domain. */
  name: string;
  displayName: string;
  initialDomain: string;
  routingDomain: string;
  /** Resource identifiers this tenant's tokens may target (commercial cloud by default). */
  resources: { exchange: string; graph: string };
  acceptedDomains: AcceptedDomain[];
  outboundConnectors: OutboundConnector[];
  apps: Record<string, AppRegistration>;
  recipients: Record<string, Recipient>;
  recipientPermissions: RecipientPermissionEntry[];
  mailboxPermissions: MailboxPermissionEntry[];
  mailboxFolderPermissions: MailboxFolderPermissionEntry[];
  cloudSyncJob: CloudSyncJob;
  /** Object ids of hard-deleted objects: Entra never hands an id out twice. */
  retiredObjectIds: string[];
  /** Transport and journal rules, calendar processing, address lists (exchange/config-state.ts). */
  exchangeConfig?: ExchangeConfigState;
  /** Licences, app roles, Conditional Access, role assignments, owners… (graph/entra-state.ts). */
  entra?: EntraState;
  behaviour: TenantBehaviour;
  quarantinedAddresses: QuarantinedAddresses[];
  /**
   * Soft-deleted recipients (recoverable mailboxes, mail users, Microsoft 365 groups): they keep
   * their addresses but only Get-Recipient -IncludeSoftDeletedRecipients shows them.
   */
  softDeletedRecipients: Record<string, Recipient>;
  /** Converted groups whose IsDirSynced turns false once `at` has passed (exchangeSoaDelaySeconds). */
  pendingSoaRelease: { guid: string; at: string }[];
}

export interface SimState {
  tenants: Record<string, TenantState>;
}

export function emptyState(): SimState {
  return { tenants: {} };
}
