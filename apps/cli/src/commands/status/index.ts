// `dlmigrate status [id]`: what the state store knows — all migrations, or one with its steps.
import { migrationStatusMark, type BatchStatusView, type MigrationStatusDetail } from '@dlmigrate/core';
import type { MigrationRecord } from '@dlmigrate/state';
import type { Command } from 'commander';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';
import { findingLine } from '../../output/finding.js';

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
        const { batchStatus, listMigrationStatus, migrationStatus } = await import('@dlmigrate/core');
        const store = await openState(config);
        try {
          if (options.csv !== undefined) {
            const migrations = await listMigrationStatus(store, options.batch);
            if (migrations === null) throw noBatch(options.batch!);
            const [{ writeCsvFile }, { STATUS_COLUMNS }] = await Promise.all([
              import('../../csv/write.js'),
              import('../../csv/tables.js'),
            ]);
            const file = writeCsvFile(options.csv, context.io.cwd, STATUS_COLUMNS, migrations);
            context.output.line(`CSV: ${file}`);
          }
          if (options.batch !== undefined) {
            const batch = await batchStatus(store, options.batch);
            if (batch === null) throw noBatch(options.batch);
            showBatch(context, batch);
          } else if (id === undefined) showMigrations(context, (await listMigrationStatus(store))!);
          else {
            const detail = await migrationStatus(store, id);
            if (detail === null)
              throw new UsageError(`There is no migration ${id}.`, [
                'dlmigrate status lists the migrations in this state store',
              ]);
            showMigration(context, detail);
          }
        } finally {
          await store.close();
        }
      },
    ),
  );
}

function noBatch(batchId: string): UsageError {
  return new UsageError(`There is no batch ${batchId}.`, [
    'dlmigrate status lists the migrations, with the batch each belongs to',
  ]);
}

function showMigrations({ output }: CommandContext, migrations: readonly MigrationRecord[]): void {
  output.json({ ok: true, migrations });
  if (migrations.length === 0) output.line('No migrations yet.');
  for (const m of migrations) {
    output.status(
      migrationStatusMark(m.status),
      `${m.id}  ${m.group.address}`,
      `${m.status}${m.currentStep ? ` at ${m.currentStep}` : ''} · ${m.updatedAt}`,
    );
  }
}

function showMigration(
  { output }: CommandContext,
  { migration, journal, findings }: MigrationStatusDetail,
): void {
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
}

/** A batch level by level: the level's phase and counts, then each of its groups with its status. */
function showBatch({ output }: CommandContext, batch: BatchStatusView): void {
  const { batchId, status, levels } = batch;
  output.json({ ok: true, batchId, status, levels });
  output.line(`Batch ${batchId}: ${status} · ${batch.groupCount} group(s) in ${levels.length} level(s)`);
  for (const level of levels) {
    const counts = Object.entries(level.byStatus)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ');
    output.line(`level ${level.level}  ${level.phase}  ${counts}`);
    for (const g of level.groups) {
      output.status(
        migrationStatusMark(g.status),
        `  ${g.address}`,
        `${g.status}${g.currentStep && !g.status.startsWith('completed') ? ` at ${g.currentStep}` : ''} · ${g.migrationId}`,
      );
    }
  }
}
