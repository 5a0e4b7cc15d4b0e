// Builds the `dlmigrate` command into dist/ as it is published: one ESM bundle (esbuild) holding the CLI and the
// workspace packages it runs on (@dlmigrate/core, ad, exo, state — bundled from their TypeScript sources, so they
// need no separate publishing), with every third-party package left as an ordinary runtime dependency (native ones
// like better-sqlite3 cannot be bundled; the rest stay updatable by npm). The lab and the simulator are optional
// extras, never bundled: `dlmigrate lab` loads them on demand (src/lab/extras.ts).
//
// The build refuses to run when a bundled package needs a dependency the CLI's package.json does not declare (with
// the same version range): a published CLI would otherwise fail on an administrator's machine at first use. And it
// fails when the CLI declares a dependency nothing in the bundle imports: an install would pull it in for nothing.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const cli = readJson(join(here, 'package.json'));

/** Bundled into dist/: workspace packages the CLI imports (their own dependencies become the CLI's). */
export const BUNDLED = ['@dlmigrate/core', '@dlmigrate/ad', '@dlmigrate/exo', '@dlmigrate/state'];
/** Never bundled: optional extras for `dlmigrate lab`. */
export const OPTIONAL = ['@dlmigrate/lab', '@dlmigrate/cloud-sim'];

const problems = [];
for (const name of BUNDLED) {
  const pkg = readJson(join(here, '..', '..', 'packages', name.slice('@dlmigrate/'.length), 'package.json'));
  for (const [dependency, range] of Object.entries(pkg.dependencies ?? {})) {
    if (range.startsWith('workspace:')) {
      if (!BUNDLED.includes(dependency)) problems.push(`${name} needs ${dependency}, which is not bundled`);
    } else if (cli.dependencies?.[dependency] !== range) {
      problems.push(
        `${name} needs ${dependency}@${range}: add "${dependency}": "${range}" to apps/cli/package.json dependencies`,
      );
    }
  }
}
for (const name of OPTIONAL) {
  if (cli.peerDependenciesMeta?.[name]?.optional !== true)
    problems.push(`${name} must be an optional peer dependency of the CLI`);
}
if (problems.length > 0) {
  process.stderr.write(
    `apps/cli build: the package would not run as published:\n  ${problems.join('\n  ')}\n`,
  );
  process.exit(1);
}

rmSync(join(here, 'dist'), { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: here,
  entryPoints: ['src/bin.ts', 'src/index.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true, // commands load their modules on demand; chunks keep `dlmigrate --help` fast
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Workspace packages from their TypeScript sources (their package.json "dlmigrate-source" export).
  conditions: ['dlmigrate-source'],
  external: [...Object.keys(cli.dependencies ?? {}), ...OPTIONAL],
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const imported = new Set(
  Object.values(metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageOf(i.path)),
  ),
);
const unused = Object.keys(cli.dependencies ?? {}).filter((name) => !imported.has(name));
if (unused.length > 0) {
  process.stderr.write(
    `apps/cli build: nothing in the bundle imports ${unused.join(', ')}: remove it from apps/cli/package.json dependencies\n`,
  );
  process.exit(1);
}
