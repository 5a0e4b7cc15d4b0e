// Creating tenants, registering apps and seeding cloud-only recipients.
import { randomBytes, randomUUID } from 'node:crypto';
import { describeCertificate } from './auth/client-assertion.js';
import { behaviourFrom } from './behaviour.js';
import type { CmdletContext } from './exchange/cmdlet.js';
import { emptyExchangeConfig } from './exchange/config-state.js';
import { RecipientDirectory } from './exchange/directory.js';
import { bindParameters } from './exchange/params.js';
import {
  isGroup,
  isRecipientTypeDetails,
  newRecipient,
  type Recipient,
  type RecipientTypeDetails,
} from './exchange/recipient.js';
import {
  addressParams,
  applySettings,
  deliveryParams,
  groupParams,
  resolveAll,
} from './exchange/settings.js';
import { emptyEntra } from './graph/entra-state.js';
import {
  exchangeDirectoryRoles,
  exchangeManagementRoles,
  type ExchangeManagementRole,
  exchangeRoleGroups,
  type AppRegistration,
  type ExchangeDirectoryRole,
  type ExchangeRoleGroup,
  type OutboundConnector,
  type TenantBehaviour,
  type TenantState,
} from './state.js';

export const commercialResources = {
  exchange: 'https://outlook.office365.com',
  graph: 'https://graph.microsoft.com',
};

export interface CreateTenantInput {
  /** Short name: the initial domain is `<name>.onmicrosoft.com`, the routing domain `<name>.mail.onmicrosoft.com`. */
  name: string;
  id?: string;
  displayName?: string;
  /** Extra verified (accepted) domains, e.g. ["contoso.com"]; the first becomes the default domain. */
  domains?: string[];
  outboundConnectors?: Partial<OutboundConnector>[];
  /** Resource identifiers (sovereign clouds); commercial by default. */
  resources?: Partial<TenantState['resources']>;
  /** How the tenant answers where the documentation leaves room (README, "Tenant behaviour"). */
  behaviour?: Partial<TenantBehaviour>;
}

export function createTenantState(input: CreateTenantInput): TenantState {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/i.test(input.name))
    throw new Error(`Tenant name "${input.name}" must be 1-40 letters, digits or hyphens.`);
  const name = input.name.toLowerCase();
  const initialDomain = `${name}.onmicrosoft.com`;
  const routingDomain = `${name}.mail.onmicrosoft.com`;
  const extra = (input.domains ?? []).map((d) => d.toLowerCase());
  const acceptedDomains: TenantState['acceptedDomains'] = [
    ...extra.map((d, i) => ({
      DomainName: d,
      DomainType: 'Authoritative' as const,
      Default: i === 0,
      InitialDomain: false,
    })),
    {
      DomainName: initialDomain,
      DomainType: 'Authoritative',
      Default: extra.length === 0,
      InitialDomain: true,
    },
    { DomainName: routingDomain, DomainType: 'Authoritative', Default: false, InitialDomain: false },
  ];
  return {
    id: (input.id ?? randomUUID()).toLowerCase(),
    name,
    displayName: input.displayName ?? name,
    initialDomain,
    routingDomain,
    resources: { ...commercialResources, ...input.resources },
    acceptedDomains,
    outboundConnectors: (input.outboundConnectors ?? []).map((c, i) => ({
      Name: c.Name ?? `Outbound connector ${i + 1}`,
      Enabled: c.Enabled ?? true,
      ConnectorType: c.ConnectorType ?? 'OnPremises',
      RecipientDomains: c.RecipientDomains ?? [],
      SmartHosts: c.SmartHosts ?? [],
      RouteAllMessagesViaOnPremises: c.RouteAllMessagesViaOnPremises ?? false,
      UseMXRecord: c.UseMXRecord ?? false,
      IsTransportRuleScoped: c.IsTransportRuleScoped ?? false,
    })),
    apps: {},
    recipients: {},
    recipientPermissions: [],
    mailboxPermissions: [],
    mailboxFolderPermissions: [],
    retiredObjectIds: [],
    exchangeConfig: emptyExchangeConfig(),
    entra: emptyEntra(),
    behaviour: behaviourFrom(input.behaviour),
    quarantinedAddresses: [],
    softDeletedRecipients: {},
    pendingSoaRelease: [],
    cloudSyncJob: {
      servicePrincipalId: randomUUID(),
      jobId: `AD2AADProvisioning.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`,
    },
  };
}

/** The application permissions the product needs, per resource. */
export function defaultAppRoles(tenant: TenantState): Record<string, string[]> {
  return {
    [tenant.resources.exchange]: ['Exchange.ManageAsApp'],
    [tenant.resources.graph]: [
      'Group.Read.All',
      'GroupMember.Read.All',
      'Group-OnPremisesSyncBehavior.ReadWrite.All',
      'Synchronization.ReadWrite.All',
      // What a re-created group would lose in Entra (issue 16): licences, app roles, memberships, owners, roles…
      'Directory.Read.All',
      // …and the Conditional Access policies that name it.
      'Policy.Read.All',
    ],
  };
}

export interface RegisterAppInput {
  clientId?: string;
  displayName?: string;
  /** PEM certificates uploaded to the app registration. */
  certificates: string[];
  /** App roles per resource id; defaults to defaultAppRoles(). */
  roles?: Record<string, string[]>;
  /** Admin consent; default true. */
  consented?: boolean;
  /** Directory roles of the service principal; default ["Exchange Administrator"]. */
  directoryRoles?: ExchangeDirectoryRole[];
  /** Exchange role groups holding the service principal; default none. */
  exchangeRoleGroups?: ExchangeRoleGroup[];
  /** Management roles added to the app's role group beyond the defaults (e.g. "Address Lists"); default none. */
  exchangeRoles?: ExchangeManagementRole[];
}

export function registerApp(tenant: TenantState, input: RegisterAppInput): AppRegistration {
  const clientId = (input.clientId ?? randomUUID()).toLowerCase();
  const app: AppRegistration = {
    clientId,
    displayName: input.displayName ?? 'dlmigrate',
    servicePrincipalId: tenant.apps[clientId]?.servicePrincipalId ?? randomUUID(),
    certificates: input.certificates.map(describeCertificate),
    roles: input.roles ?? defaultAppRoles(tenant),
    consented: input.consented ?? true,
    directoryRoles: input.directoryRoles ?? ['Exchange Administrator'],
    exchangeRoleGroups: input.exchangeRoleGroups ?? [],
    exchangeRoles: input.exchangeRoles ?? [],
  };
  for (const role of app.directoryRoles)
    if (!(role in exchangeDirectoryRoles))
      throw new Error(
        `Unknown directory role "${role}" (${Object.keys(exchangeDirectoryRoles).join(', ')}).`,
      );
  for (const group of app.exchangeRoleGroups)
    if (!(exchangeRoleGroups as readonly string[]).includes(group))
      throw new Error(`Unknown Exchange role group "${group}" (${exchangeRoleGroups.join(', ')}).`);
  for (const role of app.exchangeRoles ?? [])
    if (!(exchangeManagementRoles as readonly string[]).includes(role))
      throw new Error(`Unknown Exchange management role "${role}" (${exchangeManagementRoles.join(', ')}).`);
  tenant.apps[clientId] = app;
  return app;
}

export interface SeedRecipient {
  type: RecipientTypeDetails;
  name: string;
  alias?: string;
  displayName?: string;
  primarySmtpAddress: string;
  /** Full proxy address list ("SMTP:" primary, "smtp:", "X500:" …); defaults to the primary address. */
  emailAddresses?: string[];
  externalEmailAddress?: string;
  userPrincipalName?: string;
  recipientFilter?: string;
  guid?: string;
  externalDirectoryObjectId?: string;
  /** Member identities (any form -Identity accepts), resolved after every seed object exists. */
  members?: string[];
  /** Any Set-* parameters by Exchange name, e.g. {"ManagedBy": ["alice"], "HiddenFromAddressListsEnabled": true}. */
  settings?: Record<string, unknown>;
  /**
   * A soft-deleted (still recoverable) recipient: it keeps its addresses, but only Get-Recipient
   * -IncludeSoftDeletedRecipients shows it. Mailboxes, mail users and Microsoft 365 groups only
   * (distribution groups are hard-deleted).
   */
  softDeleted?: boolean;
}

/** What Exchange Online keeps in a recoverable (soft-deleted) state. */
const softDeletableTypes: RecipientTypeDetails[] = [
  'UserMailbox',
  'SharedMailbox',
  'RoomMailbox',
  'MailUser',
  'GroupMailbox',
];

/** Seeds cloud-only recipients: objects first, then links, so seeds may reference each other. */
export function seedRecipients(tenant: TenantState, seeds: SeedRecipient[]): Recipient[] {
  const dir = RecipientDirectory.of(tenant);
  const created: [SeedRecipient, Recipient][] = [];
  for (const seed of seeds) {
    if (!seed.name || !seed.primarySmtpAddress || !seed.type)
      throw new Error('Every seed recipient needs type, name and primarySmtpAddress.');
    if (seed.name.length > 64)
      throw new Error(`Seed recipient name "${seed.name}" is longer than 64 characters.`);
    if (!isRecipientTypeDetails(seed.type))
      throw new Error(`Seed recipient "${seed.name}" has an unknown type "${seed.type}".`);
    const r = newRecipient({
      Name: seed.name,
      Alias: seed.alias,
      DisplayName: seed.displayName,
      PrimarySmtpAddress: seed.primarySmtpAddress,
      EmailAddresses: seed.emailAddresses,
      RecipientTypeDetails: seed.type,
      ExternalEmailAddress: seed.externalEmailAddress,
      UserPrincipalName: seed.userPrincipalName,
      RecipientFilter: seed.recipientFilter,
      Guid: seed.guid,
      ExternalDirectoryObjectId: seed.externalDirectoryObjectId,
    });
    dir.assertAddressesFree(r.EmailAddresses, undefined, { quarantine: false });
    if (seed.softDeleted) {
      if (!softDeletableTypes.includes(seed.type))
        throw new Error(
          `Seed recipient "${seed.name}": only ${softDeletableTypes.join(', ')} can be soft-deleted.`,
        );
      if (seed.members || seed.settings)
        throw new Error(
          `Seed recipient "${seed.name}": a soft-deleted recipient takes no members or settings.`,
        );
      r.WhenChangedUTC = r.WhenCreatedUTC;
      dir.putSoftDeleted(r);
      continue;
    }
    dir.put(r);
    created.push([seed, r]);
  }
  const ctx: CmdletContext = { tenant, dir, warnings: [], cmdlet: 'seed' };
  for (const [seed, r] of created) {
    if (seed.members) r.Members = [...new Set(resolveAll(ctx, seed.members))];
    if (seed.settings) {
      const p = bindParameters({ ...addressParams, ...deliveryParams, ...groupParams }, seed.settings);
      applySettings(ctx, r, p, isGroup(r));
    }
    dir.put(r);
  }
  return created.map(([, r]) => r);
}
