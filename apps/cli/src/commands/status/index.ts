// `dlmigrate status [id]`: what the state store knows — all migrations, or one with its steps.
import type { Command } from 'commander';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import { createContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ProgramState } from '../../program.js';
import type { Status } from '../../output/output.js';

const STATUS_SYMBOL: Record<string, Status> = {
  completed: 'ok',
  completed_with_warnings: 'warn',
  failed: 'fail',
  blocked: 'fail',
  rolled_back: 'warn',
};

export function registerStatusCommand(program: Command, state: ProgramState): void {
  const status = program
    .command('status')
    .description('show the migrations in the state store, or one migration step by step')
    .argument('[id]', 'migration id')
    .addHelpText('after', ['', 'Examples:', '  $ dlmigrate status', '  $ dlmigrate status 01JDQ6Z8M4 --json'].join('\n'));
  addSettingFlags(status, SETTINGS).action(async (id: string | undefined, _options: unknown, command: Command) => {
    const context = createContext(command, state.io, state.redactor);
    const { config } = context.loadConfig();
    // Loaded on demand, like every engine module: --help and auth init stay fast.
    const { openState } = await import('../../engine/open-engine.js');
    const store = await openState(config);
    const { output } = context;
    try {
      if (id === undefined) {
        const migrations = await store.listMigrations();
        output.json({ ok: true, migrations });
        if (migrations.length === 0) output.line('No migrations yet.');
        for (const m of migrations) {
          output.status(STATUS_SYMBOL[m.status] ?? 'info', `${m.id}  ${m.group.address}`, `${m.status}${m.currentStep ? ` at ${m.currentStep}` : ''} · ${m.updatedAt}`);
        }
        return;
      }
      const migration = await store.getMigration(id);
      if (migration === null) throw new UsageError(`There is no migration ${id}.`, ['dlmigrate status lists the migrations in this state store']);
      const journal = await store.listJournal(id);
      const errors = await store.listErrors(id);
      output.json({ ok: true, migration, journal, errors });
      output.line(`${migration.id}  ${migration.group.address}  ${migration.status}${migration.batchId ? `  (batch ${migration.batchId}, level ${migration.batchLevel})` : ''}`);
      for (const entry of journal) output.status(entry.event === 'completed' ? 'ok' : entry.event === 'failed' ? 'fail' : 'info', `${entry.step} ${entry.event}`, entry.at);
      for (const e of errors) output.status(e.severity === 'blocking' ? 'fail' : e.severity === 'needs-action' ? 'warn' : 'info', `${e.code}  ${e.target ?? ''}`, e.message);
    } finally {
      await store.close();
    }
  });
}
