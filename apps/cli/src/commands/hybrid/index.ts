// `dlmigrate hybrid enable|update-address`: hybrid mail flow of groups already in Exchange Online.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import { distinguishedName } from '../../config/values.js';
import { parseGroupAddresses } from '../../session/address.js';
import type { SecretFlags } from '../../session/index.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';

interface EnableOptions extends SecretFlags {
  ou: string;
}

interface UpdateOptions extends SecretFlags {
  newAddress?: string;
  newAlias?: string;
  resume?: string;
}

export function registerHybridCommands(program: Command, state: ProgramState): void {
  const hybrid = program
    .command('hybrid')
    .description('hybrid mail flow for groups that already live in Exchange Online');

  const enable = hybrid
    .command('enable')
    .description(
      "create or repair the on-premises routing contact and dynamic group that keep a cloud DL's addresses routable",
    )
    .argument('<group>', "the cloud DL's primary SMTP address")
    .requiredOption('--ou <dn>', 'OU for the contact and the dynamic group when they do not exist yet')
    .addHelpText(
      'after',
      [
        '',
        'Idempotent: existing objects are reused and completed.',
        '',
        'Examples:',
        '  $ dlmigrate hybrid enable sales@contoso.com --ou "OU=Groups,DC=contoso,DC=com"',
        '  $ dlmigrate hybrid enable sales@contoso.com --ou "OU=Groups,DC=contoso,DC=com" --custom-routing-domain contoso.mail.onmicrosoft.com',
      ].join('\n'),
    )
    .option(
      '--custom-routing-domain <domain>',
      "routing domain instead of the tenant's *.mail.onmicrosoft.com",
    );
  addPasswordFlags(addSettingFlags(enable, SETTINGS)).action(
    commandAction(
      state,
      async (context, group: string, options: EnableOptions & { customRoutingDomain?: string }) => {
        const [address] = parseGroupAddresses([group]);
        if (!distinguishedName.safeParse(options.ou).success)
          throw new UsageError(`--ou "${options.ou}" is not a distinguished name; nothing was changed.`);
        const engine = await import('../../session/index.js');
        state.exitCode = await engine.withSession(context, 'hybrid-enable', options, async (session) => {
          const routing =
            options.customRoutingDomain ??
            session.config.migration.customRoutingDomain ??
            session.config.tenant.routingDomain;
          const { StopRequested } = await import('@dlmigrate/core');
          let result;
          try {
            result = await engine.withStopSignals(context, (signal) =>
              session.opened.engine.enableHybridMailFlow({
                address: address!,
                ou: options.ou,
                ...(routing !== undefined ? { customRoutingDomain: routing } : {}),
                signal,
              }),
            );
          } catch (error) {
            if (!(error instanceof StopRequested)) throw error;
            // Not journaled: enable looks every part up first, so running it again finishes what this run began.
            context.output.json({ ok: false, stopped: error.reason, address });
            context.output.line(
              `Stopped (${error.reason}) after the call in flight. Continue with: dlmigrate hybrid enable ${address} --ou "${options.ou}"`,
            );
            return ExitCode.Interrupted;
          }
          session.log.logger.info(result, 'hybrid enable');
          context.output.json({ ok: true, ...result });
          context.output.status(
            result.created.contact ? 'ok' : 'skip',
            'routing contact',
            `${result.contactDn}${result.created.contact ? ' (created)' : ' (present)'}`,
          );
          context.output.status(
            result.created.dynamicGroup ? 'ok' : 'skip',
            'dynamic group',
            `${result.dynamicGroupDn}${result.created.dynamicGroup ? ' (created)' : ' (present)'}`,
          );
          context.output.status(
            result.created.routingAddress ? 'ok' : 'skip',
            'routing address',
            `${result.routingAddress}${result.created.routingAddress ? ' (added)' : ' (present)'}`,
          );
          return ExitCode.Succeeded;
        });
      },
    ),
  );

  const update = hybrid
    .command('update-address')
    .description(
      'give a DL migrated with hybrid mail flow a new primary address (and alias), cloud and on-premises',
    )
    .argument('[group]', "the DL's current primary SMTP address")
    .option('--new-address <address>', 'the new primary SMTP address')
    .option('--new-alias <alias>', 'the new alias (mailNickname)')
    .option('--resume <operationId>', 'finish an interrupted address update')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ dlmigrate hybrid update-address sales@contoso.com --new-address sales-team@contoso.com --new-alias sales-team',
        '  $ dlmigrate hybrid update-address --resume 01JDQ6Z8M4',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(update, SETTINGS)).action(
    commandAction(state, async (context, group: string | undefined, options: UpdateOptions) => {
      if (options.resume === undefined) {
        if (group === undefined || options.newAddress === undefined)
          throw new UsageError('Give the group and --new-address (or --resume <operationId>).');
        parseGroupAddresses([group, options.newAddress]);
        if (
          options.newAlias !== undefined &&
          !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/.test(options.newAlias)
        ) {
          throw new UsageError(
            `--new-alias "${options.newAlias}" is not a valid alias (letters, digits and . - _ …, at most 64); nothing was changed.`,
          );
        }
      }
      const engine = await import('../../session/index.js');
      state.exitCode = await engine.withSession(
        context,
        'hybrid-update-address',
        options,
        async (session) => {
          const outcome = await engine.withStopSignals(context, (signal) => {
            const run = { onEvent: engine.eventPrinter(context, session.log.logger), signal };
            return options.resume !== undefined
              ? session.opened.engine.resumeAddressUpdate(options.resume, run)
              : session.opened.engine.updateHybridAddress(
                  group!.trim(),
                  options.newAddress!.trim(),
                  options.newAlias,
                  run,
                );
          });
          session.log.logger.info(outcome, 'hybrid update-address');
          context.output.json({ ok: outcome.status === 'completed', ...outcome });
          context.output.line(
            `Address update ${outcome.operationId}: ${outcome.status}${outcome.error ? ` — ${outcome.error}` : ''}`,
          );
          if (outcome.status !== 'completed')
            context.output.line(
              `${outcome.stopped === undefined ? '' : `Stopped (${outcome.stopped}); the journal is written. `}Continue with: dlmigrate hybrid update-address --resume ${outcome.operationId}`,
            );
          if (outcome.stopped !== undefined) return ExitCode.Interrupted;
          return outcome.status === 'completed' ? ExitCode.Succeeded : ExitCode.Failed;
        },
      );
    }),
  );
}
