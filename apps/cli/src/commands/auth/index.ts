// `dlmigrate auth init`: everything the certificate-based app-only set-up needs, done for the admin.
import type { Command } from 'commander';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  requiredPermissions,
  requiredResourceAccess,
  ENTRA_ROLES,
} from '../../certificate/app-registration.js';
import { createSelfSignedCertificate, CERTIFICATE_VALIDITY_YEARS } from '../../certificate/self-signed.js';
import { readSecret } from '../../config/secrets.js';
import { guid, tenantId } from '../../config/values.js';
import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';

interface InitOptions {
  out: string;
  name: string;
  tenantId?: string;
  clientId?: string;
  cloudSyncTrigger?: boolean;
  force?: boolean;
}

const MIN_PASSPHRASE = 8;

export function registerAuthCommands(program: Command, state: ProgramState): void {
  const auth = program.command('auth').description('set up certificate-based app-only authentication');
  auth
    .command('init')
    .description(
      `create a self-signed certificate (RSA 2048, SHA-256, ${CERTIFICATE_VALIDITY_YEARS} years) as PEM and PFX, and print ` +
        'what the Entra app registration needs',
    )
    .option('-o, --out <folder>', 'folder for the certificate files', 'certs')
    .option('--name <name>', 'certificate common name and file name stem', 'dlmigrate')
    .option('--tenant-id <id>', 'tenant GUID or contoso.onmicrosoft.com, for the config snippet')
    .option('--client-id <guid>', 'app registration (client) id, for the config snippet')
    .option(
      '--cloud-sync-trigger',
      'the sync trigger is Entra Cloud Sync (adds Synchronization.ReadWrite.All)',
    )
    .option('--force', 'overwrite existing certificate files')
    .addHelpText(
      'after',
      [
        '',
        'The PFX passphrase comes from DLMIGRATE_PFX_PASSPHRASE or is asked for (twice) on the terminal.',
        'Private key files are written readable by the owner only (0600).',
        '',
        'Examples:',
        '  $ dlmigrate auth init',
        '  $ DLMIGRATE_PFX_PASSPHRASE=… dlmigrate auth init --out /etc/dlmigrate --tenant-id contoso.onmicrosoft.com \\',
        '      --client-id 11111111-2222-3333-4444-555555555555',
        '  $ dlmigrate auth init --cloud-sync-trigger --json',
      ].join('\n'),
    )
    .action(
      commandAction(state, async (context, options: InitOptions) => {
        await authInit(options, context);
      }),
    );
}

async function authInit(options: InitOptions, context: CommandContext): Promise<void> {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(options.name)) {
    problems.push('--name: use letters, digits, ".", "_" and "-" only (it becomes the file name)');
  }
  if (options.tenantId !== undefined && !tenantId.safeParse(options.tenantId).success) {
    problems.push('--tenant-id: must be the tenant GUID or its contoso.onmicrosoft.com domain');
  }
  if (options.clientId !== undefined && !guid.safeParse(options.clientId).success) {
    problems.push('--client-id: must be a GUID like 00000000-0000-0000-0000-000000000000');
  }
  const folder = isAbsolute(options.out) ? options.out : resolve(context.io.cwd, options.out);
  const files = {
    cert: join(folder, `${options.name}.cert.pem`),
    key: join(folder, `${options.name}.key.pem`),
    pfx: join(folder, `${options.name}.pfx`),
  };
  if (options.force !== true) {
    for (const file of Object.values(files)) {
      if (existsSync(file)) problems.push(`${file} already exists (use --force to replace it)`);
    }
  }
  if (problems.length > 0)
    throw new UsageError('Cannot create the certificate; nothing was changed.', problems);

  const passphrase = await readPassphrase(context);
  const certificate = createSelfSignedCertificate({ commonName: options.name, pfxPassphrase: passphrase });

  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(files.cert, certificate.certPem, { mode: 0o644 });
  writeSecretFile(files.key, certificate.keyPem);
  writeSecretFile(files.pfx, certificate.pfx!);

  const permissions = requiredPermissions({ cloudSyncTrigger: options.cloudSyncTrigger === true });
  const manifest = requiredResourceAccess(permissions);
  const unconfirmed = permissions.filter((p) => p.id === null);
  const snippet = {
    tenant: {
      tenantId: options.tenantId ?? '<tenant GUID or contoso.onmicrosoft.com>',
      clientId: options.clientId ?? '<application (client) id>',
      certificate: { pemCertFile: files.cert, pemKeyFile: files.key },
      cloud: 'commercial',
    },
  };

  const { output } = context;
  output.json({
    ok: true,
    files,
    subject: certificate.subject,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    thumbprints: certificate.thumbprints,
    permissions,
    requiredResourceAccess: manifest,
    entraRoles: ENTRA_ROLES,
    configSnippet: snippet,
  });
  const warning = keyFilesWarning(folder);
  const mode = warning === undefined ? ' (0600)' : '';
  output.status('ok', 'certificate', files.cert);
  output.status('ok', `private key${mode}`, files.key);
  output.status('ok', `PFX${mode}`, files.pfx);
  if (warning !== undefined) output.warn(warning);
  output.line();
  output.line(`Subject:      ${certificate.subject}`);
  output.line(`Valid:        ${certificate.notBefore.toISOString()} → ${certificate.notAfter.toISOString()}`);
  output.line(`SHA-1:        ${certificate.thumbprints.sha1}`);
  output.line(`SHA-256:      ${certificate.thumbprints.sha256}`);
  output.line();
  output.line('1. In Entra ID › App registrations › your app › Certificates & secrets, upload:');
  output.line(`     ${files.cert}`);
  output.line('2. API permissions (application permissions, then "Grant admin consent"):');
  for (const p of permissions) {
    output.line(
      `     ${p.resource}: ${p.name}  ${p.id ?? '(id: pick it by name in the portal)'}  — ${p.why}`,
    );
  }
  output.line('   Manifest requiredResourceAccess entries:');
  for (const text of JSON.stringify(manifest, null, 2).split('\n')) output.line(`     ${text}`);
  if (unconfirmed.length > 0) {
    output.line(
      `   Not in the manifest above: ${unconfirmed.map((p) => p.name).join(', ')} — its app role id must be looked up ` +
        '(portal: API permissions › Microsoft Graph › Application permissions, by name).',
    );
  }
  output.line("3. Entra role for the app's service principal (Exchange RBAC comes from it):");
  output.line(
    `     ${ENTRA_ROLES.exchangeAdministrator.name} (${ENTRA_ROLES.exchangeAdministrator.templateId})`,
  );
  output.line(
    `     or least privilege: ${ENTRA_ROLES.exchangeRecipientAdministrator.name} ` +
      `(${ENTRA_ROLES.exchangeRecipientAdministrator.templateId}), or a custom Exchange RBAC role group`,
  );
  output.line('     assigned with New-ServicePrincipal + New-ManagementRoleAssignment in Exchange Online.');
  output.line('4. Config snippet for dlmigrate.config.json:');
  for (const text of JSON.stringify(snippet, null, 2).split('\n')) output.line(`     ${text}`);
  output.line();
  output.line('Then check everything with: dlmigrate doctor');
}

async function readPassphrase(context: CommandContext): Promise<string> {
  const fromEnv = context.io.env['DLMIGRATE_PFX_PASSPHRASE'];
  const secretContext = {
    env: context.io.env,
    interactive: context.interactive,
    prompt: context.io.prompt,
    redactor: context.redactor,
  };
  const passphrase = await readSecret('pfxPassphrase', secretContext);
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new UsageError(`The PFX passphrase is too short; nothing was changed.`, [
      `use at least ${MIN_PASSPHRASE} characters (DLMIGRATE_PFX_PASSPHRASE or the prompt)`,
    ]);
  }
  if (fromEnv === undefined || fromEnv === '') {
    const again = await context.io.prompt('PFX passphrase (again): ');
    if (again !== passphrase) throw new UsageError('The two passphrases differ; nothing was changed.');
  }
  return passphrase;
}

/**
 * Windows has no owner-only file modes (Node's chmod there only sets the read-only bit): the key files are as private
 * as the ACL of their folder, which the administrator has to restrict (doctor's file-permissions check says the same).
 */
export function keyFilesWarning(
  folder: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  return platform === 'win32'
    ? `the private key and the PFX are not made owner-only by file modes on Windows: restrict the ACL of ${folder} to you and the account that runs dlmigrate`
    : undefined;
}

/** Owner-only, also when --force replaces a file that had looser permissions. */
function writeSecretFile(file: string, data: string | Buffer): void {
  // Removed and created afresh (never rewritten in place) so the key is not even briefly readable
  // under an old file's looser mode; the process umask cannot widen 0600, chmod makes sure.
  rmSync(file, { force: true });
  writeFileSync(file, data, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}
