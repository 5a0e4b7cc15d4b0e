// The one object the engine holds: a connection plus cached schema facts, with every capability of
// the package as a method. The functions behind the methods are exported too (for tests and tools).
import { AdConnection, type AdConnectionOptions } from './connection.js';
import {
  createHybridDynamicGroup,
  createRoutingContact,
  type CreateResult,
  type HybridDynamicGroupSpec,
  type RoutingContactSpec,
} from './create.js';
import { findDependants, type DependantsResult } from './dependants.js';
import { listMailUsers, readOnPremMailboxRights, type OnPremMailboxRights } from './mailbox-rights.js';
import { findByAddress, findByGuid, findGroupByAddress, readGroup, type AddressMatch } from './read-group.js';
import { resolveRecipients, resolveRecipientsAs, type ResolveOptions } from './resolve.js';
import { readExchangeSchema } from './schema.js';
import type {
  AdGroup,
  AdOperationCounts,
  AttributeChange,
  ExchangeSchemaFacts,
  AdRecipient,
  ResolveResult,
} from './types.js';
import {
  addLinkValue,
  clearAttributes,
  DEFAULT_MOVE_RETRY,
  deleteObject,
  mailDisableGroup,
  modifyAttributes,
  moveObject,
  renameObject,
  replaceLinkValue,
  type ClearResult,
  type RetryPolicy,
} from './write.js';

export interface ActiveDirectoryOptions extends AdConnectionOptions {
  /** Retry policy of moves (default 5 attempts, 5 s apart). */
  moveRetry?: RetryPolicy;
  /** Marker tag of earlier migrations (extensionAttribute1), default "MigratedByScript". */
  migrationTag?: string;
}

export class ActiveDirectory {
  readonly connection: AdConnection;
  private readonly moveRetry: RetryPolicy;
  private readonly tag: string | undefined;
  private schemaPromise: Promise<ExchangeSchemaFacts> | undefined;

  constructor(options: ActiveDirectoryOptions) {
    this.connection = new AdConnection(options);
    this.moveRetry = options.moveRetry ?? DEFAULT_MOVE_RETRY;
    this.tag = options.migrationTag;
  }

  /** LDAP operations issued so far by this instance (searches, ranged follow-ups, pages, writes…). */
  get counts(): AdOperationCounts {
    return this.connection.snapshotCounts();
  }

  /** Exchange schema version and attribute presence, read once per instance. */
  schema(): Promise<ExchangeSchemaFacts> {
    this.schemaPromise ??= readExchangeSchema(this.connection).catch((error: unknown) => {
      this.schemaPromise = undefined;
      throw error;
    });
    return this.schemaPromise;
  }

  defaultNamingContext(): Promise<string> {
    return this.connection.defaultNamingContext();
  }

  /** Every object holding the address as mail or proxy address (for the duplicate-address blocker). */
  findByAddress(address: string): Promise<AddressMatch[]> {
    return findByAddress(this.connection, address);
  }

  /** Where the object with this objectGUID is now (e.g. a retained `!` group), or undefined. */
  findByGuid(guid: string): Promise<AddressMatch | undefined> {
    return findByGuid(this.connection, guid);
  }

  /** The one group holding the address; AD_GROUP_NOT_FOUND / _AMBIGUOUS / AD_NOT_A_GROUP / AD_GROUP_PROTECTED otherwise. */
  async findGroupByAddress(address: string, options: { allowProtected?: boolean } = {}): Promise<AdGroup> {
    return findGroupByAddress(this.connection, await this.schema(), address, options);
  }

  async readGroup(dn: string): Promise<AdGroup> {
    return readGroup(this.connection, await this.schema(), dn, this.tag);
  }

  async resolveRecipients(dns: readonly string[], options: ResolveOptions = {}): Promise<ResolveResult> {
    return resolveRecipients(this.connection, await this.schema(), dns, {
      ...(this.tag ? { tag: this.tag } : {}),
      ...options,
    });
  }

  /** resolveRecipients keeping only what `project` makes of each recipient (a big group's links, issue 17). */
  async resolveRecipientsAs<R>(
    dns: readonly string[],
    project: (recipient: AdRecipient) => R,
    options: ResolveOptions = {},
  ): Promise<ResolveResult<R>> {
    return resolveRecipientsAs(
      this.connection,
      await this.schema(),
      dns,
      { ...(this.tag ? { tag: this.tag } : {}), ...options },
      project,
    );
  }

  async findDependants(groupDn: string, options: ResolveOptions = {}): Promise<DependantsResult> {
    return findDependants(this.connection, await this.schema(), groupDn, {
      ...(this.tag ? { tag: this.tag } : {}),
      ...options,
    });
  }

  /** The mail address of every mail-enabled user: the recipients `collect permissions` reads on-premises rights of. */
  listMailUsers(): Promise<string[]> {
    return listMailUsers(this.connection);
  }

  /** FullAccess (msExchMailboxSecurityDescriptor) and Send-As (nTSecurityDescriptor) the user at `address` grants. */
  readMailboxRights(address: string): Promise<OnPremMailboxRights | null> {
    return readOnPremMailboxRights(this.connection, address);
  }

  /** Whether an object (e.g. the non-sync OU) exists. */
  async exists(dn: string): Promise<boolean> {
    return (await this.connection.read(dn, { attributes: ['objectClass'] })) !== undefined;
  }

  moveObject(dn: string, newParentDn: string, retry: RetryPolicy = this.moveRetry): Promise<string> {
    return moveObject(this.connection, dn, newParentDn, retry);
  }

  renameObject(dn: string, change: { cn?: string; sAMAccountName?: string }): Promise<string> {
    return renameObject(this.connection, dn, change);
  }

  async modifyAttributes(dn: string, changes: AttributeChange[]): Promise<void> {
    return modifyAttributes(this.connection, await this.schema(), dn, changes);
  }

  async clearAttributes(dn: string, names: readonly string[]): Promise<ClearResult> {
    return clearAttributes(this.connection, await this.schema(), dn, names);
  }

  async mailDisableGroup(dn: string, stamp: { originalMail: string; tag?: string }): Promise<ClearResult> {
    return mailDisableGroup(this.connection, await this.schema(), dn, {
      ...(this.tag ? { tag: this.tag } : {}),
      ...stamp,
    });
  }

  deleteObject(dn: string): Promise<void> {
    return deleteObject(this.connection, dn);
  }

  async createRoutingContact(spec: RoutingContactSpec): Promise<CreateResult> {
    return createRoutingContact(this.connection, await this.schema(), {
      ...(this.tag ? { tag: this.tag } : {}),
      ...spec,
    });
  }

  async createHybridDynamicGroup(spec: HybridDynamicGroupSpec): Promise<CreateResult> {
    return createHybridDynamicGroup(this.connection, await this.schema(), {
      ...(this.tag ? { tag: this.tag } : {}),
      ...spec,
    });
  }

  async addLinkValue(dn: string, attribute: string, valueDn: string): Promise<void> {
    return addLinkValue(this.connection, await this.schema(), dn, attribute, valueDn);
  }

  async replaceLinkValue(
    dn: string,
    attribute: string,
    oldDn: string,
    newDn: string,
    options: { singleValued?: boolean } = {},
  ): Promise<void> {
    return replaceLinkValue(this.connection, await this.schema(), dn, attribute, oldDn, newDn, options);
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
