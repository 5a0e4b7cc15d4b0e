import { describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';

const cwd = tempDir('help');
const COMMANDS = [
  ['plan'],
  ['migrate'],
  ['restore'],
  ['verify'],
  ['collect', 'permissions'],
  ['hybrid', 'enable'],
  ['hybrid', 'update-address'],
  ['batch'],
  ['resume'],
  ['status'],
  ['report'],
  ['doctor'],
  ['auth', 'init'],
  ['config', 'show'],
  ['lab', 'up'],
  ['lab', 'down'],
  ['lab', 'reset'],
  ['lab', 'demo'],
];

describe('dlmigrate --help', () => {
  it('lists the commands, the configuration precedence and the exit codes', async () => {
    const run = await dlmigrate(['--help'], { cwd });
    expect(run.code).toBe(0);
    for (const name of [
      'plan',
      'migrate',
      'restore',
      'verify',
      'collect',
      'hybrid',
      'batch',
      'resume',
      'status',
      'report',
      'doctor',
      'auth',
      'config',
      'lab',
    ])
      expect(run.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(run.stdout).toContain('config file, then DLMIGRATE_* environment variables, then flags');
    for (const line of [
      '0  succeeded',
      '1  failed',
      '2  bad input or usage',
      '3  blocked',
      '4  completed with warnings',
    ]) {
      expect(run.stdout).toContain(line);
    }
  });

  it.each(COMMANDS.map((c) => [c.join(' ')]))('%s --help shows examples', async (command) => {
    const run = await dlmigrate([...command.split(' '), '--help'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain(`$ dlmigrate ${command}`);
  });

  it('documents the migration options as flags with their environment variables', async () => {
    const run = await dlmigrate(['migrate', '--help'], { cwd });
    for (const flag of [
      '--strategy <value>',
      '--no-retain-original-group',
      '--hybrid-mail-flow',
      '--cloud-deletion-minutes <value>',
      '--insecure-password-flag',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('[DLMIGRATE_MIGRATION_STRATEGY]');
  });

  it('rejects an unknown option with exit code 2 and a hint', async () => {
    const run = await dlmigrate(['doctor', '--no-such-option'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--no-such-option'");
    expect(run.stderr).toContain('--help');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const run = await dlmigrate(['migrate-everything'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'migrate-everything'");
  });

  it('answers a usage error with one JSON document under --json (unknown option, command, missing argument)', async () => {
    for (const [args, code, text] of [
      [
        ['doctor', '--no-such-option', '--json'],
        'commander.unknownOption',
        "unknown option '--no-such-option'",
      ],
      [['--json', 'migrate-everything'], 'commander.unknownCommand', "unknown command 'migrate-everything'"],
      [['migrate', '--json'], 'commander.missingArgument', "missing required argument 'group'"],
    ] as const) {
      const run = await dlmigrate([...args], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ ok: false, exitCode: 2, code, error: text, problems: [] });
    }
  });

  it('prints the version', async () => {
    const run = await dlmigrate(['--version'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
