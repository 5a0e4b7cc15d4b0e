// Secrets (the AD bind password, the PFX passphrase) are read from the environment or asked for on the
// terminal without echo. They are never part of the configuration object, so they cannot end up in a
// config file, a log line or a report; every value read is registered with the redactor as a last guard.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Output } from '../output/output.js';
import type { Redactor } from '../output/redact.js';

export const SECRETS = {
  adPassword: { env: 'DLMIGRATE_AD_PASSWORD', label: 'AD bind password' },
  pfxPassphrase: { env: 'DLMIGRATE_PFX_PASSPHRASE', label: 'PFX passphrase' },
  sshKeyPassphrase: { env: 'DLMIGRATE_SSH_KEY_PASSPHRASE', label: 'SSH key passphrase' },
} as const;

export type SecretName = keyof typeof SECRETS;

export interface SecretContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly interactive: boolean;
  readonly prompt: (question: string) => Promise<string>;
  readonly redactor: Redactor;
  /** A value from a plain flag, only honoured with --insecure-password-flag (the caller checks). */
  readonly flagValue?: string | undefined;
}

export async function readSecret(name: SecretName, context: SecretContext): Promise<string> {
  const { env, label } = SECRETS[name];
  let value =
    context.flagValue ?? context.env[env] ?? readSecretFile(context.env[`${env}_FILE`], `${env}_FILE`);
  if ((value === undefined || value === '') && context.interactive)
    value = await context.prompt(`${label}: `);
  if (value === undefined || value === '') {
    throw new UsageError(`The ${label} is missing; nothing was changed.`, [
      `set ${env} (or ${env}_FILE, a file holding it) in the environment, or run dlmigrate in a terminal so that it can ask for it`,
    ]);
  }
  context.redactor.add(value);
  return value;
}

/**
 * A secret that is only needed sometimes (the passphrase of an encrypted SSH key): taken from the
 * environment when given there, never asked for; whoever needs it says how to give it when it is missing.
 */
export function secretIfGiven(
  name: SecretName,
  context: Pick<SecretContext, 'env' | 'redactor'>,
): string | undefined {
  const { env } = SECRETS[name];
  const value = context.env[env] || readSecretFile(context.env[`${env}_FILE`], `${env}_FILE`);
  if (value === undefined || value === '') return undefined;
  context.redactor.add(value);
  return value;
}

/**
 * `<NAME>_FILE` names a file holding the secret (the container-secrets convention); the lab writes one,
 * owner-only, so that its password never has to be shown on screen.
 */
function readSecretFile(file: string | undefined, variable: string): string | undefined {
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${variable} (${file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Asks a question on a terminal and reads one line, echoed (for confirmations; secrets use promptHidden). */
export async function askLine(question: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new UsageError('Cannot ask for a confirmation: standard input is not a terminal.');
  const { createInterface } = await import('node:readline/promises');
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await lines.question(question);
  } finally {
    lines.close();
  }
}

/** Asks a question on a terminal without echoing what is typed. */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  return new Promise((resolvePrompt, reject) => {
    if (!input.isTTY) {
      reject(new UsageError('Cannot prompt for a secret: standard input is not a terminal.'));
      return;
    }
    output.write(question);
    let typed = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (error?: Error) => {
      input.setRawMode(wasRaw);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolvePrompt(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new UsageError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/**
 * `--ad-password` exists for the rare script that cannot set an environment variable; it is refused
 * unless `--insecure-password-flag` says the user knows the password will sit in shell history and
 * in the process list.
 */
export function addPasswordFlags(command: Command): Command {
  return command
    .option(
      '--ad-password <password>',
      'AD bind password on the command line (refused without --insecure-password-flag)',
    )
    .option(
      '--insecure-password-flag',
      'accept --ad-password although it leaks into shell history and the process list',
    );
}

export function passwordFromFlag(
  options: { adPassword?: string; insecurePasswordFlag?: boolean },
  output: Output,
  redactor: Redactor,
): string | undefined {
  if (options.adPassword === undefined) return undefined;
  redactor.add(options.adPassword);
  if (options.insecurePasswordFlag !== true) {
    throw new UsageError(
      'Refusing --ad-password: a password on the command line ends up in shell history; nothing was changed.',
      [
        'set DLMIGRATE_AD_PASSWORD, or run in a terminal to be asked for it',
        'or add --insecure-password-flag if you accept the risk',
      ],
    );
  }
  output.warn(
    '--ad-password is visible in shell history and to other users via the process list; prefer DLMIGRATE_AD_PASSWORD.',
  );
  return options.adPassword;
}
