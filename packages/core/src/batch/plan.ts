// Planning a batch: check the list, look every group up, order them children first, split levels into sync waves, and
// persist it all as one batch in the state store. Nothing in the directory or the tenant changes; a bad list changes
// nothing at all (not even the state store) and comes back as one report of every problem.
import { CoreError } from '../errors/core-error.js';
import { normalizeDn, type ActiveDirectory } from '@dlmigrate/ad';
import {
  toJsonObject,
  type BatchRecord,
  type JsonObject,
  type MigrationRecord,
  type NewMigration,
  type StateStore,
} from '@dlmigrate/state';
import { z } from 'zod';
import { isFindingCode, type FindingCode } from '../findings/catalogue.js';
import type { Finding } from '../findings/finding.js';
import { parseStored } from '../stored/parse.js';
import { resolveOptions, type MigrationOptions, type MigrationOptionsInput } from '../options.js';
import {
  readBatchGroups,
  isUnmigratedMailGroup,
  type DirectoryGroup,
  type DirectoryProblem,
} from './directory.js';
import { planBatch, splitIntoWaves } from './graph.js';
import { parseGroupList, type InputProblem } from './input.js';

/** Entra Connect's default: a cycle that would delete more objects than this exports nothing. */
const DEFAULT_DELETION_THRESHOLD = 500;

/**
 * Deletions a wave leaves room for by default, as a share of the threshold: the cycle that deletes a wave's synced
 * groups also carries whatever else was deleted on-premises since the last one (leavers, other admins' clean-ups), and
 * a wave filled to the threshold would let those push the cycle over it — and the whole wave would stall.
 */
const DEFAULT_DELETION_MARGIN_SHARE = 0.1;

/** Groups per sync wave: the threshold less the margin (by default a tenth of the threshold, rounded down). */
export function waveSize(deletionThreshold: number, deletionMargin?: number): number {
  return (
    deletionThreshold - (deletionMargin ?? Math.floor(deletionThreshold * DEFAULT_DELETION_MARGIN_SHARE))
  );
}

export interface BatchRequest {
  /** A list (one address a line, or an array) or a CSV text with an address column. */
  readonly groups: string | readonly string[];
  readonly options: MigrationOptionsInput;
  /** The sync's deletion threshold; a level with more groups is split into several sync waves. */
  readonly deletionThreshold?: number;
  /**
   * Deletions each wave leaves room for below the threshold (other deletions the same cycle exports).
   * @defaultValue a tenth of the threshold, rounded down (500 → waves of 450)
   */
  readonly deletionMargin?: number;
  /** Caller-chosen batch id (else generated). */
  readonly id?: string;
}

export type BatchProblem =
  | InputProblem
  | DirectoryProblem
  | {
      readonly code: 'INVALID_OPTIONS';
      readonly severity: 'blocking';
      readonly line: 0;
      readonly value: string;
      readonly message: string;
    };

/** The list (or the options) cannot be used; `problems` holds every problem found, not just the first. */
export class BatchInputError extends CoreError {
  declare readonly code: 'BATCH_INPUT_INVALID';
  readonly problems: readonly BatchProblem[];
  constructor(problems: readonly BatchProblem[]) {
    const blocking = problems.filter((p) => p.severity === 'blocking');
    super(
      'BATCH_INPUT_INVALID',
      `the batch cannot start, ${blocking.length} problem(s) in the input:\n` +
        blocking.map((p) => `  ${p.line > 0 ? `line ${p.line}: ` : ''}${p.code}: ${p.message}`).join('\n'),
    );
    this.problems = problems;
  }
}

/** Where each group of a batch stands in the plan; kept as the batch's input so any runner can read it. */
/** The stored layout, parsed on read (any runner reads it back; see layoutOf). */
const storedLayoutSchema = z.object({
  waves: z.array(z.array(z.string())),
  depth: z.record(z.string(), z.number().int().nonnegative()),
  children: z.record(z.string(), z.array(z.string())),
  blocked: z.record(
    z.string(),
    z.object({
      code: z.custom<FindingCode>((v) => typeof v === 'string' && isFindingCode(v), 'not a finding code'),
      severity: z.enum(['blocking', 'needs-action', 'info']),
      subject: z.string(),
      message: z.string(),
      action: z.string(),
      attribute: z.string().optional(),
    }),
  ),
  dns: z.record(z.string(), z.string()).optional(),
});

export interface BatchLayout {
  /** Sync waves in run order (each a state level): waves of one dependency level follow each other. */
  readonly waves: readonly (readonly string[])[];
  /** Dependency depth per group address (0 = no child group in the batch). */
  readonly depth: Readonly<Record<string, number>>;
  /** In-batch child groups per group address (what a parent waits for). */
  readonly children: Readonly<Record<string, readonly string[]>>;
  /** Groups that cannot run at all, with why. */
  readonly blocked: Readonly<Record<string, Finding>>;
  /** Each group's DN at planning time (a runner re-reads its child groups before it starts it). */
  readonly dns?: Readonly<Record<string, string>>;
}

export interface PlannedBatch {
  readonly batch: BatchRecord;
  readonly migrations: readonly MigrationRecord[];
  readonly layout: BatchLayout;
  readonly options: MigrationOptions;
  /** Problems that did not stop the batch (duplicates dropped). */
  readonly notes: readonly BatchProblem[];
}

/** Validates the request against the directory and lays the batch out; persists nothing. */
export async function layOutBatch(
  ad: ActiveDirectory,
  request: BatchRequest,
): Promise<{
  layout: BatchLayout;
  groups: DirectoryGroup[];
  options: MigrationOptions;
  notes: BatchProblem[];
}> {
  const problems: BatchProblem[] = [];
  const { options, problems: optionProblems } = resolveOptions(request.options);
  for (const p of optionProblems)
    problems.push({
      code: 'INVALID_OPTIONS',
      severity: 'blocking',
      line: 0,
      value: p.subject,
      message: p.message,
    });
  const threshold = request.deletionThreshold ?? DEFAULT_DELETION_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1) {
    problems.push({
      code: 'INVALID_OPTIONS',
      severity: 'blocking',
      line: 0,
      value: 'deletionThreshold',
      message: `must be a positive integer, got ${threshold}`,
    });
  }
  const margin = request.deletionMargin;
  if (
    margin !== undefined &&
    (!Number.isInteger(margin) || margin < 0 || (Number.isInteger(threshold) && margin >= threshold))
  ) {
    problems.push({
      code: 'INVALID_OPTIONS',
      severity: 'blocking',
      line: 0,
      value: 'deletionMargin',
      message: `must be a whole number from 0 to the deletion threshold less one (${threshold - 1}), got ${margin}`,
    });
  }
  const list = parseGroupList(request.groups);
  problems.push(...list.problems);
  // Even with a bad list, look up the good lines: the administrator gets every problem in one report.
  const { groups, problems: directoryProblems } = await readBatchGroups(ad, list.groups);
  problems.push(...directoryProblems);
  problems.sort((a, b) => a.line - b.line); // one report in the order of the list
  if (problems.some((p) => p.severity === 'blocking')) throw new BatchInputError(problems);
  return {
    layout: layOut(groups, options.skipNestedGroupCheck, threshold, margin),
    groups,
    options,
    notes: problems,
  };
}

/** Pure part of planning: the graph between the groups found, levels, waves (waveSize: threshold less margin). */
export function layOut(
  groups: readonly DirectoryGroup[],
  skipNestedGroupCheck: boolean,
  deletionThreshold: number,
  deletionMargin?: number,
): BatchLayout {
  const addressOfDn = new Map(groups.map((g) => [normalizeDn(g.dn), g.address]));
  const children: Record<string, string[]> = {};
  const plan = planBatch(
    groups.map((g) => {
      const inSet: string[] = [];
      const outside: string[] = [];
      for (const child of g.childGroups) {
        const address = addressOfDn.get(normalizeDn(child.dn));
        if (address !== undefined) inSet.push(address);
        else if (isUnmigratedMailGroup(child)) outside.push(child.address ?? child.dn);
      }
      children[g.address] = inSet;
      return { id: g.address, childGroups: [...inSet, ...outside] };
    }),
    // Children outside the set were already narrowed to the unmigrated ones (migrated ones carry the marker).
    { skipNestedGroupCheck, isMigrated: () => false },
  );
  const depth: Record<string, number> = {};
  plan.levels.forEach((level, d) => level.forEach((address) => (depth[address] = d)));
  return {
    waves: plan.levels.flatMap((level) => splitIntoWaves(level, waveSize(deletionThreshold, deletionMargin))),
    depth,
    children,
    blocked: Object.fromEntries(plan.blocked),
    dns: Object.fromEntries(groups.map((g) => [g.address, g.dn])),
  };
}

/** Lays the batch out and records it: one planned migration per runnable group, blocked ones already final. */
export async function planBatchRun(
  deps: { ad: ActiveDirectory; state: StateStore },
  request: BatchRequest,
): Promise<PlannedBatch> {
  return recordBatch(deps.state, await layOutBatch(deps.ad, request), request.id);
}

/** Records a laid-out batch (layOutBatch): the batch, its levels and their migrations, the blocked groups' findings. */
export async function recordBatch(
  state: StateStore,
  laidOut: {
    readonly layout: BatchLayout;
    readonly groups: readonly DirectoryGroup[];
    readonly options: MigrationOptions;
    readonly notes: readonly BatchProblem[];
  },
  id?: string,
): Promise<PlannedBatch> {
  const { layout, groups, options, notes } = laidOut;
  const byAddress = new Map(groups.map((g) => [g.address, g]));
  const migration = (address: string, status?: 'blocked'): NewMigration => ({
    group: { address, objectGuid: byAddress.get(address)?.objectGuid ?? null },
    strategy: options.strategy,
    options: toJsonObject(options),
    ...(status !== undefined ? { status } : {}),
  });
  const blocked = Object.keys(layout.blocked).map((address) => migration(address, 'blocked'));
  // A level must hold at least one migration; the blocked ones ride in the first wave (they are final, never claimed).
  const levels =
    layout.waves.length === 0
      ? [blocked]
      : layout.waves.map((w, i) => [...w.map((a) => migration(a)), ...(i === 0 ? blocked : [])]);
  const input: JsonObject = {
    groups: groups.map((g) => g.address),
    options: toJsonObject(options),
    layout: toJsonObject(layout),
  };
  const { batch, migrations } = await state.createBatch({
    ...(id !== undefined ? { id } : {}),
    input,
    levels,
  });
  for (const m of migrations) {
    const why = layout.blocked[m.group.address];
    if (why === undefined) continue;
    await state.addFindings(m.id, [
      {
        code: why.code,
        severity: why.severity,
        message: why.message,
        attribute: why.attribute ?? null,
        subject: why.subject,
        step: 'batch-plan',
      },
    ]);
  }
  return { batch, migrations, layout, options, notes };
}

/** The layout stored with a batch (any runner, any process, reads it back from state). */
export function layoutOf(batch: BatchRecord): BatchLayout {
  const layout = batch.input['layout'];
  if (layout === null || typeof layout !== 'object' || Array.isArray(layout))
    throw new CoreError(
      'CORE_BATCH_NOT_PLANNED',
      `batch ${batch.id} has no layout; it was not planned by this engine`,
    );
  return parseStored(storedLayoutSchema, layout, `the layout of batch ${batch.id}`);
}
