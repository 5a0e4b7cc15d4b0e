// The dependency graph of a batch (issue 8): which groups of the set contain which, in what order they can migrate
// (children first, in levels), which cannot migrate at all, and how a level is split into sync waves.
import { CoreError } from '../errors/core-error.js';
import { finding, type Finding } from '../findings/finding.js';

export interface BatchGroup {
  /** The group's address (the batch key). */
  readonly id: string;
  /** Addresses of the mail-enabled groups among its members (already-migrated children excluded by the caller). */
  readonly childGroups: readonly string[];
}

export interface BatchPlanOptions {
  readonly skipNestedGroupCheck: boolean;
  /** Is a child outside the set already migrated (so it no longer holds its parent back)? */
  readonly isMigrated: (childId: string) => boolean;
}

export interface BatchPlan {
  /** levels[0] has no children in the set; each later level only depends on earlier ones. */
  readonly levels: readonly (readonly string[])[];
  /** Groups that cannot run, each with the reason. */
  readonly blocked: ReadonlyMap<string, Finding>;
}

const key = (id: string) => id.toLowerCase();

export function planBatch(groups: readonly BatchGroup[], options: BatchPlanOptions): BatchPlan {
  const byKey = new Map(groups.map((g) => [key(g.id), g]));
  const children = new Map<string, string[]>();
  const blocked = new Map<string, Finding>();

  for (const g of groups) {
    const inSet: string[] = [];
    for (const child of g.childGroups) {
      const k = key(child);
      if (k === key(g.id)) continue; // AD does not let a group contain itself; ignore rather than loop
      if (byKey.has(k)) inSet.push(k);
      else if (!options.skipNestedGroupCheck && !options.isMigrated(child) && !blocked.has(key(g.id))) {
        blocked.set(
          key(g.id),
          finding(
            'NESTED_GROUP_EXCEPTION',
            g.id,
            `child group ${child} is not in the batch and not migrated yet`,
          ),
        );
      }
    }
    children.set(key(g.id), [...new Set(inSet)]);
  }

  for (const cycle of findCycles(children)) {
    const names = cycle.map((k) => byKey.get(k)?.id ?? k);
    const path = [...names, names[0]].join(' → ');
    for (const k of cycle) {
      blocked.set(
        k,
        finding('CIRCULAR_REFERENCE_EXCEPTION', byKey.get(k)?.id ?? k, `membership cycle: ${path}`),
      );
    }
  }

  // A parent of a blocked group cannot migrate either (its child never will in this batch).
  let changed = true;
  while (changed) {
    changed = false;
    for (const [parent, kids] of children) {
      if (blocked.has(parent)) continue;
      const stuck = kids.find((k) => blocked.has(k));
      if (stuck !== undefined) {
        const child = byKey.get(stuck)?.id ?? stuck;
        blocked.set(
          parent,
          finding(
            'CHILD_GROUP_MIGRATION_EXCEPTION',
            byKey.get(parent)?.id ?? parent,
            `child group ${child} cannot migrate`,
          ),
        );
        changed = true;
      }
    }
  }

  // Kahn's algorithm over the groups that can run: a group's level is one more than its deepest child's.
  const runnable = groups.map((g) => key(g.id)).filter((k) => !blocked.has(k));
  const pending = new Map(runnable.map((k) => [k, (children.get(k) ?? []).length]));
  const parents = new Map<string, string[]>();
  for (const k of runnable)
    for (const c of children.get(k) ?? []) (parents.get(c) ?? parents.set(c, []).get(c)!).push(k);
  const levelOf = new Map<string, number>();
  let ready = runnable.filter((k) => pending.get(k) === 0);
  for (let depth = 0; ready.length > 0; depth++) {
    const next: string[] = [];
    for (const k of ready) {
      levelOf.set(k, depth);
      for (const p of parents.get(k) ?? []) {
        const left = pending.get(p)! - 1;
        pending.set(p, left);
        if (left === 0) next.push(p);
      }
    }
    ready = next;
  }
  const levels: string[][] = [];
  for (const g of groups) {
    const d = levelOf.get(key(g.id));
    if (d !== undefined) (levels[d] ??= []).push(g.id);
  }
  return { levels: levels.filter((l) => l !== undefined), blocked: remapKeys(blocked, byKey) };
}

function remapKeys(blocked: Map<string, Finding>, byKey: Map<string, BatchGroup>): Map<string, Finding> {
  return new Map([...blocked].map(([k, f]) => [byKey.get(k)?.id ?? k, f]));
}

/**
 * Every strongly connected component with more than one group (Tarjan), each returned as one concrete cycle path so
 * the report can name it ("a → b → c → a").
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  // Iterative to survive deep nesting chains in batches of thousands.
  for (const start of edges.keys()) {
    if (indices.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    indices.set(start, index);
    lowlink.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = edges.get(frame.node) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++]!;
        if (!indices.has(w)) {
          indices.set(w, index);
          lowlink.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          lowlink.set(frame.node, Math.min(lowlink.get(frame.node)!, indices.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        lowlink.set(parent.node, Math.min(lowlink.get(parent.node)!, lowlink.get(frame.node)!));
      if (lowlink.get(frame.node) === indices.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        if (component.length > 1) components.push(cyclePath(component, edges));
      }
    }
  }
  return components;
}

/** A simple cycle inside a strongly connected component, starting from its first member (breadth-first back to it). */
function cyclePath(component: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const inside = new Set(component);
  const start = component[component.length - 1]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node) ?? []) {
      if (!inside.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component]; // unreachable for a true component; keeps the type total
}

/**
 * Splits a level into sync waves of at most `deletionThreshold` groups: Entra Connect stops exporting when one cycle
 * would delete more objects than its threshold (500 by default), which would stall every group of the wave.
 */
export function splitIntoWaves<T>(level: readonly T[], deletionThreshold: number): T[][] {
  if (!Number.isInteger(deletionThreshold) || deletionThreshold < 1) {
    throw new CoreError(
      'CORE_INVALID_ARGUMENT',
      `the deletion threshold must be a positive integer, got ${deletionThreshold}`,
    );
  }
  const waves: T[][] = [];
  for (let i = 0; i < level.length; i += deletionThreshold) waves.push(level.slice(i, i + deletionThreshold));
  return waves;
}
