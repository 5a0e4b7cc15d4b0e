// Options of one migration (and of every migration of a batch). Names match the CLI's configuration schema.
// Defaults follow DLConversionV2 where users rely on them (retain the original group, create the routing contact)
// and are safer where it was unsafe (deadlines instead of endless waits).
import { z } from 'zod';
import { finding, type Finding } from './findings/finding.js';
import type { CloudGroupType } from './mapping/group-type.js';
import { MAX_NAME_LENGTH } from './mapping/names.js';
import { parseStored } from './stored/parse.js';

export type Strategy = 'recreate' | 'convert';

export interface MigrationOptions {
  readonly strategy: Strategy;
  /** DN of the OU outside the sync scope where the group is parked (recreate). */
  readonly nonSyncOu?: string | undefined;
  readonly retainOriginalGroup: boolean;
  readonly routingContact: boolean;
  readonly hybridMailFlow: boolean;
  readonly skipNestedGroupCheck: boolean;
  readonly groupTypeOverride?: CloudGroupType | undefined;
  readonly namePrefix?: string | undefined;
  readonly nameSuffix?: string | undefined;
  readonly customRoutingDomain?: string | undefined;
  readonly allowNonSyncedGroup: boolean;
  readonly overrideCentralizedMailTransport: boolean;
  /**
   * The owner a cloud group gets when Exchange Online refuses to create it without one and the on-prem group has
   * none (a mailbox or mail user address). Unset: such a migration stops at stage with CLOUD_GROUP_NEEDS_OWNER.
   */
  readonly fallbackOwner?: string | undefined;
  readonly deadlines: {
    /** How long await-deletion waits for the synced cloud group to disappear. */
    readonly cloudDeletionMinutes: number;
    /** How long take-over waits for Exchange Online to show the addresses. */
    readonly takeOverMinutes: number;
    /**
     * How long convert waits, after onPremisesSyncBehavior.isCloudManaged = true, for Exchange Online to show the
     * group as no longer directory-synced (IsDirSynced = false). Its own deadline: Entra documents no bound for the
     * change to reach Exchange (how-to-group-source-of-authority-configure.md), DLConversionV3 polls for it.
     */
    readonly conversionMinutes: number;
    /**
     * How long undoing park waits for the sync to re-create the synced group. Its own bound, not the deletion
     * deadline: a rollback is waiting for a sync that may not come, and says so when it stops.
     */
    readonly undoResyncMinutes: number;
    /**
     * How long final-sync waits, from its trigger, for the synced copies of the on-prem dependants to name the routing
     * contact. At the deadline the migration goes on: verify reports each copy not updated yet.
     */
    readonly finalSyncMinutes: number;
  };
  /**
   * After the on-prem dependants were pointed at the routing contact (rewire-onprem), trigger one directory sync and
   * wait for their synced copies in Exchange Online to show it (steps/final-sync.ts), so verify checks the cloud side
   * (synced parent groups, restrictions, owners). Off: the cloud copies change only with the next scheduled cycle, and
   * verify says it did not re-read them (FINAL_SYNC_OFF).
   */
  readonly finalSync: boolean;
  /** At the deletion deadline: undo everything (default) or stay parked, resumable. */
  readonly onDeletionDeadline: 'rollback' | 'stay-parked';
  /**
   * What a recreate does about what Entra holds by the group's object id (licences, app roles, Conditional Access,
   * role assignments, Entra-only memberships, owners — references/entra.ts): stop (`blocking`, the default: the
   * `convert` strategy keeps the id) or go ahead and report each with the command that redoes it (`needs-action`).
   */
  readonly entraReferences: 'blocking' | 'needs-action';
  /**
   * A distribution group that holds mailbox rights (FullAccess, folder rights — from the permission collection) can
   * only keep them as a security group: make the cloud group one (`make-security`, the default, with the
   * GROUP_TYPE_FORCED_SECURITY finding) or stop (`blocking`, PERMISSION_HOLDER_NOT_SECURITY).
   */
  readonly permissionHolder: 'make-security' | 'blocking';
  /** A permission collection older than this is used with a PERMISSIONS_COLLECTION_STALE finding. */
  readonly permissionsMaxAgeHours: number;
}

export const DEFAULT_OPTIONS: MigrationOptions = {
  strategy: 'recreate',
  retainOriginalGroup: true,
  routingContact: true,
  hybridMailFlow: false,
  skipNestedGroupCheck: false,
  allowNonSyncedGroup: false,
  overrideCentralizedMailTransport: false,
  deadlines: {
    cloudDeletionMinutes: 60,
    takeOverMinutes: 15,
    conversionMinutes: 60,
    undoResyncMinutes: 15,
    finalSyncMinutes: 15,
  },
  finalSync: true,
  onDeletionDeadline: 'rollback',
  entraReferences: 'blocking',
  permissionHolder: 'make-security',
  permissionsMaxAgeHours: 24,
};

const D = DEFAULT_OPTIONS;

/**
 * The options as stored with a migration or a batch. A field a store written by an older dlmigrate lacks gets its
 * default (the same default a new migration gets); a field of the wrong type is STORED_DOCUMENT_INVALID.
 */
const storedOptionsSchema = z.object({
  strategy: z.enum(['recreate', 'convert']),
  nonSyncOu: z.string().optional(),
  retainOriginalGroup: z.boolean().default(D.retainOriginalGroup),
  routingContact: z.boolean().default(D.routingContact),
  hybridMailFlow: z.boolean().default(D.hybridMailFlow),
  skipNestedGroupCheck: z.boolean().default(D.skipNestedGroupCheck),
  groupTypeOverride: z.enum(['Distribution', 'Security']).optional(),
  namePrefix: z.string().optional(),
  nameSuffix: z.string().optional(),
  customRoutingDomain: z.string().optional(),
  allowNonSyncedGroup: z.boolean().default(D.allowNonSyncedGroup),
  overrideCentralizedMailTransport: z.boolean().default(D.overrideCentralizedMailTransport),
  fallbackOwner: z.string().optional(),
  deadlines: z
    .object({
      cloudDeletionMinutes: z.number().positive().default(D.deadlines.cloudDeletionMinutes),
      takeOverMinutes: z.number().positive().default(D.deadlines.takeOverMinutes),
      conversionMinutes: z.number().positive().default(D.deadlines.conversionMinutes),
      undoResyncMinutes: z.number().positive().default(D.deadlines.undoResyncMinutes),
      finalSyncMinutes: z.number().positive().default(D.deadlines.finalSyncMinutes),
    })
    .default(D.deadlines),
  finalSync: z.boolean().default(D.finalSync),
  onDeletionDeadline: z.enum(['rollback', 'stay-parked']).default(D.onDeletionDeadline),
  entraReferences: z.enum(['blocking', 'needs-action']).default(D.entraReferences),
  permissionHolder: z.enum(['make-security', 'blocking']).default(D.permissionHolder),
  permissionsMaxAgeHours: z.number().positive().default(D.permissionsMaxAgeHours),
});

// Every option has a field in the schema: an option added to MigrationOptions but not here would be dropped on read
// (zod strips unknown keys), so that is a compile error.
type UnparsedOption = Exclude<keyof MigrationOptions, keyof typeof storedOptionsSchema.shape>;
const _everyOptionParsed: [UnparsedOption] extends [never] ? true : UnparsedOption = true;

/** Options read back from the state store (`what` names the record for the error). */
export function parseStoredOptions(value: unknown, what: string): MigrationOptions {
  return parseStored(storedOptionsSchema, value, what);
}

export type MigrationOptionsInput = Partial<Omit<MigrationOptions, 'deadlines'>> & {
  readonly deadlines?: Partial<MigrationOptions['deadlines']>;
};

/** Fills defaults and reports every problem at once (INVALID_OPTIONS findings); nothing is changed anywhere. */
export function resolveOptions(input: MigrationOptionsInput): {
  options: MigrationOptions;
  problems: Finding[];
} {
  const options: MigrationOptions = {
    ...DEFAULT_OPTIONS,
    ...stripUndefined(input),
    deadlines: { ...DEFAULT_OPTIONS.deadlines, ...stripUndefined(input.deadlines ?? {}) },
  };
  const problems: Finding[] = [];
  const bad = (what: string, message: string) => problems.push(finding('INVALID_OPTIONS', what, message));
  if (options.strategy !== 'recreate' && options.strategy !== 'convert') {
    bad('strategy', `unknown strategy "${String(options.strategy)}" (recreate or convert)`);
  }
  if (
    options.strategy === 'recreate' &&
    (options.nonSyncOu === undefined || options.nonSyncOu.trim() === '')
  ) {
    bad(
      'nonSyncOu',
      'the recreate strategy needs the DN of an OU outside the sync scope to park the group in',
    );
  }
  if (
    options.groupTypeOverride !== undefined &&
    !['Distribution', 'Security'].includes(options.groupTypeOverride)
  ) {
    bad('groupTypeOverride', `"${String(options.groupTypeOverride)}" is neither Distribution nor Security`);
  }
  const affixes = (options.namePrefix ?? '').length + (options.nameSuffix ?? '').length;
  if (affixes >= MAX_NAME_LENGTH)
    bad('namePrefix', `prefix and suffix together leave no room in ${MAX_NAME_LENGTH} characters`);
  for (const [name, value] of Object.entries(options.deadlines)) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      bad(`deadlines.${name}`, `must be a positive number of minutes, got ${String(value)}`);
    }
  }
  if (!['rollback', 'stay-parked'].includes(options.onDeletionDeadline)) {
    bad('onDeletionDeadline', `"${String(options.onDeletionDeadline)}" is neither rollback nor stay-parked`);
  }
  if (!['make-security', 'blocking'].includes(options.permissionHolder)) {
    bad('permissionHolder', `"${String(options.permissionHolder)}" is neither make-security nor blocking`);
  }
  if (!(Number.isFinite(options.permissionsMaxAgeHours) && options.permissionsMaxAgeHours > 0)) {
    bad(
      'permissionsMaxAgeHours',
      `must be a positive number of hours, got ${String(options.permissionsMaxAgeHours)}`,
    );
  }
  if (!['blocking', 'needs-action'].includes(options.entraReferences)) {
    bad('entraReferences', `"${String(options.entraReferences)}" is neither blocking nor needs-action`);
  }
  if (
    options.customRoutingDomain !== undefined &&
    !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(options.customRoutingDomain)
  ) {
    bad('customRoutingDomain', `"${options.customRoutingDomain}" is not a domain name`);
  }
  return { options, problems };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
