// `dlmigrate lab up|down|reset`: the local lab — a Samba AD DC with the contoso fixture and the
// simulated Microsoft 365 tenant syncing from it — plus a ready config for both.
import type { Command } from 'commander';
import { isAbsolute, join, resolve } from 'node:path';
import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { loadLabEnvironment } from '../../lab/extras.js';
import type { LabUp } from '../../lab/lab-environment.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';
import { renderReportHtml } from '../../report/html.js';
import { writeOwnerOnly } from '../../output/owner-only-file.js';

interface LabOptions {
  name: string;
}

const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function registerLabCommands(program: Command, state: ProgramState): void {
  const lab = program
    .command('lab')
    .description(
      'the local lab: a Samba AD DC with a fixture and a simulated Microsoft 365 tenant syncing from it',
    );

  const withName = (command: Command) =>
    command.option(
      '--name <name>',
      'lab instance (lower-case letters, digits, dashes); "default" listens on 127.0.0.1',
      'default',
    );

  withName(lab.command('up'))
    .description(
      'start (creating on first use) the lab and the simulated tenant, and write a config for them',
    )
    .addHelpText(
      'after',
      [
        '',
        'Needs root (Samba AD DC) and Debian; the first run installs Samba and provisions the domain (about a minute).',
        "Writes .lab/<name>/dlmigrate.config.json and an owner-only file with the lab's AD password.",
        '',
        'Examples:',
        '  $ dlmigrate lab up',
        '  $ dlmigrate lab up --name demo --json',
      ].join('\n'),
    )
    .action(
      commandAction(state, async (context, options: LabOptions) => {
        const { labUp } = await loadLabEnvironment();
        const up = await labUp(labName(options));
        context.redactor.add(up.cloud.caPem);
        printUp(context, up, 'up');
      }),
    );

  withName(lab.command('down'))
    .description('stop the simulated tenant and the Samba DC (by their PIDs); the lab and its data stay')
    .addHelpText(
      'after',
      ['', 'Examples:', '  $ dlmigrate lab down', '  $ dlmigrate lab down --name demo'].join('\n'),
    )
    .action(
      commandAction(state, async (context, options: LabOptions) => {
        const { labDown } = await loadLabEnvironment();
        const name = labName(options);
        const down = await labDown(name);
        context.output.json({
          ok: true,
          name,
          cloudSimPid: down.cloudSimPid ?? null,
          labStopped: down.labStopped,
        });
        context.output.status(
          down.cloudSimPid === undefined ? 'skip' : 'ok',
          'simulated tenant stopped',
          down.cloudSimPid === undefined ? 'was not running' : `pid ${down.cloudSimPid}`,
        );
        context.output.status(
          down.labStopped ? 'ok' : 'skip',
          `lab ${name} stopped`,
          down.labStopped ? '' : 'no such lab',
        );
      }),
    );

  registerDemo(lab, withName, state);

  withName(lab.command('reset'))
    .description(
      'put the directory back to its freshly seeded state and start a fresh simulated tenant synced from it',
    )
    .addHelpText(
      'after',
      ['', 'Examples:', '  $ dlmigrate lab reset', '  $ dlmigrate lab reset --name demo --json'].join('\n'),
    )
    .action(
      commandAction(state, async (context, options: LabOptions) => {
        const { labReset } = await loadLabEnvironment();
        const up = await labReset(labName(options));
        printUp(context, up, 'reset');
      }),
    );
}

interface DemoOptions extends LabOptions {
  html?: string;
}

function registerDemo(lab: Command, withName: (command: Command) => Command, state: ProgramState): void {
  withName(lab.command('demo'))
    .description(
      'the main job, end to end: a fresh lab, then a batch of its groups migrated with progress and a report',
    )
    .option('--html <file>', 'where to write the HTML report (default: in the lab folder)')
    .addHelpText(
      'after',
      [
        '',
        'Resets the lab to its freshly seeded state first (or creates it), then migrates eleven groups of the contoso',
        'fixture in one batch — children first, one sync per level — and writes the batch report as HTML.',
        '',
        'Examples:',
        '  $ dlmigrate lab demo',
        '  $ dlmigrate lab demo --name demo --html demo.html',
      ].join('\n'),
    )
    .action(
      commandAction(state, async (context, options: DemoOptions) => {
        const name = labName(options);
        const { labFresh, DEMO_GROUP_KEYS } = await loadLabEnvironment();
        const engine = await import('../../session/index.js');
        const { loadConfig } = await import('../../config/load.js');
        context.output.line(`Preparing lab ${name} (fresh directory and tenant)…`);
        const up = await labFresh(name);
        printUp(context, up, 'reset', false);
        const env = { ...context.io.env, DLMIGRATE_AD_PASSWORD_FILE: up.files.adPassword };
        // The demo runs on the lab's own config, whatever config or flags the caller has around.
        const demoContext: CommandContext = {
          ...context,
          io: { ...context.io, env },
          loadConfig: () =>
            loadConfig({
              cwd: context.io.cwd,
              configFile: up.files.config,
              env: {},
              flags: {},
              flagGiven: () => false,
            }),
        };
        const groups = DEMO_GROUP_KEYS.map((key) => up.groups.find((g) => g.key === key)?.mail).filter(
          (m): m is string => m !== undefined,
        );
        context.output.line();
        context.output.line(`Migrating ${groups.length} groups in one batch: ${groups.join(', ')}`);
        state.exitCode = await engine.withSession(demoContext, 'demo', {}, async (session) => {
          const outcome = await engine.runBatchCommand(demoContext, session, { kind: 'start', groups });
          const report = await session.opened.engine.batchReport(outcome);
          const html =
            options.html === undefined
              ? join(up.files.folder, 'demo-report.html')
              : isAbsolute(options.html)
                ? options.html
                : resolve(context.io.cwd, options.html);
          writeOwnerOnly(html, renderReportHtml(report));
          context.output.json({
            ok: outcome.status === 'completed',
            batchId: outcome.batchId,
            status: outcome.status,
            groups: outcome.groups,
            html,
          });
          context.output.line();
          context.output.line(`Batch ${outcome.batchId}: ${outcome.status.replaceAll('_', ' ')}`);
          for (const level of report.levels) {
            context.output.line(
              `  level ${level.level}: ${level.groups.map((g) => `${g.address} (${g.status.replaceAll('_', ' ')})`).join(', ')}`,
            );
          }
          context.output.line(`Report: ${html}`);
          context.output.line(
            `Look around: DLMIGRATE_CONFIG=${up.files.config} DLMIGRATE_AD_PASSWORD_FILE=${up.files.adPassword} dlmigrate status`,
          );
          return engine.batchExitCode(outcome);
        });
      }),
    );
}

function labName(options: LabOptions): string {
  if (!LAB_NAME.test(options.name)) {
    throw new UsageError(`Invalid lab name "${options.name}"; nothing was changed.`, [
      'use 1-31 lower-case letters, digits and dashes, starting with a letter or digit',
    ]);
  }
  return options.name;
}

function printUp(context: CommandContext, up: LabUp, verb: 'up' | 'reset', asDocument = true): void {
  const { output } = context;
  // lab demo prints one JSON document of its own at the end; only the text goes out here.
  if (asDocument)
    output.json({
      ok: true,
      name: up.name,
      ldapsUrl: up.ldapsUrl,
      cloudSim: { url: up.cloud.url, pid: up.cloud.pid },
      tenantId: up.tenantId,
      clientId: up.clientId,
      synced: up.synced,
      groups: up.groups,
      config: up.files.config,
      adPasswordFile: up.files.adPassword,
    });
  output.status('ok', `lab ${up.name} ${verb === 'up' ? 'is up' : 'was reset'}`, up.ldapsUrl);
  output.status(
    'ok',
    'simulated tenant',
    `${up.cloud.url} (pid ${up.cloud.pid}), ${up.synced} objects synced`,
  );
  output.status('ok', 'config written', up.files.config);
  output.line();
  output.line('Use it:');
  output.line(`  export DLMIGRATE_CONFIG=${up.files.config}`);
  output.line(`  export DLMIGRATE_AD_PASSWORD_FILE=${up.files.adPassword}`);
  output.line('  dlmigrate doctor');
  output.line();
  output.line(
    `Groups of the fixture (${up.groups.length}): ${up.groups
      .slice(0, 6)
      .map((g) => g.mail)
      .join(', ')}${up.groups.length > 6 ? ', …' : ''}`,
  );
  output.line(`Stop it with: dlmigrate lab down${up.name === 'default' ? '' : ` --name ${up.name}`}`);
}
