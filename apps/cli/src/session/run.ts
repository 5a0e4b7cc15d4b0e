// What migrate and resume share: reading the secrets, showing the steps as they happen, logging them,
// and turning the outcome into output, an optional HTML report and an exit code.
import type { MigrationEvent, MigrationOutcome } from '@dlmigrate/core';
import type { MigrationStatus } from '@dlmigrate/state';
import { isAbsolute, resolve } from 'node:path';
import type { Logger } from 'pino';
import { passwordFromFlag, readSecret, secretIfGiven } from '../config/secrets.js';
import type { DlmigrateConfig } from '../config/schema.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { writeOwnerOnly } from '../output/owner-only-file.js';
import { severityStatus } from '../output/finding.js';
import type { Status } from '../output/output.js';
import { renderReportHtml } from '../report/html.js';
import type { EngineSecrets } from './open-engine.js';

export interface SecretFlags {
  adPassword?: string;
  insecurePasswordFlag?: boolean;
}

export async function engineSecrets(
  context: CommandContext,
  config: DlmigrateConfig,
  flags: SecretFlags,
): Promise<EngineSecrets> {
  const base = {
    env: context.io.env,
    interactive: context.interactive,
    prompt: context.io.prompt,
    redactor: context.redactor,
  };
  const adPassword =
    passwordFromFlag(flags, context.output, context.redactor) ?? (await readSecret('adPassword', base));
  const pfxPassphrase =
    config.tenant?.certificate.pfxFile === undefined ? undefined : await readSecret('pfxPassphrase', base);
  const sshKeyPassphrase = config.sync.kind === 'ssh' ? secretIfGiven('sshKeyPassphrase', base) : undefined;
  return { adPassword, pfxPassphrase, sshKeyPassphrase };
}

const EVENT_STATUS: Partial<Record<MigrationEvent['event'], Status>> = {
  completed: 'ok',
  skipped: 'skip',
  failed: 'fail',
  suspended: 'warn',
  undone: 'warn',
  'undo-failed': 'fail',
};

/** One line per finished step (a started step is only logged: the next line says how it ended). */
export function eventPrinter(context: CommandContext, logger: Logger): (event: MigrationEvent) => void {
  return (event) => {
    logger.info(
      {
        migrationId: event.migrationId,
        group: event.address,
        step: event.step,
        event: event.event,
        error: event.error,
      },
      `${event.step} ${event.event}`,
    );
    const status = EVENT_STATUS[event.event];
    if (status === undefined) {
      context.output.debug(`${event.address}: ${event.step} ${event.event}`);
      return;
    }
    context.output.status(
      status,
      `${event.address}  ${event.step}`,
      event.error ?? (event.event === 'completed' ? '' : event.event),
    );
  };
}

function exitCodeFor(status: MigrationStatus): ExitCode {
  switch (status) {
    case 'completed':
      return ExitCode.Succeeded;
    case 'completed_with_warnings':
      return ExitCode.CompletedWithWarnings;
    case 'blocked':
      return ExitCode.Blocked;
    default:
      // failed, rolled back, or left parked/running for an operator: not done.
      return ExitCode.Failed;
  }
}

export function finishOutcome(
  context: CommandContext,
  outcome: MigrationOutcome,
  htmlOption: string | undefined,
  logger: Logger,
): ExitCode {
  const { output } = context;
  const report = outcome.report;
  let html: string | undefined;
  if (htmlOption !== undefined) {
    html = isAbsolute(htmlOption) ? htmlOption : resolve(context.io.cwd, htmlOption);
    writeOwnerOnly(html, renderReportHtml(report));
  }
  logger.info(
    {
      migrationId: outcome.migrationId,
      status: outcome.status,
      step: outcome.step,
      findings: report.findings.map((f) => f.code),
    },
    'finished',
  );
  output.json({
    ok: outcome.status === 'completed' || outcome.status === 'completed_with_warnings',
    migrationId: outcome.migrationId,
    status: outcome.status,
    step: outcome.step ?? null,
    error: outcome.error ?? null,
    stopped: outcome.stopped ?? null,
    report,
    html: html ?? null,
  });
  output.line();
  output.line(
    `Migration ${outcome.migrationId} of ${report.group.address}: ${outcome.status.replaceAll('_', ' ')}${outcome.step ? ` (at ${outcome.step})` : ''}`,
  );
  if (outcome.error) output.line(`  ${outcome.error}`);
  if (report.verification !== undefined) output.line(`  ${report.verification.summary}`);
  for (const f of report.findings) {
    output.status(severityStatus(f.severity), `${f.code}  ${f.subject}`, `${f.message} — ${f.action}`);
  }
  if (html !== undefined) output.line(`HTML report: ${html}`);
  if (outcome.stopped !== undefined) {
    output.line(
      `Stopped (${outcome.stopped}); the journal is written. Continue with: dlmigrate resume ${outcome.migrationId}`,
    );
    return ExitCode.Interrupted;
  }
  if (outcome.status === 'failed' || outcome.status === 'parked' || outcome.status === 'running') {
    output.line(`Fix the cause, then: dlmigrate resume ${outcome.migrationId}`);
  } else if (outcome.status === 'undo_failed') {
    output.line(
      `The undo did not finish; the group still holds changes. Fix the cause, then: dlmigrate resume ${outcome.migrationId} (it retries the undo)`,
    );
  } else if (outcome.status === 'rolled_back') {
    output.line(
      `Everything was undone. Fix the cause, then start again: dlmigrate migrate ${report.group.address}`,
    );
  }
  return exitCodeFor(outcome.status);
}

/**
 * Runs `work` with a signal that aborts on the first Ctrl-C (SIGINT) or SIGTERM: the engine finishes the call in
 * flight (or abandons a wait), journals, and returns an outcome with `stopped` set. A second signal ends the process
 * at once the default way (the journal is durable after every step, so resume still works).
 */
export async function withStopSignals<T>(
  context: CommandContext,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.kill(process.pid, name);
      return;
    }
    context.output.warn(
      `${name}: stopping after the call in flight (${name === 'SIGINT' ? 'Ctrl-C' : name} again to quit at once; resume continues either way)`,
    );
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
