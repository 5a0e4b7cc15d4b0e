// The report document the engine produces and the HTML renderer reads. Validated on the way in, so a
// damaged or hand-edited file gives a clear error instead of a half-rendered page.
import { z } from 'zod';

const json: z.ZodType<unknown> = z.unknown();

export const findingSchema = z.object({
  code: z.string(),
  severity: z.enum(['blocking', 'needs-action', 'info']),
  subject: z.string(),
  message: z.string(),
  action: z.string(),
  attribute: z.string().optional(),
});

export const stepSchema = z.object({
  name: z.string(),
  status: z.enum(['completed', 'skipped', 'failed', 'undone', 'pending', 'running']),
  detail: z.string().optional(),
  at: z.string().optional(),
});

export const changeSchema = z.object({
  side: z.enum(['on-premises', 'cloud']),
  object: z.string(),
  attribute: z.string(),
  before: json,
  after: json,
});

export const migrationReportSchema = z.object({
  kind: z.literal('migration'),
  id: z.string(),
  group: z.object({ address: z.string(), displayName: z.string().optional() }),
  strategy: z.enum(['recreate', 'convert']),
  status: z.string(),
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
  steps: z.array(stepSchema),
  changes: z.array(changeSchema),
  findings: z.array(findingSchema),
});

export const batchReportSchema = z.object({
  kind: z.literal('batch'),
  id: z.string(),
  status: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  levels: z.array(
    z.object({
      level: z.number().int().nonnegative(),
      groups: z.array(z.object({ address: z.string(), migrationId: z.string(), status: z.string() })),
    }),
  ),
  migrations: z.array(migrationReportSchema),
  findings: z.array(findingSchema),
});

export const reportSchema = z.discriminatedUnion('kind', [migrationReportSchema, batchReportSchema]);

export type Finding = z.output<typeof findingSchema>;
export type MigrationReport = z.output<typeof migrationReportSchema>;
export type BatchReport = z.output<typeof batchReportSchema>;
export type Report = z.output<typeof reportSchema>;
