// `dlmigrate status [id]`: what the state store knows — all migrations, or one with its steps.
import type { StateStore } from '@dlmigrate/state';
import type { Command } from 'commander';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';
import type { Status } from '../../output/output.js';
import { findingLine } from '../../output/finding.js';

const STATUS_SYMBOL: Record<string, Status> = {
  completed: 'ok',
  completed_with_warnings: 'warn',
  failed: 'fail',
  blocked: 'fail',
  rolled_back: 'warn',
  undo_failed: 'fail',
};

export function registerStatusCommand(program: Command, state: ProgramState): void {
  const status = program
    .command('status')
    .description('show the migrations in the state store, or one migration step by step')
    .argument('[id]', 'migration id')
    .option(
      '--batch <batchId>',
      'a batch: its levels (phase, counts by status) and every group with its status',
    )
    .option('--csv <file>', 'also write one row per migration (of the batch, with --batch) as CSV')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ dlmigrate status',
        '  $ dlmigrate status 01JDQ6Z8M4 --json',
        '  $ dlmigrate status --batch wave-1',
        '  $ dlmigrate status --batch wave-1 --csv wave-1-status.csv',
      ].join('\n'),
    );
  addSettingFlags(status, SETTINGS).action(
    commandAction(
      state,
      async (context, id: string | undefined, options: { batch?: string; csv?: string }) => {
        if (id !== undefined && options.batch !== undefined)
          throw new UsageError('Give a migration id or --batch <batchId>, not both.');
        if (id !== undefined && options.csv !== undefined)
          throw new UsageError('--csv lists migrations: use it without a migration id (or with --batch).');
        const { config } = context.loadConfig();
        // Loaded on demand, like every engine module: --help and auth init stay fast.
        const { openState } = await import('../../session/open-engine.js');
        const store = await openState(config);
        const { output } = context;
        try {
          if (options.csv !== undefined) {
            const { writeStatusCsv } = await import('../../csv/status-csv.js');
            const file = await writeStatusCsv(options.csv, context.io.cwd, store, options.batch);
            output.line(`CSV: ${file}`);
          }
          if (options.batch !== undefined) {
            await showBatch(context, store, options.batch);
            return;
          }
          if (id === undefined) {
            const migrations = await store.listMigrations();
            output.json({ ok: true, migrations });
            if (migrations.length === 0) output.line('No migrations yet.');
            for (const m of migrations) {
              output.status(
                STATUS_SYMBOL[m.status] ?? 'info',
                `${m.id}  ${m.group.address}`,
                `${m.status}${m.currentStep ? ` at ${m.currentStep}` : ''} · ${m.updatedAt}`,
              );
            }
            return;
          }
          const migration = await store.getMigration(id);
          if (migration === null)
            throw new UsageError(`There is no migration ${id}.`, [
              'dlmigrate status lists the migrations in this state store',
            ]);
          const journal = await store.listJournal(id);
          const findings = await store.listFindings(id);
          output.json({ ok: true, migration, journal, findings });
          output.line(
            `${migration.id}  ${migration.group.address}  ${migration.status}${migration.batchId ? `  (batch ${migration.batchId}, level ${migration.batchLevel})` : ''}`,
          );
          for (const entry of journal)
            output.status(
              entry.event === 'completed' ? 'ok' : entry.event === 'failed' ? 'fail' : 'info',
              `${entry.step} ${entry.event}`,
              entry.at,
            );
          for (const f of findings) output.status(...findingLine(f));
        } finally {
          await store.close();
        }
      },
    ),
  );
}

/** A batch level by level: the level's phase and counts, then each of its groups with its status. */
async function showBatch(context: CommandContext, store: StateStore, batchId: string): Promise<void> {
  const batch = await store.getBatch(batchId);
  if (batch === null)
    throw new UsageError(`There is no batch ${batchId}.`, [
      'dlmigrate status lists the migrations, with the batch each belongs to',
    ]);
  const progress = await store.batchProgress(batchId);
  const migrations = await store.listMigrations({ batchId });
  const levels = progress.levels.map((level) => ({
    level: level.level,
    phase: level.phase,
    total: level.total,
    byStatus: Object.fromEntries(Object.entries(level.byStatus).filter(([, n]) => n > 0)),
    groups: migrations
      .filter((m) => m.batchLevel === level.level)
      .map((m) => ({
        migrationId: m.id,
        address: m.group.address,
        status: m.status,
        currentStep: m.currentStep,
      })),
  }));
  const { output } = context;
  output.json({ ok: true, batchId, status: progress.status, levels });
  output.line(
    `Batch ${batchId}: ${progress.status} · ${migrations.length} group(s) in ${levels.length} level(s)`,
  );
  for (const level of levels) {
    const counts = Object.entries(level.byStatus)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ');
    output.line(`level ${level.level}  ${level.phase}  ${counts}`);
    for (const g of level.groups) {
      output.status(
        STATUS_SYMBOL[g.status] ?? 'info',
        `  ${g.address}`,
        `${g.status}${g.currentStep && !g.status.startsWith('completed') ? ` at ${g.currentStep}` : ''} · ${g.migrationId}`,
      );
    }
  }
}
