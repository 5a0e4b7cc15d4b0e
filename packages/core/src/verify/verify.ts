// The verify step (last before the report, both strategies; restore-verify after a restore) and the on-demand
// `dlmigrate verify <id>`: every source is read, every expected value compared, and each difference becomes a
// needs-action VERIFY_DIFFERENCE finding naming the object and the attribute — so a migration with a difference is
// never plain "completed".
import type { MigrationContext } from '../engine/context.js';
import { loadSnapshot } from '../engine/snapshot.js';
import { finding, type Finding } from '../findings/finding.js';
import type { RestoreStep } from '../restore/results.js';
import type { MigrationStep } from '../steps/results.js';
import { reassessMembersOf } from './members-of.js';
import {
  MIGRATION_SOURCES,
  RESTORE_SOURCES,
  verifyReads,
  type VerifyOccasion,
  type VerifyResults,
  type VerifySource,
} from './sources.js';
import {
  compareValues,
  verificationSummary,
  type Difference,
  type ExpectedValue,
  type ObservedAttribute,
  type Verification,
} from './values.js';

export interface VerifyResult {
  readonly checked: number;
  readonly differences: number;
  /** "N values checked, M differences". */
  readonly summary: string;
  readonly at: string;
}

const SHOWN = 5;

function describe(d: Difference): string {
  if (d.kind === 'extra')
    return `${d.expected.side}: ${d.expected.attribute} holds ${d.expected.value}, which was not captured (an extra value)`;
  const now =
    d.observed.length === 0
      ? 'nothing'
      : d.observed.slice(0, SHOWN).join(', ') + (d.observed.length > SHOWN ? ', …' : '');
  return `${d.expected.side}: ${d.expected.attribute} should hold ${d.expected.value}; it holds ${now}`;
}

function joined(parts: readonly Verification[]): Verification {
  const differences: Difference[] = [];
  let checked = 0;
  for (const part of parts) {
    checked += part.checked;
    // One at a time: a spread of 125,000 differences into push overflows the stack.
    for (const d of part.differences) differences.push(d);
  }
  return { checked, differences };
}

/** Reads every source, records one finding per difference under `step` (earlier ones of that step replaced). */
export async function verifyAndRecord(
  ctx: MigrationContext,
  step: string,
  results: VerifyResults,
  sources: readonly VerifySource[],
  occasion: VerifyOccasion = 'step',
): Promise<VerifyResult> {
  const snapshot = await loadSnapshot(ctx.deps.state, ctx.migration.id);
  const expected: ExpectedValue[] = [];
  const observed: ObservedAttribute[] = [];
  const notes: Finding[] = [];
  // The members, each source's compared apart (verify/member-check.ts), come first in the report as in the group.
  const members: Verification[] = [];
  const reads = verifyReads(ctx.deps);
  for (const source of sources) {
    const reading = await source.read(ctx, results, snapshot, reads, occasion);
    for (const e of reading.expected) expected.push(e);
    for (const o of reading.observed) observed.push(o);
    for (const n of reading.notes ?? []) notes.push(n);
    if (reading.members !== undefined) members.push(reading.members);
  }
  const verification = joined([...members, compareValues(expected, observed)]);
  await ctx.deps.state.clearFindings(ctx.migration.id, step);
  for (const note of notes) await ctx.note(step, note);
  for (const d of verification.differences)
    await ctx.note(step, finding('VERIFY_DIFFERENCE', d.expected.object, describe(d), d.expected.attribute));
  // Reports of "members of" restrictions stand only while their condition holds (members-of.ts).
  if (step === 'verify') await reassessMembersOf(ctx, results, snapshot);
  const counts = { checked: verification.checked, differences: verification.differences.length };
  return { ...counts, summary: verificationSummary(counts), at: new Date(ctx.clock.now()).toISOString() };
}

export const verifyStep: MigrationStep<'verify'> = {
  name: 'verify',
  // The migration's results are VerifyResults whose restore rows are absent (VerifyResultsMap).
  run: (ctx, results) => verifyAndRecord(ctx, 'verify', results, MIGRATION_SOURCES),
};

/** A restore runs on the migration's journal: its results hold the migration's rows and the restore's. */
export const restoreVerifyStep: RestoreStep<'restore-verify'> = {
  name: 'restore-verify',
  run: (ctx, results) => verifyAndRecord(ctx, 'restore-verify', results, RESTORE_SOURCES),
};

/** The verification a report shows: the latest completed verify or restore-verify in the journal. */
export function latestVerification(
  entries: readonly { step: string; event: string; data?: unknown }[],
): (VerifyResult & { step: string }) | undefined {
  let latest: (VerifyResult & { step: string }) | undefined;
  for (const e of entries)
    if (
      (e.step === 'verify' || e.step === 'restore-verify') &&
      e.event === 'completed' &&
      e.data !== undefined
    )
      latest = { ...(e.data as VerifyResult), step: e.step };
  return latest;
}
