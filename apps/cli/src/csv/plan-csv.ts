// `plan --csv`: the plan rows, with each group's display name from the backup the plan captured (planning
// records a planned migration with its backups, see @dlmigrate/core's engine.plan), written as CSV.
import type { StateStore } from '@dlmigrate/state';
import { planRows, PLAN_COLUMNS } from './tables.js';
import { writeCsvFile } from './write.js';

type Plans = Parameters<typeof planRows>[0];
type Layout = Parameters<typeof planRows>[1];

export async function writePlanCsv(
  file: string,
  cwd: string,
  session: { readonly opened: { readonly deps: { readonly state: StateStore } } },
  plans: readonly Omit<Plans[number], 'displayName'>[],
  layout: Layout,
): Promise<string> {
  const named = await Promise.all(
    plans.map(async (plan) => {
      const backup = await session.opened.deps.state.getBackup(plan.migrationId, 'onprem-group');
      const displayName = (backup?.data as { group?: { displayName?: unknown } } | undefined)?.group
        ?.displayName;
      return { ...plan, displayName: typeof displayName === 'string' ? displayName : undefined };
    }),
  );
  return writeCsvFile(file, cwd, PLAN_COLUMNS, planRows(named, layout));
}
