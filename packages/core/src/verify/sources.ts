// Where the verify step reads what is there now. Each source pairs the values one part of the migration promised with
// what the tenant or the directory holds, read in bulk through the ordinary clients (so the Exchange rate budget of
// packages/exo applies). Other expectation sources (e.g. the Exchange configuration of references/expected.ts) plug in
// by implementing VerifySource.
import type { AdDependant } from '@dlmigrate/ad';
import { ExoError, type DistributionGroupRecord, type ExchangeOnline, cloudIdentity } from '@dlmigrate/exo';
import { cloudTarget } from '../engine/cloud-target.js';
import type { EngineDeps, MigrationContext } from '../engine/context.js';
import { loadSyncedMembers, type Snapshot } from '../engine/snapshot.js';
import { forEachCapturedMember, forEachSyncedMember } from './expected-members.js';
import { memberPages } from '../engine/member-pages.js';
import { mapGroupSettings } from '../mapping/settings.js';
import type { StepResults } from '../saga/runner.js';
import type { MigrationStepResults } from '../steps/results.js';
import type { RestoreStepResults } from '../restore/results.js';
import { rewireAttribute } from '../steps/rewire-onprem.js';
import { configReferencesSource } from '../references/verify-source.js';
import type { ValidateResult } from '../steps/validate.js';
import {
  expectedAsCaptured,
  expectedCloudDependants,
  expectedCloudGroup,
  expectedOnPremDependants,
  expectedOnPremGroup,
  observedCloudDependants,
  observedCloudGroup,
  observedOnPremDependants,
  observedOnPremGroup,
  selfForms,
  collectedAttribute,
  type CollectedRightNow,
} from './expected.js';
import { folderIdentity } from '../permissions/collect.js';
import { collectedRightsToCarry } from '../permissions/held.js';
import type { PermissionRecord } from '@dlmigrate/state';
import type { ExpectedValue, ObservedAttribute, Verification } from './values.js';
import { MemberCheck } from './member-check.js';
import { finding, type Finding } from '../findings/finding.js';
import {
  locateSyncedDependants,
  locatedByFinalSync,
  objectCount,
  readSyncedDependants,
} from './synced-dependants.js';

interface VerifyReading {
  readonly expected: readonly ExpectedValue[];
  readonly observed: readonly ObservedAttribute[];
  /** The DL's members, compared apart, one expected member at a time (member-check.ts). */
  readonly members?: Verification;
  /** What the source could not compare and says so (recorded with the differences, under the verify step). */
  readonly notes?: readonly Finding[];
}

/** The verify step of a run, or `dlmigrate verify <id>` later (when every scheduled sync has had its time). */
export type VerifyOccasion = 'step' | 'on-demand';

/**
 * A migration's step results, and after a restore the results of its restore steps too (optional: absent before a
 * restore, so a migration's own results are VerifyResults as they are, and so are a restore's).
 */
export type VerifyResultsMap = MigrationStepResults &
  Partial<Pick<RestoreStepResults, 'restore-group' | 'restore-resync'>>;
export type VerifyResults = StepResults<VerifyResultsMap>;

export interface VerifySource {
  readonly name: string;
  read(
    ctx: MigrationContext,
    results: VerifyResults,
    snapshot: Snapshot,
    reads: VerifyReads,
    occasion: VerifyOccasion,
  ): Promise<VerifyReading>;
}

/** Reads the sources of one verification share: the cloud group is read once, not once per source that needs it. */
export interface VerifyReads {
  cloudGroup(identity: string): ReturnType<typeof readGroup>;
}

export function verifyReads(deps: EngineDeps): VerifyReads {
  const groups = new Map<string, ReturnType<typeof readGroup>>();
  return {
    cloudGroup(identity) {
      const read = groups.get(identity) ?? readGroup(deps, identity);
      groups.set(identity, read);
      return read;
    },
  };
}

function label(ctx: MigrationContext, snapshot: Snapshot): string {
  return snapshot.onPrem.group?.mail ?? ctx.migration.group.address;
}

/** The names of the settings a migration carries (the settings table of docs/reference-behaviour.md#the-temporary-dl-and-its-settings, as stage writes them). */
function carriedSettingNames(
  snapshot: Snapshot,
  ctx: MigrationContext,
  cloudType: ValidateResult['cloudType'],
) {
  const group = snapshot.onPrem.group!;
  return Object.keys(
    mapGroupSettings(group, cloudType, { prefix: ctx.options.namePrefix, suffix: ctx.options.nameSuffix }),
  );
}

async function readGroup(deps: EngineDeps, identity: string) {
  const { exchange } = deps;
  // In a batch the DL comes from a read shared with the level's other groups verifying now (EngineDeps.gatheredGroupReads):
  // the same record, read after this one asked for it.
  const gathered = deps.gatheredGroupReads?.byIdentity;
  const dl = await (gathered === undefined
    ? exchange.getDistributionGroup(identity)
    : gathered.get(identity));
  if (dl === null) return { dl, members: [], sendAs: [] };
  // Compact records ($select): verify compares members by id, Guid, address and name only, and whole recipient
  // records of a 100,000-member group were the largest thing a migration ever held (issue 17). Read by the
  // immutable id, so a rename in between cannot point elsewhere.
  const members = await exchange.getDistributionGroupMemberRecords(cloudIdentity(dl));
  const sendAs = await exchange.getRecipientPermissions({ identity: cloudIdentity(dl) });
  return { dl, members, sendAs };
}

/** The new DL (recreate) or the converted group (convert): members, addresses, settings, link lists, Send-As on it. */
const cloudGroupSource: VerifySource = {
  name: 'cloud group',
  async read(ctx, results, snapshot, reads) {
    const target = cloudTarget(results);
    const name = label(ctx, snapshot);
    const { dl, members, sendAs } = await reads.cloudGroup(target.identity);
    const validation = results.get('validate')!;
    // Stage falls back to the configured owner only for a group without owners (steps/stage.ts createTemporaryGroup).
    const group = snapshot.onPrem.group!;
    const ownerless =
      (group.links.managedBy?.length ?? 0) + (group.links.msExchCoManagedByLink?.length ?? 0) === 0;
    const observed = observedCloudGroup(
      name,
      dl,
      sendAs,
      ctx.options.fallbackOwner !== undefined && ownerless,
    );
    const check = new MemberCheck(name, members);
    if (ctx.migration.strategy === 'convert') {
      const settings = carriedSettingNames(snapshot, ctx, validation.cloudType);
      forEachSyncedMember(await loadSyncedMembers(ctx.deps.state, ctx.migration.id, snapshot), name, (m) =>
        check.expect(m),
      );
      return {
        expected: expectedAsCaptured(snapshot, name, [`smtp:${target.routingAddress}`], settings),
        observed,
        members: check.result(),
      };
    }
    const takeOver = results.get('take-over')!;
    const skip = ctx.options.skipNestedGroupCheck;
    const self = { label: name, selfForms: selfForms(dl, name) };
    await forEachCapturedMember(memberPages(ctx.deps.state, ctx.migration.id, snapshot, skip), self, (m) =>
      check.expect(m),
    );
    const expected = expectedCloudGroup(snapshot, skip, {
      ...self,
      name: takeOver.name,
      addresses: takeOver.addresses,
      primary: takeOver.primary ?? name,
      cloudType: validation.cloudType,
      affixes: { prefix: ctx.options.namePrefix, suffix: ctx.options.nameSuffix },
    });
    return { expected, observed, members: check.result() };
  },
};

async function dependantsOf(
  exchange: ExchangeOnline,
  dl: DistributionGroupRecord | null,
  name: string,
  snapshot: Snapshot,
) {
  if (dl === null) return [];
  const identity = cloudIdentity(dl);
  // Re-read only what capture found naming the group (by id; in a batch, found through the level's tenant-wide index):
  // each must name the group now. A fresh tenant-wide scan per group cost 28 filters (issue 17).
  const found = await exchange.cloudDependantsStill(snapshot.cloudDependants.dependants, {
    dn: dl.distinguishedName,
    name: dl.name,
  });
  const held = dl.isSecurityGroup ? await exchange.getSendAsHeldBy(identity) : [];
  // Collected rights are read back where they were collected: each mailbox is asked about this trustee.
  const collected: CollectedRightNow[] = [];
  for (const p of collectedRightsToCarry(snapshot)) {
    const attribute = collectedAttribute(p);
    const holds = await collectedRightHeld(exchange, p, identity, selfForms(dl, name)).catch(
      (error: unknown) => {
        if (error instanceof ExoError) return false;
        throw error;
      },
    );
    collected.push({ mailbox: p.mailbox, attribute, held: holds });
  }
  return observedCloudDependants(found, held, name, collected);
}

async function collectedRightHeld(
  exchange: ExchangeOnline,
  p: PermissionRecord,
  identity: string,
  forms: readonly string[],
): Promise<boolean> {
  switch (p.kind) {
    case 'FullAccess':
      return (await exchange.getMailboxPermissions(p.mailbox, identity)).some(
        (r) => !r.isInherited && !r.deny && r.accessRights.includes('FullAccess'),
      );
    case 'SendAs':
      return (await exchange.getRecipientPermissions({ identity: p.mailbox, trustee: identity })).some(
        (r) => !r.isInherited && r.accessRights.includes('SendAs'),
      );
    case 'SendOnBehalf': {
      // Exchange lists delegates by Name (cloud-dependants.ts): any form of the group counts.
      const own = new Set(forms.map((f) => f.toLowerCase()));
      const mailbox = await exchange.getMailbox(p.mailbox);
      return (mailbox?.grantSendOnBehalfTo ?? []).some((d) => own.has(d.toLowerCase()));
    }
    case 'Folder': {
      // The same rights as the old group had on this folder (roles and single rights compared as Exchange lists them).
      const now = await exchange.getMailboxFolderPermissions(folderIdentity(p.mailbox, p.folder), identity);
      const want = new Set(p.accessRights.map((r) => r.toLowerCase()));
      return now.some(
        (r) => r.accessRights.length === want.size && r.accessRights.every((a) => want.has(a.toLowerCase())),
      );
    }
  }
}

/** Cloud-only objects that named the group (groups, restrictions, owners, forwarding) and Send-As it held. */
const cloudDependantsSource: VerifySource = {
  name: 'cloud dependants',
  async read(ctx, results, snapshot, reads) {
    const name = label(ctx, snapshot);
    const { dl } = await reads.cloudGroup(cloudTarget(results).identity);
    return {
      expected: expectedCloudDependants(snapshot, name),
      observed: await dependantsOf(ctx.deps.exchange, dl, name, snapshot),
    };
  },
};

/** On-prem objects that named the group now name the routing contact (when one was made). */
const onPremDependantsSource: VerifySource = {
  name: 'on-premises dependants',
  async read(ctx, results, snapshot) {
    const contact = results.get('routing-contact');
    if (contact === undefined) return { expected: [], observed: [] };
    const now = await ctx.deps.ad.findDependants(contact.dn);
    return {
      expected: expectedOnPremDependants(
        snapshot.dependants,
        { dn: contact.dn, label: contact.mail },
        rewireAttribute,
      ),
      observed: observedOnPremDependants(snapshot.dependants, now.dependants, contact.dn),
    };
  },
};

/**
 * The synced copies in Exchange Online of the on-prem dependants name the routing contact — after final-sync's sync
 * (steps/final-sync.ts). When no sync ran (finalSync off, or no sync trigger configured) the verify step of the run
 * does not read them, since they change only with the next scheduled cycle, and says so (FINAL_SYNC_OFF); an
 * on-demand verify later reads them.
 */
const syncedDependantsSource: VerifySource = {
  name: 'synced copies of on-premises dependants',
  async read(ctx, results, snapshot, _reads, occasion) {
    const contact = results.get('routing-contact');
    if (contact === undefined) return { expected: [], observed: [] };
    // The verify step of the run compares the copies final-sync located and waited for (located once, moments ago);
    // an on-demand verify, maybe much later, locates them where they are now.
    const located =
      (occasion === 'step' ? await locatedByFinalSync(ctx) : undefined) ??
      (await locateSyncedDependants(ctx, snapshot));
    if (located.length === 0) return { expected: [], observed: [] };
    const synced = results.get('final-sync')?.sync;
    if (occasion === 'step' && (synced === undefined || synced === null)) {
      const why = ctx.options.finalSync
        ? 'no sync trigger is configured (sync kind none)'
        : 'finalSync is off';
      const names = located.map((d) => `${d.dn} (${d.attribute})`).join('; ');
      const count = objectCount(located);
      const message = `${count} synced cop${count === 1 ? 'y' : 'ies'} of on-premises objects that named the group were not re-read, because no directory sync ran after the on-premises rewiring (${why}): ${names}`;
      return {
        expected: [],
        observed: [],
        notes: [finding('FINAL_SYNC_OFF', label(ctx, snapshot), message)],
      };
    }
    return readSyncedDependants(ctx.deps.exchange, located, contact);
  },
};

export const MIGRATION_SOURCES: readonly VerifySource[] = [
  cloudGroupSource,
  cloudDependantsSource,
  onPremDependantsSource,
  syncedDependantsSource,
  configReferencesSource,
];

// ── after a restore ──────────────────────────────────────────────────────────────────────────

/** The group is back on-premises with its addresses and links, and every dependant names it again. */
const restoredGroupSource: VerifySource = {
  name: 'restored group',
  async read(ctx, results, snapshot) {
    const group = snapshot.onPrem.group!;
    // A deleted group was re-created (a new object, so a new GUID): restore-group says where.
    const restored = results.get('restore-group');
    const dn = (await ctx.deps.ad.findByGuid(group.objectGuid))?.dn ?? restored?.dn;
    const now =
      dn === undefined || !(await ctx.deps.ad.exists(dn)) ? undefined : await ctx.deps.ad.readGroup(dn);
    const dependants = now === undefined ? [] : (await ctx.deps.ad.findDependants(now.dn)).dependants;
    return {
      expected: [
        ...expectedOnPremGroup(group),
        ...expectedOnPremDependants(
          snapshot.dependants,
          { dn: now?.dn ?? group.dn, label: group.dn },
          (d: AdDependant) => d.attribute,
        ),
      ],
      observed: [
        ...observedOnPremGroup(group.dn, now),
        ...observedOnPremDependants(snapshot.dependants, dependants, now?.dn ?? group.dn),
      ],
    };
  },
};

/** The synced cloud group is back as captured, and the cloud-only objects and Send-As name it again. */
const resyncedCloudSource: VerifySource = {
  name: 'synced cloud group',
  async read(ctx, results, snapshot, reads) {
    const name = label(ctx, snapshot);
    const { dl, members, sendAs } = await reads.cloudGroup(name);
    const validation = results.get('validate');
    const settings = carriedSettingNames(snapshot, ctx, validation?.cloudType ?? 'Distribution');
    const check = new MemberCheck(name, members);
    forEachSyncedMember(await loadSyncedMembers(ctx.deps.state, ctx.migration.id, snapshot), name, (m) =>
      check.expect(m),
    );
    return {
      expected: [
        ...expectedAsCaptured(snapshot, name, [], settings),
        ...expectedCloudDependants(snapshot, name),
      ],
      observed: [
        ...observedCloudGroup(name, dl, sendAs),
        ...(await dependantsOf(ctx.deps.exchange, dl, name, snapshot)),
      ],
      members: check.result(),
    };
  },
};

export const RESTORE_SOURCES: readonly VerifySource[] = [restoredGroupSource, resyncedCloudSource];
