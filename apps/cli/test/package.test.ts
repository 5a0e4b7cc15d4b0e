// The CLI as an administrator installs it: `pnpm pack` makes the tarball a registry would serve, npm installs it
// into an empty prefix (third-party dependencies from the npm registry or npm's cache; install scripts off, so no
// native build and no download from anywhere but the registry), and the installed `dlmigrate` runs --version and
// doctor against the lab. The lab itself is brought up with the repository's build: the installed package does
// not carry the lab, and says so.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dlmigrate, runProgram, tempDir, type CliRun } from './helpers/cli.js';

const CLI = fileURLToPath(new URL('..', import.meta.url));
const LAB_SCHEMA_HAS_VERSION = readFileSync(
  fileURLToPath(new URL('../../../packages/lab/schema/exchange-schema.ldif', import.meta.url)),
  'utf8',
).includes('ms-Exch-Schema-Version-Pt');

const work = tempDir('package');
const prefix = join(work, 'prefix');
let installed: string;
let labEnv: Record<string, string>;

function installedRun(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runProgram(installed, args, { cwd: work, env });
}

beforeAll(async () => {
  // dist/ is the bundle the global setup just built (build.mjs); pack exactly that.
  execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: CLI, stdio: 'pipe' });
  const tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--global',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      '--loglevel=error',
      tarball,
    ],
    { cwd: work, stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
  installed = join(prefix, 'bin', 'dlmigrate');

  const up = await dlmigrate(['lab', 'up', '--name', 'cli', '--json'], { cwd: work });
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr}`);
  const lab = JSON.parse(up.stdout) as { config: string; adPasswordFile: string };
  labEnv = { DLMIGRATE_CONFIG: lab.config, DLMIGRATE_AD_PASSWORD_FILE: lab.adPasswordFile };
}, 900_000);

afterAll(async () => {
  await dlmigrate(['lab', 'down', '--name', 'cli'], { cwd: work });
});

describe('the published package', () => {
  it('holds the bundle and runtime dependencies only, the lab extras as optional peers', () => {
    const root = join(prefix, 'lib', 'node_modules', '@dlmigrate', 'cli');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional: boolean }>;
      engines: { node: string };
      bin: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ dlmigrate: './dist/bin.js' });
    expect(manifest.engines.node).toBe('>=20.19');
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@dlmigrate/'))).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.peerDependenciesMeta).toEqual({
      '@dlmigrate/lab': { optional: true },
      '@dlmigrate/cloud-sim': { optional: true },
    });
    expect(
      readdirSync(root)
        .filter((entry) => entry !== 'node_modules')
        .sort(),
    ).toEqual(['README.md', 'dist', 'package.json']);
    // A production install pulls in neither the lab nor the simulator.
    const everything = execFileSync('npm', ['ls', '--all', '--parseable', '--global', '--prefix', prefix], {
      encoding: 'utf8',
    });
    expect(everything).not.toMatch(/@dlmigrate[/\\](lab|cloud-sim|core|ad|exo|state)\b/);
  });

  it('runs --version and doctor against the lab from the installed tarball', async () => {
    const version = await installedRun(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { version: string }).version,
    );

    const doctor = await installedRun(['doctor', '--json'], labEnv);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(LAB_SCHEMA_HAS_VERSION ? 0 : 4);
    const checks = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string }[] }).checks;
    const status = Object.fromEntries(checks.map((c) => [c.id, c.status]));
    // The directory over LDAPS (ldapts), the certificate, tokens (msal-node) and Exchange/Graph calls all ran.
    expect(status).toMatchObject({
      'ad-bind': 'ok',
      certificate: 'ok',
      'exchange-token': 'ok',
      'graph-token': 'ok',
      'sync-trigger': 'ok',
    });
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('says how to add the lab extras instead of failing on a missing module', async () => {
    const lab = await installedRun(['lab', 'up', '--name', 'never']);
    expect(lab.code).toBe(2);
    expect(lab.stderr).toContain(
      'dlmigrate lab needs the optional packages @dlmigrate/lab and @dlmigrate/cloud-sim; nothing was changed.',
    );
    expect(lab.stderr).toContain('npm install --global @dlmigrate/lab @dlmigrate/cloud-sim');
  });
});
