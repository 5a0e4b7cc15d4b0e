// The batch report: every level with its groups, each migration's own report, and a finding per group the batch never
// started (blocked by a child, a cycle, a failed pre-flight). Built here so every front end shows the same document.
import type { StateStore } from '@dlmigrate/state';
import { summarizeOutages } from '../engine/outage.js';
import { readReport } from '../engine/report.js';
import type { BatchReport, MigrationReport, ReportFinding } from '../report/schema.js';
import type { Clock } from '../util/poll.js';
import type { BatchOutcome } from './runner.js';

export async function buildBatchReport(
  state: StateStore,
  outcome: BatchOutcome,
  clock: Clock,
): Promise<BatchReport> {
  const batch = await state.getBatch(outcome.batchId);
  const migrations: MigrationReport[] = [];
  const findings: ReportFinding[] = [];
  for (const group of outcome.groups) {
    const report = await readReport(state, group.migrationId);
    if (report !== null) migrations.push(report);
    else if (group.status === 'blocked') {
      findings.push(
        ...group.codes.map((code) => ({
          code,
          severity: 'blocking' as const,
          subject: group.address,
          message: `the group was not started (${code})`,
          action: "See the group's findings in dlmigrate status.",
        })),
      );
    }
  }
  const levels = [...new Set(outcome.groups.map((g) => g.level))]
    .sort((a, b) => a - b)
    .map((level) => ({
      level,
      groups: outcome.groups
        .filter((g) => g.level === level)
        .map((g) => ({ address: g.address, migrationId: g.migrationId, status: g.status })),
    }));
  // p50 / p95 of the windows of the groups whose take-over converged (engine/outage.ts).
  const outage = summarizeOutages(
    migrations.flatMap((m) => (m.outage?.seconds === undefined ? [] : [m.outage.seconds])),
  );
  return {
    kind: 'batch',
    id: outcome.batchId,
    status: outcome.status,
    startedAt: batch?.createdAt ?? new Date(clock.now()).toISOString(),
    ...(batch?.updatedAt !== undefined ? { finishedAt: batch.updatedAt } : {}),
    levels,
    migrations,
    findings,
    ...(outage === null ? {} : { outage }),
  };
}
