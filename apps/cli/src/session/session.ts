// One engine session for a command: config, secrets, run log, engine — opened together, closed together.
import { InvalidOptionsError } from '@dlmigrate/core';
import { CertificateError } from '@dlmigrate/exo';
import { continueCommand, GroupHasOpenMigrationError } from '@dlmigrate/state';
import { requireSections } from '../config/load.js';
import type { AdConfig, DlmigrateConfig, TenantConfig } from '../config/schema.js';
import type { CommandContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { newRunId, openRunLog, type RunLog } from '../logging/run-log.js';
import { engineSecrets, type SecretFlags } from './run.js';
import { openEngine, type OpenedEngine } from './open-engine.js';

export interface Session {
  readonly config: DlmigrateConfig & { ad: AdConfig; tenant: TenantConfig };
  readonly opened: OpenedEngine;
  readonly log: RunLog;
}

export async function withSession<T>(
  context: CommandContext,
  kind: string,
  flags: SecretFlags,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const config = requireSections(context.loadConfig(), ['ad', 'tenant']);
  const secrets = await engineSecrets(context, config, flags);
  const log = openRunLog({
    folder: config.state.folder,
    runId: `${kind}-${newRunId()}`,
    verbose: context.verbose,
    redactor: context.redactor,
  });
  context.output.debug(`run log: ${log.file}`);
  try {
    const opened = await openEngine(config, secrets, {
      onWarning: (message) => context.output.warn(message),
      // What the sync trigger ran and what it printed (Start-ADSyncSyncCycle's output) goes to the run log.
      syncHooks: {
        onLog: (entry) => log.logger.info({ sync: entry }, `sync trigger ${entry.kind}: ${entry.outcome}`),
        onWarning: (message) => context.output.warn(message),
      },
    }).catch((error: unknown) => {
      // A certificate that cannot be read or does not fit its key is bad input, found before anything ran.
      if (error instanceof CertificateError) {
        throw new UsageError(`${error.message}; nothing was changed.`, [
          'check tenant.certificate (dlmigrate doctor checks it, dlmigrate auth init creates one)',
        ]);
      }
      throw error;
    });
    try {
      return await work({ config, opened, log });
    } catch (error) {
      // Invalid options are bad input: every problem listed, nothing changed.
      if (error instanceof InvalidOptionsError) {
        throw new UsageError(
          'The migration options are not valid; nothing was changed.',
          error.findings.map((f) => `${f.subject}: ${f.message}`),
        );
      }
      // A second run of a group with an open migration changes nothing: it points to the open one.
      if (error instanceof GroupHasOpenMigrationError) {
        log.logger.warn({ openMigrationId: error.openMigrationId, code: error.code }, 'refused');
        throw new CliError(
          `${error.groupAddress} already has an open migration${error.openMigrationId === null ? '' : ` ${error.openMigrationId}`}${error.openBatchId === null ? '' : ` of batch ${error.openBatchId}`}; nothing was changed.`,
          ExitCode.Blocked,
          [
            error.openMigrationId === null
              ? 'see dlmigrate status'
              : `continue it with: ${continueCommand(error.openMigrationId, error.openBatchId)}`,
          ],
        );
      }
      log.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'failed');
      throw error;
    } finally {
      await opened.close();
    }
  } finally {
    log.close();
  }
}
