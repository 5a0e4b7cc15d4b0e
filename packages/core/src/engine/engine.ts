// The engine's public face: plan, migrate, resume and abort one group. Each migration is a saga over the steps of
// its strategy; the state store holds its journal, backups, findings and report, so any run can be resumed from
// another process after a crash. The steps of each strategy are listed below (RECREATE_BODY, CONVERT_BODY) and
// described in docs/architecture.md.
import { CoreError } from '../errors/core-error.js';
import { normalizeSmtpAddress } from '@dlmigrate/ad';
import {
  startHeartbeat,
  type Strategy,
  toJsonObject,
  type Fence,
  type MigrationRecord,
  type MigrationStatus,
} from '@dlmigrate/state';
import { isFindingCode, type FindingCode } from '../findings/catalogue.js';
import { finding, FindingsError, type Finding } from '../findings/finding.js';
import {
  DEFAULT_OPTIONS,
  parseStoredOptions,
  resolveOptions,
  type MigrationOptionsInput,
} from '../options.js';
import { completedData, lastEntryByStep, type JournalEntry } from '../saga/journal.js';
import { resultsOf, Saga, type SagaOutcome, type SagaStep } from '../saga/runner.js';
import type { MigrationSagaOutcome, MigrationStep, MigrationStepResults } from '../steps/results.js';
import { MIGRATION_RESULT_SCHEMAS } from '../steps/results-schema.js';
import { RESTORE_RESULT_SCHEMAS } from '../restore/results-schema.js';
import { StateJournal } from '../saga/state-journal.js';
import { enableHybridMailFlow, type EnableHybridInput, type EnableHybridResult } from '../hybrid/enable.js';
import {
  isAddressUpdate,
  migrationStrategy,
  UPDATE_ADDRESS_STEPS,
  updateAddressOptions,
} from '../hybrid/update-address.js';
import { restorePreview, type RestorePreview } from '../restore/preview.js';
import { RESTORE_STEPS } from '../restore/steps.js';
import { loadReferences } from '../references/capture.js';
import { plannedReferenceChanges } from '../references/plan.js';
import { awaitDeletion } from '../steps/await-deletion.js';
import { convert } from '../steps/convert.js';
import { parityCheck } from '../steps/parity-check.js';
import { capture } from '../steps/capture.js';
import { dispose } from '../steps/dispose.js';
import { finalSync } from '../steps/final-sync.js';
import { hybridMailFlow } from '../steps/hybrid-mail-flow.js';
import { park } from '../steps/park.js';
import { reportStep } from '../steps/report.js';
import { rewireCloud } from '../steps/rewire-cloud.js';
import { rewireConfig } from '../steps/rewire-config.js';
import { rewireOnPrem } from '../steps/rewire-onprem.js';
import { routingContact } from '../steps/routing-contact.js';
import { stage } from '../steps/stage.js';
import { takeOver } from '../steps/take-over.js';
import {
  plannedChecks,
  plannedMemberFacts,
  type PlannedCheck,
  type PlannedSyncedCopy,
} from '../verify/plan.js';
import { capturedMemberChecks, syncedMemberChecks } from '../verify/expected-members.js';
import { locateSyncedDependants } from '../verify/synced-dependants.js';
import { MIGRATION_SOURCES, RESTORE_SOURCES, type VerifyResultsMap } from '../verify/sources.js';
import { verifyAndRecord, verifyStep, type VerifyResult } from '../verify/verify.js';
import { toNewFindings, validate } from '../steps/validate.js';
import { systemClock } from '../util/poll.js';
import { retryTransient } from '../util/retry.js';
import { isTransient } from '../util/transient.js';
import { changesFrom } from './changes.js';
import { convertEligible } from './convert-eligibility.js';
import { DEFAULT_LEASE_MS, type EngineDeps, type MigrationContext } from './context.js';
import { planChanges, plannedSelf, type PlannedChange } from './plan.js';
import {
  memberFindings,
  memberIdentities,
  memberPages,
  membersNotSyncedOf,
  readMembers,
} from './member-pages.js';
import {
  buildReport,
  finishedStatus,
  readReport,
  saveReport,
  toReportFinding,
  type MigrationReport,
  type ReportFinding,
} from './report.js';
import { loadSnapshot, loadSyncedMembers, type Snapshot } from './snapshot.js';
import { buildBatchReport } from '../batch/report.js';
import type { BatchOutcome } from '../batch/runner.js';
import type { BatchReport } from '../report/schema.js';
import { validate as validateSnapshot } from './validation.js';

/** Blocking findings a step throws are recorded under that step before the saga reacts (undo or stop). */
function recordingFindings<M extends object, K extends keyof M & string>(
  step: SagaStep<MigrationContext, M, K>,
): SagaStep<MigrationContext, M, K> {
  if (step.name === 'validate') return step; // validate records its own findings, all of them
  return {
    ...step,
    async run(ctx, results) {
      try {
        return await step.run(ctx, results);
      } catch (error) {
        if (error instanceof FindingsError) for (const f of error.findings) await ctx.note(step.name, f);
        throw error;
      }
    },
  };
}

const RESTORE_STEP_NAMES: ReadonlySet<string> = new Set(RESTORE_STEPS.map((step) => step.name));

const RECREATE_BODY: readonly MigrationStep[] = [
  capture,
  validate,
  stage,
  park,
  awaitDeletion,
  takeOver,
  rewireConfig,
  dispose,
  routingContact,
  hybridMailFlow,
  rewireOnPrem,
  rewireCloud,
  finalSync,
  verifyStep,
];
/** In place: the synced cloud group itself becomes cloud-managed; no temporary DL, no parking, no deletion. */
const CONVERT_BODY: readonly MigrationStep[] = [
  capture,
  validate,
  parityCheck,
  convert,
  dispose,
  routingContact,
  hybridMailFlow,
  rewireOnPrem,
  finalSync,
  verifyStep,
];
export const RECREATE_STEPS: readonly string[] = [...RECREATE_BODY.map((s) => s.name), 'report'];
const CONVERT_STEPS: readonly string[] = [...CONVERT_BODY.map((s) => s.name), 'report'];
/** The steps that follow a take-over (a convert shares dispose and the rest): none of them is urgent. */
const AFTER_TAKE_OVER: ReadonlySet<string> = new Set(
  RECREATE_STEPS.slice(RECREATE_STEPS.indexOf('take-over') + 1),
);
const RECREATE = [...RECREATE_BODY, reportStep(RECREATE_STEPS)].map(recordingFindings);
const CONVERT = [...CONVERT_BODY, reportStep(CONVERT_STEPS)].map(recordingFindings);

function stepsFor(strategy: Strategy): readonly MigrationStep[] {
  return strategy === 'convert' ? CONVERT : RECREATE;
}

function stepNamesFor(strategy: Strategy): readonly string[] {
  return strategy === 'convert' ? CONVERT_STEPS : RECREATE_STEPS;
}

export interface MigrationEvent {
  readonly migrationId: string;
  readonly address: string;
  readonly step: string;
  readonly event: JournalEntry['event'];
  readonly at: string;
  readonly error?: string;
}

export interface RunOptions {
  readonly onEvent?: (event: MigrationEvent) => void;
  /** Stop after this step (a batch parks every group of a level, then syncs once); status "parked". */
  readonly until?: 'park';
  /**
   * The run does not let go of its lease when it ends: the caller (which passed the engine its runnerId) holds the
   * migration on and releases it itself. A batch runner keeps the groups it parked this way until it takes them over
   * after the level's sync (batch/runner.ts #hold), with no moment between in which another runner could claim them.
   */
  readonly keepLease?: boolean;
  /**
   * Ctrl-C / SIGTERM: once aborted no new step starts and a wait stops; the call in flight finishes and is journaled.
   * The run ends with status "running" and `stopped` set; resume continues it.
   */
  readonly signal?: AbortSignal;
}

export interface MigrationOutcome {
  readonly migrationId: string;
  readonly status: MigrationStatus;
  /** Set when the run stopped on request (RunOptions.signal), with the reason (e.g. "SIGINT"). */
  readonly stopped?: string;
  /** The step that failed, was suspended at, or interrupted the run. */
  readonly step?: string;
  readonly error?: string;
  /** Blocking findings when validation stopped the run. */
  readonly findings: readonly Finding[];
  readonly report: MigrationReport;
}

export class InvalidOptionsError extends FindingsError {}

function migrationNotFound(migrationId: string): CoreError {
  return new CoreError(
    'CORE_MIGRATION_NOT_FOUND',
    `there is no migration ${migrationId}; nothing was changed`,
  );
}

export interface AddressUpdateOutcome {
  readonly operationId: string;
  readonly status: 'completed' | 'interrupted';
  readonly step?: string;
  readonly error?: string;
  /** Set when the update stopped on request (RunOptions.signal), with the reason (e.g. "SIGINT"). */
  readonly stopped?: string;
}

export interface RestoreOutcome {
  readonly migrationId: string;
  /** "restored": the group is back on-premises and synced again; "interrupted": call restore again. */
  readonly status: 'restored' | 'interrupted';
  readonly step?: string;
  readonly error?: string;
  /** Set when the restore stopped on request (RunOptions.signal), with the reason (e.g. "SIGINT"): run it again. */
  readonly stopped?: string;
  /** What restore-verify found: "N values checked, M differences" (each difference a finding). */
  readonly verification?: VerifyResult;
  /**
   * "restored": the needs-action findings the restore's own steps recorded (a dependant left unrewired, a verify
   * difference): the group is back, but not everything is as captured, so it is not a plain success.
   */
  readonly needsAction?: number;
}

export interface MigrationPlan {
  readonly migrationId: string;
  /** "planned" (resume carries it out) or "blocked". */
  readonly status: MigrationStatus;
  readonly findings: readonly ReportFinding[];
  readonly changes: readonly PlannedChange[];
  /** The values the verify step will compare once the migration is done, per object and attribute. */
  readonly verifies: readonly PlannedCheck[];
}

/**
 * The synced copies of on-premises dependants the verify step will read after the final sync — found as the step finds
 * them (read-only look-ups). None when no final sync will run (finalSync off, sync kind none: verify says FINAL_SYNC_OFF
 * instead) or no routing contact is made (nothing is rewired on-premises).
 */
async function plannedSyncedCopies(ctx: MigrationContext, snapshot: Snapshot): Promise<PlannedSyncedCopy[]> {
  if (!ctx.options.routingContact || !ctx.options.finalSync || ctx.deps.sync.kind === 'none') return [];
  return locateSyncedDependants(ctx, snapshot);
}

export class MigrationEngine {
  constructor(readonly deps: EngineDeps) {}

  /**
   * Read-only pre-flight: records a planned migration, captures (backups first) and validates, and lists every
   * change the migration would make, in order. Changes nothing in the directory or the tenant. A plan without
   * blockers can be carried out later with resume(migrationId) (it continues after validation).
   */
  async plan(address: string, input: MigrationOptionsInput, run: RunOptions = {}): Promise<MigrationPlan> {
    const migration = await this.create(address, input, 'planned');
    return this.withContext(migration, run, async (ctx, journal) => {
      const outcome = await new Saga(
        stepsFor(migrationStrategy(migration)),
        journal,
        MIGRATION_RESULT_SCHEMAS,
      ).run(migration.id, ctx, {
        ...this.sagaOptions(migration, run),
        stopAfter: 'validate',
      });
      const status: MigrationStatus = outcome.status === 'paused' ? 'planned' : 'blocked';
      await this.deps.state.updateMigration(migration.id, { status }, ctx.fence);
      const findings = (await this.deps.state.listFindings(migration.id)).map(toReportFinding);
      if (outcome.status !== 'paused') {
        if (outcome.status === 'rolled_back' && outcome.failedStep !== 'validate') {
          findings.push(
            toReportFinding({
              code: 'STEP_FAILED',
              severity: 'blocking',
              message: outcome.error,
              subject: address,
              attribute: null,
              step: outcome.failedStep,
            }),
          );
        }
        return { migrationId: migration.id, status, findings, changes: [], verifies: [] };
      }
      const snapshot = await loadSnapshot(this.deps.state, migration.id);
      const { state } = this.deps;
      const skip = ctx.options.skipNestedGroupCheck;
      // Loaded only where they are compared: a recreate's plan asks whether a convert would do (parity), a convert's
      // plan counts what verify will find kept.
      const syncedMembers =
        snapshot.cloud.group === null ? [] : await loadSyncedMembers(state, migration.id, snapshot);
      // Everything plan says of the members, from one walk of their pages.
      const [members, notSynced, memberIds, capturedChecks] = await readMembers(
        memberPages(state, migration.id, snapshot, skip),
        memberFindings(),
        membersNotSyncedOf(syncedMembers),
        memberIdentities(plannedSelf(migration.id)),
        capturedMemberChecks(plannedMemberFacts(snapshot)),
      );
      const validation = validateSnapshot(migration.group.address, snapshot, ctx.options, members);
      if (
        migration.strategy === 'recreate' &&
        convertEligible(migration.group.address, snapshot, ctx.options, {
          findings: members,
          notSynced,
        })
      ) {
        findings.push(
          toReportFinding({
            code: 'CONVERT_RECOMMENDED',
            severity: 'info',
            message: 'eligible for the in-place convert strategy, which has no outage (a recreate has one)',
            subject: migration.group.address,
            attribute: null,
            step: 'plan',
          }),
        );
      }
      const changes = planChanges(migration.id, snapshot, validation, ctx.options, memberIds);
      // The configuration is rewired right after the take-over (the step order of RECREATE_BODY).
      const afterTakeOver = changes.findLastIndex((c) => c.step === 'take-over') + 1;
      changes.splice(
        afterTakeOver,
        0,
        ...plannedReferenceChanges(await loadReferences(this.deps.state, migration.id)),
      );
      const memberChecks =
        migration.strategy === 'recreate'
          ? capturedChecks
          : syncedMemberChecks(syncedMembers, snapshot.onPrem.group?.mail ?? '');
      return {
        migrationId: migration.id,
        status,
        findings,
        changes,
        verifies: plannedChecks(
          snapshot,
          validation,
          ctx.options,
          await plannedSyncedCopies(ctx, snapshot),
          memberChecks,
        ),
      };
    });
  }

  /** Starts a new migration of the group at `address`. Bad options change nothing and throw InvalidOptionsError. */
  async migrate(
    address: string,
    input: MigrationOptionsInput,
    run: RunOptions = {},
  ): Promise<MigrationOutcome> {
    const migration = await this.create(address, input, 'running');
    return this.execute(migration, stepsFor(migrationStrategy(migration)), run);
  }

  /** Continues an interrupted, parked or planned migration from its journal (or finishes an interrupted undo). */
  async resume(migrationId: string, run: RunOptions = {}): Promise<MigrationOutcome> {
    const migration = await this.deps.state.getMigration(migrationId);
    if (migration === null) throw migrationNotFound(migrationId);
    return this.execute(migration, stepsFor(migrationStrategy(migration)), run);
  }

  /** Builds or repairs the on-prem hybrid objects of an already cloud-managed DL (docs/reference-behaviour.md#hybrid-mail-flow-after-the-fact). */
  enableHybridMailFlow(input: EnableHybridInput): Promise<EnableHybridResult> {
    return enableHybridMailFlow(this.deps, input);
  }

  /**
   * Gives a DL migrated with hybrid mail flow a new primary address (and alias): Exchange Online first, then the
   * on-prem dynamic DL, journaled as an operation of its own so resumeAddressUpdate finishes an interrupted one.
   */
  async updateHybridAddress(
    address: string,
    newAddress: string,
    newAlias?: string,
    run: RunOptions = {},
  ): Promise<AddressUpdateOutcome> {
    const migration = await this.deps.state.createMigration({
      group: { address: normalizeSmtpAddress(address) },
      strategy: 'address-update',
      options: {
        ...toJsonObject(DEFAULT_OPTIONS),
        ...toJsonObject(updateAddressOptions(newAddress, newAlias)),
      },
      status: 'running',
    });
    return this.resumeAddressUpdate(migration.id, run);
  }

  async resumeAddressUpdate(operationId: string, run: RunOptions = {}): Promise<AddressUpdateOutcome> {
    const migration = await this.deps.state.getMigration(operationId);
    if (migration === null || !isAddressUpdate(migration))
      throw new CoreError(
        'CORE_ADDRESS_UPDATE_NOT_FOUND',
        `there is no address update ${operationId}; nothing was changed`,
      );
    return this.withContext(migration, run, async (ctx, journal) => {
      // No schemas: an address update's steps read no earlier result (hybrid/update-address.ts), so none is read back.
      const outcome = await new Saga(UPDATE_ADDRESS_STEPS.map(recordingFindings), journal, {}).run(
        migration.id,
        ctx,
        {
          ...this.sagaOptions(migration, run),
          rollForwardOnly: true,
        },
      );
      const status: MigrationStatus = outcome.status === 'completed' ? 'completed' : 'running';
      await this.deps.state.updateMigration(migration.id, { status }, ctx.fence);
      if (outcome.status === 'completed') return { operationId, status: 'completed' as const };
      const error = outcome.status === 'interrupted' ? outcome.error : outcome.status;
      return {
        operationId,
        status: 'interrupted' as const,
        step: stepOf(outcome),
        error,
        ...(outcome.status === 'stopped' ? { stopped: outcome.reason } : {}),
      };
    });
  }

  /** Gives up on a migration that has not passed its point of no return: everything it changed is undone. */
  async abort(migrationId: string, reason: string, run: RunOptions = {}): Promise<MigrationOutcome> {
    const migration = await this.deps.state.getMigration(migrationId);
    if (migration === null) throw migrationNotFound(migrationId);
    return this.withContext(migration, run, async (ctx, journal) => {
      const saga = new Saga(stepsFor(migrationStrategy(migration)), journal, MIGRATION_RESULT_SCHEMAS);
      const outcome = await saga.abort(migration.id, ctx, reason, this.sagaOptions(migration, run));
      return this.finish(ctx, outcome);
    });
  }

  /**
   * The migration `restore <group address>` means: the group's latest migration that may have passed its point of no
   * return (completed, or stopped after it: running, failed). Address updates are recorded as operations on the group
   * too, but only migrations can be restored. Null when the group has none.
   */
  async findRestorable(address: string): Promise<MigrationRecord | null> {
    const candidates = (
      await this.deps.state.listMigrations({
        group: address,
        status: ['completed', 'completed_with_warnings', 'running', 'failed'],
      })
    )
      .filter((m) => !isAddressUpdate(m))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return candidates[0] ?? null;
  }

  /**
   * Puts a migrated group back on-premises as captured and removes its cloud DL so the sync can take the group back
   * (docs/reference-behaviour.md#restore). Journaled: an interrupted restore continues where it stopped when called again.
   */
  async restore(migrationId: string, run: RunOptions = {}): Promise<RestoreOutcome> {
    const migration = await this.restorable(migrationId);
    return this.withContext(migration, run, async (ctx, sagaJournal) => {
      const outcome = await new Saga(RESTORE_STEPS.map(recordingFindings), sagaJournal, {
        ...MIGRATION_RESULT_SCHEMAS,
        ...RESTORE_RESULT_SCHEMAS,
      }).run(migration.id, ctx, {
        ...this.sagaOptions(migration, run),
        rollForwardOnly: true,
      });
      if (outcome.status === 'completed') {
        await this.deps.state.updateMigration(migration.id, { status: 'rolled_back' }, ctx.fence);
        const verification = outcome.results.get('restore-verify');
        return {
          migrationId,
          status: 'restored' as const,
          ...(verification === undefined ? {} : { verification }),
          needsAction: await this.restoreNeedsAction(migration.id),
        };
      }
      if (outcome.status === 'stopped') {
        // Stopped on request between calls: nothing failed, so no finding; the journal says where to go on.
        const error = `stopped on request (${outcome.reason}); run restore again to continue`;
        return {
          migrationId,
          status: 'interrupted' as const,
          step: outcome.step,
          error,
          stopped: outcome.reason,
        };
      }
      const error = outcome.status === 'interrupted' ? outcome.error : outcome.status;
      await ctx.note(
        stepOf(outcome),
        finding('STEP_FAILED', migration.group.address, `restore: ${error} (run restore again to continue)`),
      );
      return { migrationId, status: 'interrupted' as const, step: stepOf(outcome), error };
    });
  }

  /**
   * The needs-action findings of the restore steps of this migration (an interrupted-then-continued restore's too:
   * a dependant it left unrewired stays left). The migration's own findings (other steps) are not the restore's.
   */
  private async restoreNeedsAction(migrationId: string): Promise<number> {
    const findings = await this.deps.state.listFindings(migrationId);
    return findings.filter(
      (f) => f.severity === 'needs-action' && f.step !== null && RESTORE_STEP_NAMES.has(f.step),
    ).length;
  }

  /**
   * What restore(migrationId) would change, object by object (attribute, before → after), read from the capture, the
   * directory and the tenant; changes nothing. Refuses what restore refuses, with the same codes.
   */
  async restorePreview(migrationId: string): Promise<RestorePreview> {
    const migration = await this.restorable(migrationId);
    const options = parseStoredOptions(migration.options, `the options of migration ${migration.id}`);
    return restorePreview(this.deps, migration, options);
  }

  /** The migration, if restore may run on it: known, and past its point of no return (or its restore begun). */
  private async restorable(migrationId: string): Promise<MigrationRecord & { strategy: Strategy }> {
    const found = await this.deps.state.getMigration(migrationId);
    if (found === null) throw migrationNotFound(migrationId);
    const migration = { ...found, strategy: migrationStrategy(found) };
    const journal = await new StateJournal(this.deps.state).read(migrationId);
    if (
      !journal.some((e) => e.step === 'dispose' && e.event === 'completed') &&
      !journal.some((e) => e.step.startsWith('restore-'))
    ) {
      throw new CoreError(
        'CORE_NOT_PAST_POINT_OF_NO_RETURN',
        `migration ${migrationId} has not reached its point of no return; nothing was changed`,
        { hint: 'abort it instead of restoring: its undo puts everything back' },
      );
    }
    return migration;
  }

  /**
   * `dlmigrate verify <id>`: re-reads the tenant and the directory and compares them with the capture, as the verify
   * step (or, after a restore, restore-verify) did. The findings of the last verification are replaced, the status of
   * a finished migration follows them (a difference is never plain "completed"), and the report is rebuilt.
   */
  async verify(migrationId: string): Promise<VerifyResult & { readonly status: MigrationStatus }> {
    const migration = await this.deps.state.getMigration(migrationId);
    if (migration === null) throw migrationNotFound(migrationId);
    const results = resultsOf<VerifyResultsMap>(
      completedData(await new StateJournal(this.deps.state).read(migrationId)),
      { ...MIGRATION_RESULT_SCHEMAS, ...RESTORE_RESULT_SCHEMAS },
      migrationId,
    );
    const restored = results.has('restore-resync') || results.has('restore-group');
    const finished = results.has(migration.strategy === 'convert' ? 'convert' : 'take-over');
    if (!restored && !finished)
      throw new CoreError(
        'CORE_NOTHING_TO_VERIFY',
        `migration ${migrationId} has not reached its cloud group yet (status ${migration.status}); nothing was changed`,
        { hint: `dlmigrate resume ${migrationId} finishes it` },
      );
    const step = restored ? 'restore-verify' : 'verify';
    return this.withContext(migration, {}, async (ctx, journal) => {
      const result = await verifyAndRecord(
        ctx,
        step,
        results,
        restored ? RESTORE_SOURCES : MIGRATION_SOURCES,
        'on-demand',
      );
      await journal.append(migrationId, {
        step,
        event: 'completed',
        at: result.at,
        data: result,
      });
      let status = migration.status;
      if (status === 'completed' || status === 'completed_with_warnings') {
        status = finishedStatus(await this.deps.state.listFindings(migrationId));
        await this.deps.state.updateMigration(migrationId, { status }, ctx.fence);
      }
      // The stored report parsed by its schema (a damaged one is STORED_DOCUMENT_INVALID, not a silent new date).
      const finishedAt = (await readReport(this.deps.state, migrationId))?.finishedAt;
      const report = await buildReport(
        this.deps.state,
        migrationId,
        stepNamesFor(migrationStrategy(migration)),
        status,
        changesFrom(results),
        finishedAt,
      );
      await saveReport(this.deps.state, report);
      return { ...result, status };
    });
  }

  /** The stored report of a migration (null before it has one). */
  report(migrationId: string): Promise<MigrationReport | null> {
    return readReport(this.deps.state, migrationId);
  }

  /** The report of a batch run: its levels, each migration's report, and the groups it never started. */
  batchReport(outcome: BatchOutcome): Promise<BatchReport> {
    return buildBatchReport(this.deps.state, outcome, this.deps.clock ?? systemClock);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  protected async create(
    address: string,
    input: MigrationOptionsInput,
    status: MigrationStatus,
  ): Promise<MigrationRecord> {
    const { options, problems } = resolveOptions(input);
    if (problems.length > 0) throw new InvalidOptionsError(problems);
    return this.deps.state.createMigration({
      group: { address: normalizeSmtpAddress(address) },
      strategy: options.strategy,
      options: toJsonObject(options),
      status,
    });
  }

  protected async execute(
    migration: MigrationRecord,
    steps: readonly MigrationStep[],
    run: RunOptions,
  ): Promise<MigrationOutcome> {
    return this.withContext(migration, run, async (ctx, journal) => {
      await this.deps.state.updateMigration(migration.id, { status: 'running' }, ctx.fence);
      await this.forgetRetriedFailures(migration.id, steps, journal);
      const outcome = await new Saga(steps, journal, MIGRATION_RESULT_SCHEMAS).run(migration.id, ctx, {
        ...this.sagaOptions(migration, run),
        ...(run.until === undefined ? {} : { stopAfter: run.until }),
      });
      return this.finish(ctx, outcome);
    });
  }

  /**
   * A run interrupted after the point of no return is resumed by running its failed step again: that failure is
   * history, not a finding of the migration, so its findings go (the step records new ones if it fails again).
   */
  private async forgetRetriedFailures(
    id: string,
    steps: readonly MigrationStep[],
    journal: StateJournal,
  ): Promise<void> {
    const last = lastEntryByStep(await journal.read(id));
    const ponr = steps.findIndex((s) => s.pointOfNoReturn === true);
    if (ponr < 0 || last.get(steps[ponr]!.name)?.event !== 'completed') return;
    for (const step of steps.slice(ponr + 1)) {
      if (last.get(step.name)?.event === 'failed') await this.deps.state.clearFindings(id, step.name);
    }
  }

  private sagaOptions(migration: MigrationRecord, run: RunOptions) {
    const clock = this.deps.clock ?? systemClock;
    const lane = this.deps.takeOverLane;
    return {
      now: () => new Date(clock.now()),
      onEntry: (entry: JournalEntry) =>
        run.onEvent?.({
          migrationId: migration.id,
          address: migration.group.address,
          step: entry.step,
          event: entry.event,
          at: entry.at,
          ...(entry.error === undefined ? {} : { error: entry.error.message }),
        }),
      ...(run.signal === undefined ? {} : { signal: run.signal }),
      // In a batch, a step after take-over yields to every group of the runner whose take-over is due: their
      // addresses have no recipient until it converges (batch/take-over-lane.ts).
      ...(lane === undefined
        ? {}
        : {
            beforeStep: async (step: string) => {
              if (AFTER_TAKE_OVER.has(step)) await lane.afterTakeOver(migration.id, run.signal);
            },
          }),
      // A transient fault of any dependency is retried within the Exchange client's budget, not rolled back.
      isTransient,
      retry: <T>(attempt: () => Promise<T>) =>
        retryTransient(attempt, {
          clock,
          policy: this.deps.retryPolicy ?? this.deps.exchange?.transport?.policy,
          signal: run.signal,
        }),
    };
  }

  private async withContext<T>(
    migration: MigrationRecord,
    run: RunOptions,
    body: (ctx: MigrationContext, journal: StateJournal) => Promise<T>,
  ): Promise<T> {
    const { state, runnerId } = this.deps;
    // Parsed before the lease is taken: options that do not fit stop the run before anything is written.
    const options = parseStoredOptions(migration.options, `the options of migration ${migration.id}`);
    let fence: Fence | undefined;
    let heartbeat: { stop(): Promise<void> } | undefined;
    if (runnerId !== undefined) {
      const leaseMs = this.deps.leaseMs ?? DEFAULT_LEASE_MS;
      const claimed = await state.claimMigration(migration.id, runnerId, leaseMs);
      if (claimed === null)
        throw new CoreError('CORE_LEASE_HELD', `migration ${migration.id} is being run by another runner`);
      fence = { runnerId };
      heartbeat = startHeartbeat(state, { migrationId: migration.id, runnerId, leaseMs });
    }
    const ctx: MigrationContext = {
      deps: this.deps,
      clock: this.deps.clock ?? systemClock,
      migration,
      options,
      ...(fence === undefined ? {} : { fence }),
      ...(run.signal === undefined ? {} : { signal: run.signal }),
      note: async (step, finding) =>
        void (await state.addFindings(migration.id, toNewFindings(step, [finding]))),
    };
    try {
      return await body(ctx, new StateJournal(state, fence));
    } finally {
      await heartbeat?.stop();
      if (runnerId !== undefined && run.keepLease !== true) await state.releaseLease(migration.id, runnerId);
    }
  }

  private async finish(ctx: MigrationContext, outcome: MigrationSagaOutcome): Promise<MigrationOutcome> {
    const { state } = this.deps;
    const id = ctx.migration.id;
    const at = new Date(ctx.clock.now()).toISOString();
    let status: MigrationStatus;
    let findings: readonly Finding[] = [];
    switch (outcome.status) {
      case 'completed':
        status = outcome.results.get('report')!.status;
        break;
      case 'suspended':
      case 'paused':
        status = 'parked';
        break;
      case 'stopped':
        status = 'running'; // stopped on request: resume continues at outcome.step
        break;
      case 'interrupted':
        status = 'running'; // past the point of no return: only resume can finish it
        await ctx.note(
          outcome.failedStep,
          finding('STEP_FAILED', ctx.migration.group.address, `${outcome.error} (resume to continue)`),
        );
        break;
      case 'rolled_back': {
        const stored = await state.listFindings(id);
        const recorded = stored.some((e) => e.step === outcome.failedStep && e.severity === 'blocking');
        // Blocked is what validate or parity-check found about the group (blocking findings, recorded by the step):
        // the operator fixes those and migrates again. The step itself failing — the state store unreadable, say — is
        // no blocker of the group: a failed run, rolled back (nothing was changed yet), with the error as its finding.
        const blocked =
          recorded && (outcome.failedStep === 'validate' || outcome.failedStep === 'parity-check');
        // A partly failed undo has left changes behind: not "rolled back" until resume has finished the undo.
        status = blocked ? 'blocked' : outcome.undoErrors.length > 0 ? 'undo_failed' : 'rolled_back';
        if (!recorded) {
          await ctx.note(
            outcome.failedStep,
            finding('STEP_FAILED', ctx.migration.group.address, outcome.error),
          );
        }
        for (const undoError of outcome.undoErrors) {
          await ctx.note(outcome.failedStep, finding('UNDO_FAILED', ctx.migration.group.address, undoError));
        }
        if (blocked) {
          findings = stored
            .filter(
              (e) => e.severity === 'blocking' && e.step === outcome.failedStep && isFindingCode(e.code),
            )
            .map((e) => finding(e.code as FindingCode, e.subject ?? '', e.message, e.attribute ?? undefined));
        }
        break;
      }
    }
    await state.updateMigration(id, { status }, ctx.fence);
    const results = resultsOf<MigrationStepResults>(
      completedData(await new StateJournal(state).read(id)),
      MIGRATION_RESULT_SCHEMAS,
      id,
    );
    const report = await buildReport(
      state,
      id,
      stepNamesFor(migrationStrategy(ctx.migration)),
      status,
      changesFrom(results),
      outcome.status === 'interrupted' || outcome.status === 'stopped' ? undefined : at,
    );
    await saveReport(state, report);
    return {
      migrationId: id,
      status,
      ...(outcome.status === 'completed' ? {} : { step: stepOf(outcome) }),
      ...(outcome.status === 'rolled_back' || outcome.status === 'interrupted'
        ? { error: outcome.error }
        : {}),
      ...(outcome.status === 'suspended' ? { error: outcome.reason } : {}),
      ...(outcome.status === 'stopped'
        ? { error: `stopped on request (${outcome.reason}); resume to continue`, stopped: outcome.reason }
        : {}),
      findings,
      report,
    };
  }
}

function stepOf(outcome: Exclude<SagaOutcome, { status: 'completed' }>): string {
  switch (outcome.status) {
    case 'suspended':
    case 'stopped':
      return outcome.step;
    case 'paused':
      return outcome.after;
    default:
      return outcome.failedStep;
  }
}

/**
 * Runs (or resumes) one migration already recorded in the state store — the entry point batches build on. The
 * options come from the migration record; `deps` can be shared by many concurrent migrations (give a batch's
 * migrations a `sync` of kind "none" when the batch triggers one sync per level itself).
 */
export function runMigration(
  deps: EngineDeps,
  migrationId: string,
  run: RunOptions = {},
): Promise<MigrationOutcome> {
  return new MigrationEngine(deps).resume(migrationId, run);
}
