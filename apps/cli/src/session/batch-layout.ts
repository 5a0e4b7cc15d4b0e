// The batch layout `plan` shows for several groups, printed: core lays it out (batch/plan-layout.ts), this renders it.
import type { PlanLayout } from '@dlmigrate/core';
import type { CommandContext } from '../context.js';

export function printPlanLayout(
  context: CommandContext,
  result: { layout: PlanLayout } | { layout: null; problems: readonly string[] },
): void {
  const { output } = context;
  output.line();
  if (result.layout === null) {
    output.status('fail', 'batch layout', 'these groups cannot form a batch:');
    for (const problem of result.problems) output.line(`  ${problem}`);
    return;
  }
  const { levels, waves, children, blocked } = result.layout;
  const runnable = levels.reduce((n, l) => n + l.length, 0);
  output.line(
    `Batch layout: ${runnable} group(s) in ${levels.length} level(s), children first; ${waves.length} sync wave(s)`,
  );
  levels.forEach((level, index) => {
    for (const address of level) {
      const waitsFor = children[address] ?? [];
      output.line(
        `  level ${index}  ${address}${waitsFor.length > 0 ? `  (after ${waitsFor.join(', ')})` : ''}`,
      );
    }
  });
  for (const b of blocked) output.status('fail', `  ${b.code}  ${b.address}`, `${b.message} — ${b.action}`);
  if (levels.some((l, index) => index > 0 && l.length > 0)) {
    output.line(
      '  (in this batch a group runs after its child groups, so their NESTED_GROUP_EXCEPTION above does not block it)',
    );
  }
}
