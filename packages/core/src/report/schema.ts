// The report documents: one model for the engine that writes them, the state store that keeps them and the CLI that
// renders them (HTML, CSV, text). Types are inferred from the schemas, so a report read back from the store or a file
// is parsed by the same definition the engine writes (a damaged or hand-edited one gives a clear error).
import { MIGRATION_STATUSES } from '@dlmigrate/state';
import { z } from 'zod';

const STEP_STATUSES = ['completed', 'skipped', 'failed', 'undone', 'pending', 'running'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

const reportFindingSchema = z.object({
  code: z.string(),
  severity: z.enum(['blocking', 'needs-action', 'info']),
  subject: z.string(),
  message: z.string(),
  action: z.string(),
  attribute: z.string().optional(),
  /** The step that recorded it. */
  step: z.string().optional(),
});

const reportStepSchema = z.object({
  name: z.string(),
  status: z.enum(STEP_STATUSES),
  detail: z.string().optional(),
  at: z.string().optional(),
});

const reportChangeSchema = z.object({
  side: z.enum(['on-premises', 'cloud']),
  object: z.string(),
  attribute: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

/** From the synced group seen gone to take-over converged (core engine/outage.ts). */
const outageSchema = z.object({
  lastPresentAt: z.string().nullable(),
  deletionSeenAt: z.string(),
  takeOverConvergedAt: z.string().optional(),
  seconds: z.number().nonnegative().optional(),
  atMostSeconds: z.number().nonnegative().optional(),
});

const outageSummarySchema = z.object({
  groups: z.number().int().positive(),
  p50Seconds: z.number().nonnegative(),
  p95Seconds: z.number().nonnegative(),
  maxSeconds: z.number().nonnegative(),
});

export const migrationReportSchema = z.object({
  kind: z.literal('migration'),
  id: z.string(),
  group: z.object({ address: z.string(), displayName: z.string().optional() }),
  strategy: z.enum(['recreate', 'convert']),
  status: z.enum(MIGRATION_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** The latest verification: "N values checked, M differences" (each difference is a VERIFY_DIFFERENCE finding). */
  verification: z
    .object({
      checked: z.number().int().nonnegative(),
      differences: z.number().int().nonnegative(),
      summary: z.string(),
      step: z.string(),
      at: z.string(),
    })
    .optional(),
  steps: z.array(reportStepSchema),
  changes: z.array(reportChangeSchema),
  findings: z.array(reportFindingSchema),
  outage: outageSchema.optional(),
});

const batchReportSchema = z.object({
  kind: z.literal('batch'),
  id: z.string(),
  status: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  levels: z.array(
    z.object({
      level: z.number().int().nonnegative(),
      /** A group's status is its migration's, or "blocked" when the batch never ran it. */
      groups: z.array(z.object({ address: z.string(), migrationId: z.string(), status: z.string() })),
    }),
  ),
  migrations: z.array(migrationReportSchema),
  findings: z.array(reportFindingSchema),
  /** p50 / p95 of the groups' outage windows (those whose take-over converged). */
  outage: outageSummarySchema.optional(),
});

export const reportSchema = z.discriminatedUnion('kind', [migrationReportSchema, batchReportSchema]);

export type ReportFinding = z.output<typeof reportFindingSchema>;
export type ReportChange = z.output<typeof reportChangeSchema>;
export type MigrationReport = z.output<typeof migrationReportSchema>;
export type BatchReport = z.output<typeof batchReportSchema>;
export type Report = z.output<typeof reportSchema>;
export type Outage = z.output<typeof outageSchema>;
