// `dlmigrate collect permissions`: read the rights trustees hold on mailboxes (FullAccess, Send-As, send-on-behalf, and
// with --folders the folder rights on each mailbox's root, Inbox and Calendar) into the state store, so migrations
// carry over the rights their group holds (Exchange has no "held by" query for most of them). The on-premises
// FullAccess and Send-As of each mail user are read from the directory's security descriptors in the same pass.
// Resumable: an interrupted collection continues with the mailboxes it had not read yet.
import type { Command } from 'commander';
import type { PermissionRecord } from '@dlmigrate/state';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import { parseGroupAddresses } from '../../session/address.js';
import { readGroupFile } from '../../session/group-file.js';
import type { SecretFlags } from '../../session/index.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { ProgramState } from '../../program.js';
import { sessionAction } from '../shared.js';

interface CollectOptions extends SecretFlags {
  mailboxes?: string;
  concurrency?: string;
  restart?: boolean;
  folders?: boolean;
  csv?: string;
}

/** The columns of `collect permissions --csv` (documented: never renamed). */
const PERMISSION_COLUMNS = [
  { header: 'Mailbox', value: (p: PermissionRecord) => p.mailbox },
  { header: 'Right', value: (p: PermissionRecord) => p.kind },
  { header: 'Folder', value: (p: PermissionRecord) => p.folder },
  { header: 'Trustee', value: (p: PermissionRecord) => p.trustee },
  { header: 'TrusteeSid', value: (p: PermissionRecord) => p.trusteeSid },
  { header: 'AccessRights', value: (p: PermissionRecord) => p.accessRights.join(';') },
  { header: 'CollectedAt', value: (p: PermissionRecord) => p.collectedAt },
] as const;

export function registerCollectCommand(program: Command, state: ProgramState): void {
  const collect = program.command('collect').description('read tenant-wide facts migrations use later');
  const permissions = collect
    .command('permissions')
    .description(
      'read FullAccess, Send-As, send-on-behalf and (--folders) folder rights on mailboxes, and on-premises FullAccess and Send-As from the directory, into the state store (migrations carry the rights their group holds)',
    )
    .option('--mailboxes <file>', 'only these mailboxes (one address a line); default: every mailbox')
    .option('--concurrency <n>', 'mailboxes read at the same time (1–16)', '4')
    .option(
      '--folders',
      'also read folder rights on each mailbox root, Inbox and Calendar (three reads more a mailbox)',
    )
    .option('--restart', 'start a new pass even though the last one was interrupted')
    .option('--csv <file>', 'also write every collected right as CSV (mode 0600)')
    .addHelpText(
      'after',
      [
        '',
        'An interrupted collection continues where it stopped when run again (unless --restart). Migrations warn when',
        'the collection is older than migration.permissionsMaxAgeHours. A mailbox read without --folders keeps no folder',
        'rights: give --folders again when resuming a pass that had it. On-premises rights (FullAccess in',
        "msExchMailboxSecurityDescriptor, Send-As in each user's nTSecurityDescriptor) name their trustee by SID.",
        '',
        'Examples:',
        '  $ dlmigrate collect permissions',
        '  $ dlmigrate collect permissions --mailboxes shared-mailboxes.txt --folders --csv rights.csv',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(permissions, SETTINGS)).action(
    sessionAction(state, 'collect-permissions', async ({ context, session }, options: CollectOptions) => {
      const concurrency = Number(options.concurrency ?? '4');
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
        throw new UsageError(
          `--concurrency must be a whole number from 1 to 16, got ${options.concurrency}.`,
        );
      const scope =
        options.mailboxes === undefined
          ? undefined
          : parseGroupAddresses(
              readGroupFile(options.mailboxes, context.io.cwd)
                .split(/\r?\n/)
                .map((l) => l.trim())
                .filter((l) => l !== '' && !l.startsWith('#')),
            );
      const { collectPermissions } = await import('@dlmigrate/core');
      const { ad, exchange, state: store } = session.opened.deps;
      const result = await collectPermissions(exchange, store, {
        directory: ad,
        ...(scope === undefined ? {} : { scope }),
        concurrency,
        ...(options.folders === true ? { folders: true } : {}),
        ...(options.restart === true ? { restart: true } : {}),
        onProgress: (done, total) => context.output.debug(`permissions: ${done}/${total} mailboxes`),
      });
      session.log.logger.info(result, 'collect permissions');
      let csv: string | undefined;
      if (options.csv !== undefined) {
        const { writeCsvFile } = await import('../../csv/write.js');
        csv = writeCsvFile(options.csv, context.io.cwd, PERMISSION_COLUMNS, await store.listPermissions());
      }
      context.output.json({ ok: true, ...result, ...(csv === undefined ? {} : { csv }) });
      context.output.line(
        `Permissions: ${result.scanned} mailboxes read${result.resumed ? ' (an interrupted pass finished)' : ''}; ` +
          `${result.mailboxes} in the collection, ${result.rights} rights, oldest read ${result.oldestScan ?? 'never'}`,
      );
      if (csv !== undefined) context.output.line(`CSV: ${csv}`);
      return ExitCode.Succeeded;
    }),
  );
}
