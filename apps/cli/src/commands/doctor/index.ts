// `dlmigrate doctor`: checks the configuration end to end before anything runs.
import type { Command } from 'commander';
import {
  addPasswordFlags,
  passwordFromFlag,
  readSecret,
  SECRETS,
  secretIfGiven,
  type SecretName,
} from '../../config/secrets.js';
import { addSettingFlags } from '../../config/settings.js';
import type { CommandContext } from '../../context.js';
import { ExitCode } from '../../exit-codes.js';
import { newRunId, openRunLog, type RunLog } from '../../logging/run-log.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';
import {
  checkCertificate,
  checkDirectoryTls,
  checkFilePermissions,
  checkStateFolder,
  checkSyncTrigger,
  checkTlsVerificationSetting,
  EXPIRY_WARNING_DAYS,
  type CheckResult,
} from './checks.js';

export function registerDoctorCommand(program: Command, state: ProgramState): void {
  const doctor = program
    .command('doctor')
    .description('check the configuration end to end before anything runs (changes nothing)')
    .addHelpText(
      'after',
      [
        '',
        `Each check prints ok, warn or fail and what to fix. The app certificate warns ${EXPIRY_WARNING_DAYS} days before it expires.`,
        'Exit code 0 = all ok, 4 = warnings only, 1 = at least one check failed, 2 = invalid configuration.',
        '',
        'Examples:',
        '  $ dlmigrate doctor',
        '  $ dlmigrate doctor --config /etc/dlmigrate/dlmigrate.config.yaml --json',
        '  $ DLMIGRATE_AD_URL=ldaps://dc2.contoso.com:636 dlmigrate doctor --ad-ca-file ./contoso-ca.pem',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(doctor)).action(
    commandAction(state, async (context, options: DoctorOptions) => {
      state.exitCode = await runDoctor(context, passwordFromFlag(options, context.output, context.redactor));
    }),
  );
}

interface DoctorOptions {
  adPassword?: string;
  insecurePasswordFlag?: boolean;
}

async function runDoctor(context: CommandContext, adPasswordFlag: string | undefined): Promise<ExitCode> {
  const loaded = context.loadConfig();
  const { config } = loaded;
  const { output } = context;
  const results: CheckResult[] = [];
  let log: RunLog | undefined;
  const record = (check: CheckResult | undefined) => {
    if (check === undefined) return;
    results.push(check);
    log?.logger.info({ check }, `${check.id}: ${check.status}`);
    output.status(
      check.status,
      check.title,
      check.status === 'ok' ? check.detail : `${check.detail} — ${check.fix ?? ''}`,
    );
  };

  output.line(`Configuration: ${loaded.file ?? 'no config file (environment and flags only)'}`);
  const stateCheck = checkStateFolder(config);
  if (stateCheck.status === 'ok') {
    log = openRunLog({
      folder: config.state.folder,
      runId: `doctor-${newRunId()}`,
      verbose: context.verbose,
      redactor: context.redactor,
    });
    output.debug(`run log: ${log.file}`);
  }
  try {
    record(stateCheck);
    record(checkFilePermissions(config));
    if (config.ad === undefined) {
      record({
        id: 'ad',
        title: 'Active Directory is configured',
        status: 'fail',
        detail: 'no ad section',
        fix: 'set ad.url and ad.bindDn',
      });
    } else {
      record(checkTlsVerificationSetting(config.ad));
      record(await checkDirectoryTls(config.ad, 'url'));
      if (config.ad.gcUrl !== undefined) record(await checkDirectoryTls(config.ad, 'gcUrl'));
      const password = adPasswordFlag ?? (await optionalSecret(context, 'adPassword'));
      // Loaded on demand: the LDAP client is only needed here.
      const { checkDirectory } = await import('./directory-checks.js');
      for (const check of await checkDirectory(config.ad, password)) record(check);
    }
    if (config.tenant === undefined) {
      record({
        id: 'tenant',
        title: 'tenant is configured',
        status: 'fail',
        detail: 'no tenant section',
        fix: 'set tenant.tenantId, tenant.clientId and tenant.certificate (dlmigrate auth init)',
      });
    } else {
      const passphrase =
        config.tenant.certificate.pfxFile === undefined
          ? undefined
          : await optionalSecret(context, 'pfxPassphrase');
      const cert = checkCertificate(config.tenant, passphrase, new Date());
      record(cert.files);
      record(cert.expiry);
      if (cert.files.status === 'ok' && cert.expiry?.status !== 'fail') {
        const { checkCloud } = await import('./cloud-checks.js');
        for (const check of await checkCloud({ ...config, tenant: config.tenant }, passphrase)) record(check);
      }
    }
    if (config.sync.kind === 'ssh') {
      const { checkSshTrigger } = await import('./ssh-check.js');
      const passphrase = secretIfGiven('sshKeyPassphrase', {
        env: context.io.env,
        redactor: context.redactor,
      });
      record(await checkSshTrigger(config.sync, passphrase, (message) => output.warn(message)));
    } else {
      record(await checkSyncTrigger(config.sync, context.io.env));
    }
  } finally {
    log?.close();
  }

  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  const exitCode =
    failed > 0 ? ExitCode.Failed : warned > 0 ? ExitCode.CompletedWithWarnings : ExitCode.Succeeded;
  output.json({
    ok: failed === 0,
    exitCode,
    configFile: loaded.file ?? null,
    checks: results,
    log: log?.file ?? null,
  });
  output.line();
  output.line(
    failed > 0
      ? `${failed} check(s) failed, ${warned} warning(s).`
      : warned > 0
        ? `All checks passed with ${warned} warning(s).`
        : 'All checks passed.',
  );
  return exitCode;
}

/** A secret for a check: undefined (the check then fails and says how to provide it) rather than an abort. */
async function optionalSecret(context: CommandContext, name: SecretName): Promise<string | undefined> {
  const { env } = SECRETS[name];
  if (!context.interactive && !context.io.env[env] && !context.io.env[`${env}_FILE`]) return undefined;
  return readSecret(name, {
    env: context.io.env,
    interactive: context.interactive,
    prompt: context.io.prompt,
    redactor: context.redactor,
  });
}
