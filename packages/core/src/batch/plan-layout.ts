// What `plan` shows for several groups before anything is recorded: the nesting level each group would run in
// (children first), the sync waves, the groups that cannot run (cycles, child groups outside the set), and whether
// the batch as a whole would be blocked.
import type { ActiveDirectory } from '@dlmigrate/ad';
import type { Severity } from '@dlmigrate/state';
import type { MigrationOptionsInput } from '../options.js';
import { BatchInputError, layOutBatch } from './plan.js';

export interface PlanLayout {
  /** Groups per nesting level: level 0 has no child group in the set; each level waits for the ones before. */
  readonly levels: readonly (readonly string[])[];
  /** Sync waves in run order (a level larger than the deletion threshold is split). */
  readonly waves: readonly (readonly string[])[];
  /** The in-set child groups each group waits for. */
  readonly children: Readonly<Record<string, readonly string[]>>;
  /** Groups that cannot run in this batch, with the reason and what to do. */
  readonly blocked: readonly { address: string; code: string; message: string; action: string }[];
}

/** The layout, or — when the list cannot form a batch — the reasons (each group's own plan shows the detail). */
export async function planLayout(
  ad: ActiveDirectory,
  addresses: readonly string[],
  options: MigrationOptionsInput,
): Promise<{ layout: PlanLayout; problems: [] } | { layout: null; problems: string[] }> {
  try {
    const { layout } = await layOutBatch(ad, { groups: addresses, options });
    const levels: string[][] = [];
    for (const [address, depth] of Object.entries(layout.depth)) (levels[depth] ??= []).push(address);
    const blocked = Object.entries(layout.blocked).map(([address, f]) => ({
      address,
      code: f.code,
      message: f.message,
      action: f.action,
    }));
    return {
      layout: {
        levels: levels.map((l) => l.sort()),
        waves: layout.waves,
        children: layout.children,
        blocked,
      },
      problems: [],
    };
  } catch (error) {
    if (!(error instanceof BatchInputError)) throw error;
    const problems = error.problems
      .filter((p) => p.severity === 'blocking')
      .map((p) => `${p.value ? `${p.value}: ` : ''}${p.code}: ${p.message}`);
    return { layout: null, problems };
  }
}

/**
 * Whether a batch of these groups would be blocked. Planned one by one, a parent is blocked by its unmigrated child
 * groups (NESTED_GROUP_EXCEPTION); in a batch that holds the children that blocker is the layout's to judge — it runs
 * the children in earlier levels, or blocks the parent when a child is outside the set or in a cycle.
 */
export function batchPlanBlocked(
  plans: readonly { readonly findings: readonly { readonly code: string; readonly severity: Severity }[] }[],
  layout: PlanLayout,
): boolean {
  if (layout.blocked.length > 0) return true;
  return plans.some((p) =>
    p.findings.some((f) => f.severity === 'blocking' && f.code !== 'NESTED_GROUP_EXCEPTION'),
  );
}
