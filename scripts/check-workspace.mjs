// Workspace consistency, run by scripts/test.sh (and `pnpm check:workspace`). Fails, naming each problem, when
//   - a package is not called @dlmigrate/<its folder> (DEVELOPING.md; the e2e suite in test/ is @dlmigrate/e2e);
//   - a dependency on a workspace package is not "workspace:*" (or names a package the workspace does not have);
//   - two packages ask for different version ranges of one external package (one version in the lockfile);
//   - a package declares a dependency none of its files uses (imports, or the binary in its scripts).
// `node scripts/check-workspace.mjs --self-check` runs every rule against a small broken workspace first and
// fails unless each rule reports what it must — so a rule that silently stops matching is noticed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const SCOPE = '@dlmigrate/';
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
/** Folders whose package is named otherwise, with the reason. */
const NAME_EXCEPTIONS = { test: 'e2e' }; // the end-to-end suite, filtered by that name in DEVELOPING.md
/**
 * Packages whose `dependencies` are checked elsewhere: the CLI's build bundles core, ad, exo and state and
 * re-declares their third-party dependencies, and apps/cli/build.mjs fails on one missing or unused.
 */
const DEPENDENCIES_CHECKED_BY_BUILD = new Set(['@dlmigrate/cli']);
/** Binaries the package scripts run → the package that provides them. */
const BINARIES = { tsc: 'typescript', eslint: 'eslint', vitest: 'vitest', tsx: 'tsx', prettier: 'prettier' };
const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.lab', '.turbo', 'coverage']);
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\.resolve\s*\(\s*|['"]--import['"]\s*,\s*)['"]([^'"\s]+)['"]/g;

/** The package a module specifier names, or undefined for a relative path or a Node built-in. */
export function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package a source text imports, requires or resolves. */
export function importedPackages(text) {
  const found = new Set();
  for (const match of text.matchAll(SPECIFIER)) {
    const name = packageOf(match[1]);
    if (name) found.add(name);
  }
  return found;
}

/**
 * The rules, over plain data: each workspace package as { folder, manifest, imports } where imports is the set of
 * packages its files use. Returns one line per problem.
 */
export function workspaceProblems(packages) {
  const problems = [];
  const names = new Set(packages.map((p) => p.manifest.name));
  const ranges = new Map(); // external package → range → [package names]
  for (const { folder, manifest, imports } of packages) {
    const base = folder.split('/').pop();
    const expected = SCOPE + (NAME_EXCEPTIONS[base] ?? base);
    const label = manifest.name ?? folder;
    if (folder !== '.' && manifest.name !== expected)
      problems.push(`${folder}/package.json: name is ${manifest.name}, expected ${expected}`);
    const scripts = Object.values(manifest.scripts ?? {}).join('\n');
    for (const field of DEPENDENCY_FIELDS) {
      for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
        if (dependency.startsWith(SCOPE)) {
          if (!names.has(dependency)) {
            problems.push(`${label}: ${field} names ${dependency}, not in the workspace`);
            continue;
          }
          if (range !== 'workspace:*')
            problems.push(`${label}: ${field}.${dependency} is "${range}", use "workspace:*"`);
        } else {
          const byRange = ranges.get(dependency) ?? new Map();
          byRange.set(range, [...(byRange.get(range) ?? []), label]);
          ranges.set(dependency, byRange);
        }
        if (folder === '.' || field === 'peerDependencies') continue; // root: the tools every package runs
        if (field === 'dependencies' && DEPENDENCIES_CHECKED_BY_BUILD.has(manifest.name)) continue;
        if (!isUsed(dependency, imports, scripts))
          problems.push(`${label}: ${field}.${dependency} is not used by any of its files; remove it`);
      }
    }
  }
  for (const [dependency, byRange] of ranges) {
    if (byRange.size < 2) continue;
    const list = [...byRange].map(([range, users]) => `${range} (${users.join(', ')})`).join(' vs ');
    problems.push(`${dependency}: one version range across the workspace, found ${list}`);
  }
  return problems;
}

function isUsed(dependency, imports, scripts) {
  if (imports.has(dependency)) return true;
  const typed = /^@types\/(.+)$/.exec(dependency);
  if (typed) {
    // @types/node-forge types node-forge; @types/scope__name types @scope/name.
    const target = typed[1].includes('__') ? `@${typed[1].replace('__', '/')}` : typed[1];
    return target === 'node' || imports.has(target);
  }
  return Object.entries(BINARIES).some(
    ([binary, provider]) => provider === dependency && new RegExp(`(^|[\\s;&|])${binary}\\b`).test(scripts),
  );
}

function sourceFiles(folder) {
  const files = [];
  for (const entry of readdirSync(folder)) {
    if (SKIPPED_FOLDERS.has(entry)) continue;
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE_FILE.test(entry)) files.push(path);
  }
  return files;
}

/** The folders pnpm-workspace.yaml's `packages:` list names (a folder, or `folder/*` for each child with a package). */
function workspaceFolders(root) {
  const globs = [];
  let inPackages = false;
  for (const line of readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n')) {
    if (/^\S/.test(line)) inPackages = /^packages:/.test(line);
    const item = /^\s+-\s*['"]?([^'"#\s]+)/.exec(line)?.[1];
    if (inPackages && item) globs.push(item);
  }
  return globs.flatMap((glob) =>
    glob.endsWith('/*')
      ? readdirSync(join(root, glob.slice(0, -2)))
          .map((name) => `${glob.slice(0, -2)}/${name}`)
          .filter((folder) =>
            statSync(join(root, folder, 'package.json'), { throwIfNoEntry: false })?.isFile(),
          )
      : [glob],
  );
}

function readWorkspace(root) {
  const read = (folder) => JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
  const packages = workspaceFolders(root).map((folder) => {
    const imports = new Set();
    for (const file of sourceFiles(join(root, folder)))
      for (const name of importedPackages(readFileSync(file, 'utf8'))) imports.add(name);
    return { folder: relative(root, join(root, folder)), manifest: read(folder), imports };
  });
  return [{ folder: '.', manifest: read('.'), imports: new Set() }, ...packages];
}

/** Each rule must fire on this broken workspace, and only where it is broken. */
function selfCheck() {
  const imports = importedPackages(
    `import a from 'ldapts'; const b = await import("pg/lib/x.js"); import 'node:fs';\n` +
      `import type { T } from '@scope/typed/sub'; spawn(node, ['--import', 'tsx']); import.meta.resolve('zod');`,
  );
  const expectedImports = ['ldapts', 'pg', '@scope/typed', 'tsx', 'zod'];
  if ([...imports].sort().join() !== expectedImports.sort().join())
    return [`importedPackages found ${[...imports].join(', ')}, expected ${expectedImports.join(', ')}`];
  const found = workspaceProblems([
    {
      folder: '.',
      manifest: { name: 'root', devDependencies: { typescript: '~5.9.3' } },
      imports: new Set(),
    },
    {
      folder: 'packages/a',
      manifest: {
        name: '@dlmigrate/a',
        scripts: { typecheck: 'tsc --noEmit' },
        dependencies: { '@dlmigrate/bee': '^0.1.0', ldapts: '^8.0.0', unused: '^1.0.0' },
        devDependencies: { typescript: '~5.9.3', '@types/ldapts': '^1.0.0', '@types/gone': '^1.0.0' },
      },
      imports: new Set(['@dlmigrate/bee', 'ldapts']),
    },
    {
      folder: 'packages/b',
      manifest: {
        name: '@dlmigrate/bee',
        dependencies: { ldapts: '^8.1.0', '@dlmigrate/nope': 'workspace:*' },
      },
      imports: new Set(['ldapts']),
    },
    { folder: 'test', manifest: { name: '@dlmigrate/e2e' }, imports: new Set() },
  ]);
  const expected = [
    'packages/b/package.json: name is @dlmigrate/bee, expected @dlmigrate/b',
    '@dlmigrate/a: dependencies.@dlmigrate/bee is "^0.1.0", use "workspace:*"',
    '@dlmigrate/a: dependencies.unused is not used by any of its files; remove it',
    '@dlmigrate/a: devDependencies.@types/gone is not used by any of its files; remove it',
    '@dlmigrate/bee: dependencies names @dlmigrate/nope, not in the workspace',
    'ldapts: one version range across the workspace, found ^8.0.0 (@dlmigrate/a) vs ^8.1.0 (@dlmigrate/bee)',
  ];
  const missing = expected.filter((line) => !found.includes(line));
  const extra = found.filter((line) => !expected.includes(line));
  return [
    ...missing.map((l) => `self-check: not reported: ${l}`),
    ...extra.map((l) => `self-check: extra: ${l}`),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const problems = [
    ...(process.argv.includes('--self-check') ? selfCheck() : []),
    ...workspaceProblems(readWorkspace(root)),
  ];
  for (const problem of problems) console.error(`workspace: ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log('workspace: consistent');
}
