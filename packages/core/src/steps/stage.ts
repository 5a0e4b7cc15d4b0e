// stage: create the temporary cloud DL next to the still-synced original and give it everything but the
// identity: members (one replace), owners, moderators, restrictions, send-on-behalf, Send-As, and the settings of the
// the settings table of docs/reference-behaviour.md#the-temporary-dl-and-its-settings. Its name comes from the migration id, so a resumed run finds it again.
// Undo: remove the temporary DL.
import type { ExchangeOnline } from '@dlmigrate/exo';
import { ExoError, ExoValidationError, type DistributionGroupRecord, cloudIdentity } from '@dlmigrate/exo';
import { writeMembership } from '../engine/membership-progress.js';
import { memberIdentities, memberPages, readMembers } from '../engine/member-pages.js';
import { cloudObjectOf, resolveLinks, type ResolvedLink } from '../engine/resolution.js';
import { forgetSnapshot, loadSnapshot, type Snapshot } from '../engine/snapshot.js';
import { finding, FindingsError } from '../findings/finding.js';
import { CLOUD_PARAMETER, listIdentities, type LinkList, type LinkResolution } from '../mapping/links.js';
import { temporaryGroupName } from '../mapping/names.js';
import { cloudFallbackOf, mapGroupSettings } from '../mapping/settings.js';
import type { MigrationContext } from '../engine/context.js';
import type { MigrationStep } from './results.js';
import type { ValidateResult } from './validate.js';
import { isTransient } from '../util/transient.js';

export interface StageResult {
  readonly name: string;
  /** Entra object id (or Guid) of the new DL: how every later step addresses it. */
  readonly identity: string;
  /** The address Exchange gave it at creation, removed again by take-over. */
  readonly initialAddress: string;
}

function identitiesOf(
  snapshot: Snapshot,
  resolved: readonly ResolvedLink[],
  list: LinkList,
  self: string,
): string[] {
  return listIdentities(resolutionsIn(resolved, list), self, cloudObjectOf(snapshot.cloudLookup));
}

/** The resolutions of one list, walked in place (no copy of a 100,000-member list per list, issue 17). */
function* resolutionsIn(resolved: readonly ResolvedLink[], list: LinkList): Generator<LinkResolution> {
  for (const r of resolved) if (r.list === list) yield r.resolution;
}

/**
 * The DL this migration staged. Once stage has completed it is found by the identity stage recorded: take-over
 * renames it to the group's own name, so its temporary name would find nothing (and the DL would keep every address
 * while the group goes back into sync scope). Only a stage that never completed is looked up by the temporary name:
 * it ran before any rename.
 */
async function findStagedGroup(
  exchange: ExchangeOnline,
  migrationId: string,
  staged: StageResult | undefined,
) {
  const dl =
    staged?.identity === undefined
      ? await exchange.getDistributionGroup(temporaryGroupName(migrationId))
      : await exchange.getDistributionGroup(staged.identity);
  // Never the synced original: a staged DL is cloud-only.
  return dl !== null && !dl.isDirSynced ? dl : null;
}

/**
 * New-DistributionGroup for the temporary DL, without ManagedBy as the owners follow with the other lists. Whether
 * Exchange Online lets an app create a group without an owner is not documented ("If you don't use this parameter,
 * the user account that created the group is the owner", New-DistributionGroup.md; an app is no user account: the
 * simulator's tenant behaviour groupWithoutOwner has both answers). Refused, it is created again with the on-prem
 * owners, or, for a group without any, with the configured fallbackOwner (reported); without one the stage stops
 * with CLOUD_GROUP_NEEDS_OWNER before anything exists, and the saga rolls back.
 */
async function createTemporaryGroup(
  ctx: MigrationContext,
  input: {
    name: string;
    alias: string;
    displayName: string;
    type: 'Distribution' | 'Security';
    roomList: boolean;
    owners: readonly string[];
    groupDn: string;
  },
): Promise<DistributionGroupRecord> {
  const { exchange } = ctx.deps;
  const { owners, groupDn, ...create } = input;
  try {
    return await exchange.newDistributionGroup(create);
  } catch (error) {
    if (!(error instanceof ExoValidationError)) throw error;
    const fallback = ctx.options.fallbackOwner;
    if (owners.length > 0) return exchange.newDistributionGroup({ ...create, managedBy: [...owners] });
    if (fallback === undefined)
      throw new FindingsError([finding('CLOUD_GROUP_NEEDS_OWNER', groupDn, errorText(error), 'ManagedBy')]);
    const created = await exchange.newDistributionGroup({ ...create, managedBy: [fallback] });
    await ctx.note(
      'stage',
      finding('FALLBACK_OWNER_ADDED', fallback, 'the on-prem group has no owner', 'ManagedBy'),
    );
    return created;
  }
}

export const stage: MigrationStep<'stage'> = {
  name: 'stage',
  async run(ctx, results): Promise<StageResult> {
    const { exchange, state } = ctx.deps;
    const { staged, members } = await stageAllButMembers(ctx, results.get('validate')!);
    // Members last, and with the snapshot let go: the write of a big group is its longest part (95,000 additions at
    // 100,000 members), and the parsed snapshot with its resolved links — 90 MiB of a 100,000-member group's records
    // — kept alive beside it is what V8 sizes its heap by while the calls' garbage piles up (issue 17). What is left is
    // the list of identities; a later step that needs the snapshot reads it again. Child groups kept as members
    // (skipNestedGroupCheck, reported as NESTED_GROUP_KEPT by validate) are members like any other: a run interrupted
    // after the point of no return must not leave the parent without them.
    forgetSnapshot(state, ctx.migration.id);
    await writeMembership(exchange, state, ctx.migration.id, staged.identity, members);
    return staged;
  },
  async undo(ctx, results) {
    const staged = results.get('stage');
    const dl = await findStagedGroup(ctx.deps.exchange, ctx.migration.id, staged);
    if (dl !== null) await ctx.deps.exchange.removeDistributionGroup(cloudIdentity(dl));
  },
};

/**
 * Creates the temporary DL (or finds the one an earlier run created) and gives it owners, moderators, restrictions,
 * send-on-behalf, settings and Send-As; returns it and the identities of its members, for the caller to write.
 */
async function stageAllButMembers(
  ctx: MigrationContext,
  validation: ValidateResult,
): Promise<{ staged: StageResult; members: readonly string[] }> {
  const { exchange, state } = ctx.deps;
  const snapshot = await loadSnapshot(state, ctx.migration.id);
  const group = snapshot.onPrem.group!;
  const name = temporaryGroupName(ctx.migration.id);

  const resolved = resolveLinks(group, snapshot.links, ctx.options.skipNestedGroupCheck);
  // Made by an earlier run of this step (a crash after New-DistributionGroup)? In a batch, by Name in a read shared
  // with the level's other groups (EngineDeps.gatheredGroupReads).
  const earlier = ctx.deps.gatheredGroupReads?.byName;
  const dl =
    (await (earlier === undefined ? exchange.getDistributionGroup(name) : earlier.get(name))) ??
    (await createTemporaryGroup(ctx, {
      name,
      alias: name,
      displayName: name,
      type: validation.cloudType,
      roomList: group.recipientTypeDetails === 268435456,
      owners: identitiesOf(snapshot, resolved, 'managedBy', '').filter((o) => o !== ''),
      groupDn: group.dn,
    }));
  const self = cloudIdentity(dl);
  const note = (what: string, error: unknown, attribute?: string) =>
    ctx.note('stage', finding('POST_CREATE_SETTING_FAILED', what, errorText(error), attribute));

  // Lists before settings: moderators must exist before moderation is switched on.
  for (const list of Object.keys(CLOUD_PARAMETER) as (keyof typeof CLOUD_PARAMETER)[]) {
    const values = identitiesOf(snapshot, resolved, list, self);
    if (values.length === 0) continue;
    try {
      await exchange.setDistributionGroupList(self, CLOUD_PARAMETER[list], values);
    } catch (error) {
      // Throttled or unreachable past the client's retry budget is not an answer: the step fails and is retried.
      if (!(error instanceof ExoError) || isTransient(error)) throw error;
      await note(`${CLOUD_PARAMETER[list]} = ${values.join(', ')}`, error, CLOUD_PARAMETER[list]);
    }
  }

  const settings = mapGroupSettings(
    group,
    validation.cloudType,
    {
      prefix: ctx.options.namePrefix,
      suffix: ctx.options.nameSuffix,
    },
    cloudFallbackOf(snapshot.cloud.group),
  );
  // Alias and DisplayName are part of the identity: set by take-over once the original is gone.
  const { Alias: _alias, DisplayName: _displayName, ...stageSettings } = settings;
  try {
    await exchange.setDistributionGroup(self, stageSettings);
  } catch (error) {
    // Throttled or unreachable past the client's retry budget is not an answer: the step fails and is retried.
    if (!(error instanceof ExoError) || isTransient(error)) throw error;
    // One bad value must not lose the others: apply them one by one and report each failure.
    for (const [parameter, value] of Object.entries(stageSettings)) {
      try {
        await exchange.setDistributionGroup(self, { [parameter]: value as never });
      } catch (inner) {
        if (!(inner instanceof ExoError)) throw inner;
        await note(`${parameter} = ${JSON.stringify(value)}`, inner, parameter);
      }
    }
  }

  // Send-As: on-prem ACEs (SELF → the new DL itself), then rights granted on the original in the cloud.
  const trustees = new Set(identitiesOf(snapshot, resolved, 'sendAs', self));
  for (const p of cloudSendAs(snapshot)) trustees.add(p.original ? self : p.trustee);
  for (const trustee of trustees) {
    try {
      await exchange.addSendAs(self, trustee);
    } catch (error) {
      // Throttled or unreachable past the client's retry budget is not an answer: the step fails and is retried.
      if (!(error instanceof ExoError) || isTransient(error)) throw error;
      if (error.code !== 'EXO_ALREADY_EXISTS') await note(`Send-As for ${trustee}`, error, 'SendAs');
    }
  }
  // The members are read a page at a time (engine/member-pages.ts), not among `resolved`.
  const [members] = await readMembers(
    memberPages(state, ctx.migration.id, snapshot, ctx.options.skipNestedGroupCheck),
    memberIdentities(self),
  );
  return { staged: { name, identity: self, initialAddress: dl.primarySmtpAddress }, members };
}

/**
 * Send-As rights granted on the synced original directly in the cloud, as stage grants them again on the new DL: the
 * original's own entry (the group could send as itself) becomes the new DL. verify/expected.ts expects the same.
 */
export function cloudSendAs(
  snapshot: Snapshot,
): { readonly trustee: string; readonly sid: string; readonly original: boolean }[] {
  const granted = snapshot.cloudDependants.sendAsOnGroup.filter(
    (p) => !p.isInherited && p.accessRights.includes('SendAs'),
  );
  if (granted.length === 0) return [];
  const original = snapshot.cloud.group;
  const originalNames = new Set(
    [
      original?.name,
      original?.primarySmtpAddress,
      original?.externalDirectoryObjectId,
      original?.distinguishedName,
      original?.settings['sid'],
    ]
      .filter((v): v is string => typeof v === 'string' && v !== '')
      .map((v) => v.toLowerCase()),
  );
  return granted.map((p) => ({
    trustee: p.trustee,
    sid: p.trusteeSidString,
    original:
      originalNames.has(p.trustee.toLowerCase()) || originalNames.has(p.trusteeSidString.toLowerCase()),
  }));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
