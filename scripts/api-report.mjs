#!/usr/bin/env node
// The public API of every workspace package, as the TypeScript compiler sees its src/index.ts: one line per
// exported name (kind, name, and for functions, classes and interfaces their shape), written to
// <package>/api.txt. `--check` (scripts/test.sh) fails when a package's exports differ from its reviewed
// api.txt, so a change to what a package offers shows up in review; `pnpm api:update` rewrites the files.
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
  packages.map((dir) => join(dir, 'src/index.ts')),
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

let stale = 0;
for (const dir of packages) {
  const source = program.getSourceFile(join(dir, 'src/index.ts'));
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${relative(root, dir)}/src/index.ts: not a module`);
  const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
  const lines = checker
    .getExportsOfModule(module)
    .sort((a, b) => (a.getName() < b.getName() ? -1 : a.getName() > b.getName() ? 1 : 0))
    .flatMap(describe);
  const text = `# ${name}: public API (src/index.ts), written by scripts/api-report.mjs — do not edit\n${lines.join('\n')}\n`;
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
    console.log(`wrote ${relative(root, file)} (${lines.length} lines)`);
  }
}
if (stale > 0) process.exit(1);
