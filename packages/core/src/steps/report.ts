// report: the JSON report of the run, persisted in the state store (the CLI renders it as HTML).
import { changesFrom } from '../engine/changes.js';
import { buildReport, finishedStatus, saveReport } from '../engine/report.js';
import type { MigrationStep } from './results.js';

export interface ReportResult {
  readonly status: 'completed' | 'completed_with_warnings';
}

/** Set by the engine: the names of the steps of this strategy, for the report's step list. */
export function reportStep(stepNames: readonly string[]): MigrationStep<'report'> {
  return {
    name: 'report',
    async run(ctx, results): Promise<ReportResult> {
      const { state } = ctx.deps;
      const status = finishedStatus(await state.listFindings(ctx.migration.id));
      const report = await buildReport(
        state,
        ctx.migration.id,
        stepNames,
        status,
        changesFrom(results),
        new Date(ctx.clock.now()).toISOString(),
      );
      await saveReport(state, report);
      return { status: status as ReportResult['status'] };
    },
  };
}
