#!/usr/bin/env node
// The public API of every workspace package, as the TypeScript compiler sees its src/index.ts: one line per
// exported name (kind, name, and for functions, classes and interfaces their shape), written to
// <package>/api.txt (with a section for the package's `./testing` entry, src/testing.ts, where it has one).
// `--check` (scripts/test.sh) fails when a package's exports differ from its reviewed api.txt, so a change to what
// a package offers shows up in review; `pnpm api:update` rewrites the files. Both modes also fail on a type that a
// public signature names but the package does not export (a caller could receive it but not name it).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const MAX_LINE = 240;

const packages = ['packages', 'apps']
  .flatMap((folder) => readdirSync(join(root, folder)).map((name) => join(root, folder, name)))
  .filter((dir) => existsSync(join(dir, 'src/index.ts')))
  .sort();

const base = ts.parseJsonConfigFileContent(
  ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile).config,
  ts.sys,
  root,
);
const program = ts.createProgram(
  packages.flatMap((dir) =>
    ['src/index.ts', 'src/testing.ts'].map((file) => join(dir, file)).filter(existsSync),
  ),
  { ...base.options, noEmit: true },
);
const checker = program.getTypeChecker();
const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** Long shapes (zod schemas, big unions) are cut, with a hash of the whole so a change still shows. */
function bounded(text) {
  const flat = text.replace(/\s+/g, ' ');
  if (flat.length <= MAX_LINE) return flat;
  const hash = createHash('sha256').update(flat).digest('hex').slice(0, 10);
  return `${flat.slice(0, MAX_LINE)}… #${hash}`;
}

function describe(symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const name = symbol.getName();
  const decl = target.declarations?.[0];
  const f = target.flags;
  if (f & ts.SymbolFlags.Class) {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    const ctor = type.getConstructSignatures().map((s) => checker.signatureToString(s, decl, flags));
    const instance = checker.getDeclaredTypeOfSymbol(target);
    const members = checker
      .getPropertiesOfType(instance)
      .filter((p) => !p.getName().startsWith('#'))
      .filter((p) => {
        const own = p.valueDeclaration ?? p.declarations?.[0];
        // Inherited members (Error's message, stack, …) belong to the base class's API, not this one's.
        if (!own || !target.declarations.some((d) => own.parent === d)) return false;
        return !(ts.getCombinedModifierFlags(own) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
      })
      .map((p) => p.getName())
      .sort();
    return [`class ${name}${bounded(ctor.join(' | '))}`, ...members.map((m) => `  .${m}`)];
  }
  if (f & ts.SymbolFlags.Function) {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    return type
      .getCallSignatures()
      .map((s) => `function ${name}${bounded(checker.signatureToString(s, decl, flags))}`);
  }
  if (f & ts.SymbolFlags.Interface) {
    const members = checker
      .getPropertiesOfType(checker.getDeclaredTypeOfSymbol(target))
      .map((p) => p.getName());
    return [`interface ${name} { ${bounded(members.sort().join(', '))} }`];
  }
  if (f & ts.SymbolFlags.TypeAlias) {
    const type = checker.getDeclaredTypeOfSymbol(target);
    return [
      `type ${name} = ${bounded(checker.typeToString(type, decl, flags | ts.TypeFormatFlags.InTypeAlias))}`,
    ];
  }
  if (f & ts.SymbolFlags.Enum) return [`enum ${name}`];
  if (f & ts.SymbolFlags.Variable) {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    return [`const ${name}: ${bounded(checker.typeToString(type, decl, flags))}`];
  }
  return [`${ts.SymbolFlags[f] ?? 'export'} ${name}`];
}

const resolved = (symbol) =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
const NAMED =
  ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;

/**
 * The types a package's public signatures name that its index does not export (API Extractor calls them
 * "forgotten exports"): a caller can receive or must pass such a value but cannot name its type. Walks what the
 * compiler sees of each export (parameters, return types, properties, type arguments, union members), stopping
 * at types the package exports (they are walked as exports themselves) and at types declared outside its src/
 * (another package's or a library's, which the caller imports from there).
 */
function forgottenExports(dir, roots, exported) {
  const src = join(dir, 'src') + '/';
  const mine = (symbol) =>
    symbol?.declarations?.some((d) => d.getSourceFile().fileName.startsWith(src)) ?? false;
  const seen = new Set();
  const found = new Map(); // forgotten type name -> the export that led to it
  function visitSymbolMembers(symbol, via) {
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!decl) return;
    if (ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return;
    if (ts.isPrivateIdentifier?.(decl.name ?? {})) return;
    visitType(checker.getTypeOfSymbolAtLocation(symbol, decl), via);
  }
  function visitSignature(signature, via) {
    for (const parameter of signature.getParameters()) visitSymbolMembers(parameter, via);
    for (const parameter of signature.getTypeParameters() ?? []) {
      const constraint = parameter.getConstraint();
      if (constraint) visitType(constraint, via);
    }
    visitType(signature.getReturnType(), via);
  }
  function visitNamed(symbol, via) {
    symbol = resolved(symbol);
    if (!(symbol.flags & NAMED) || !mine(symbol)) return false;
    if (exported.has(symbol)) return true;
    if (!found.has(symbol.getName())) found.set(symbol.getName(), via);
    return false;
  }
  function visitType(type, via) {
    if (!type || seen.has(type)) return;
    seen.add(type);
    if (type.aliasSymbol) {
      if (visitNamed(type.aliasSymbol, via)) return;
      for (const argument of type.aliasTypeArguments ?? []) visitType(argument, via);
    }
    if (type.isUnionOrIntersection()) {
      for (const part of type.types) visitType(part, via);
      return;
    }
    if (type.flags & ts.TypeFlags.Object) {
      if (type.objectFlags & ts.ObjectFlags.Reference) {
        for (const argument of checker.getTypeArguments(type)) visitType(argument, via);
      }
      const symbol = type.getSymbol();
      if (symbol && symbol.flags & NAMED && !type.aliasSymbol) {
        if (visitNamed(symbol, via)) return;
        if (!mine(symbol)) return; // a library's type: Promise<T>, Map<K, V> — only its arguments count
      }
      for (const property of type.getProperties()) visitSymbolMembers(property, via);
      for (const signature of type.getCallSignatures()) visitSignature(signature, via);
      for (const signature of type.getConstructSignatures()) visitSignature(signature, via);
      const index = type.getStringIndexType?.() ?? undefined;
      if (index) visitType(index, via);
    }
  }
  for (const symbol of roots) {
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!decl) continue;
    const via = symbol.getName();
    if (symbol.flags & ts.SymbolFlags.Class) {
      const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
      for (const signature of type.getConstructSignatures()) visitSignature(signature, via);
      for (const property of type.getProperties()) visitSymbolMembers(property, via); // statics
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      for (const property of instance.getProperties()) visitSymbolMembers(property, via);
      for (const base of instance.getBaseTypes?.() ?? []) visitType(base, via);
    } else if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      seen.add(type);
      if (type.isUnionOrIntersection()) for (const part of type.types) visitType(part, via);
      else {
        for (const property of type.getProperties()) visitSymbolMembers(property, via);
        for (const signature of type.getCallSignatures()) visitSignature(signature, via);
        if (type.objectFlags & ts.ObjectFlags.Reference) {
          for (const argument of checker.getTypeArguments(type)) visitType(argument, via);
        }
      }
      for (const base of type.getBaseTypes?.() ?? []) visitType(base, via);
    } else if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
      visitType(checker.getTypeOfSymbolAtLocation(symbol, decl), via);
    }
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// Each package's entries: the main one and, where the package has one, the `./testing` subpath export (helpers for
// tests and benchmarks, kept out of the main API; package.json "exports").
const ENTRIES = [
  ['.', 'src/index.ts'],
  ['./testing', 'src/testing.ts'],
];
const entriesOf = (dir) =>
  ENTRIES.filter(([, file]) => existsSync(join(dir, file))).map(([subpath, file]) => {
    const source = program.getSourceFile(join(dir, file));
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${relative(root, dir)}/${file}: not a module`);
    return { subpath, file, exports: checker.getExportsOfModule(module) };
  });
const byName = (a, b) => (a.getName() < b.getName() ? -1 : a.getName() > b.getName() ? 1 : 0);

// The reports first, every package's, then the walk for forgotten exports: the compiler numbers types in the order
// it meets them and prints unions in that order, so the walk must not run before a report is written.
const reports = packages.map((dir) => {
  const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
  const entries = entriesOf(dir);
  const sections = entries.map(({ subpath, file, exports }) => {
    const lines = [...exports].sort(byName).flatMap(describe);
    const title =
      subpath === '.' ? `# ${name}: public API (${file})` : `# ${name}/${subpath.slice(2)} (${file})`;
    return { title, lines };
  });
  sections[0].title += ', written by scripts/api-report.mjs — do not edit';
  const text = sections
    .map(({ title, lines }) => `${title}\n${lines.map((l) => `${l}\n`).join('')}`)
    .join('\n');
  return { dir, name, entries, text, count: sections.reduce((n, { lines }) => n + lines.length, 0) };
});

let stale = 0;
for (const { dir, name, entries, text, count } of reports) {
  const file = join(dir, 'api.txt');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current === text) continue;
  if (check) {
    stale++;
    console.error(
      `${relative(root, file)} differs from the package's exports: review the change, then pnpm api:update`,
    );
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${relative(root, file)} (${count} lines)`);
  }
}
// The main entry must export what its own signatures name; ./testing may name types of either entry.
for (const { dir, name, entries } of reports) {
  const exported = new Set();
  for (const { subpath, file, exports } of entries) {
    const own = exports.map(resolved);
    for (const symbol of own) exported.add(symbol);
    for (const [type, via] of forgottenExports(dir, own, exported)) {
      stale++;
      console.error(`${name}: ${via} (${subpath}) names the type ${type}, which ${file} does not export`);
    }
  }
}
if (stale > 0) process.exit(1);
