// Reads the configuration from its three sources — config file, then DLMIGRATE_* environment
// variables, then flags (later wins) — and validates the merged result once, so every problem is
// reported together, each with the source it came from.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { configSchema, type DlmigrateConfig } from './schema.js';
import { ALL_SETTINGS, optionKey, type Setting } from './settings.js';

export const CONFIG_FILE_NAMES = [
  'dlmigrate.config.json',
  'dlmigrate.config.yaml',
  'dlmigrate.config.yml',
] as const;

export interface ConfigSources {
  readonly cwd: string;
  /** --config, when given. */
  readonly configFile?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Flag values as commander parsed them, keyed by attribute name (adUrl). */
  readonly flags: Readonly<Record<string, unknown>>;
  /** Whether the user actually typed the flag (commander also reports defaults). */
  readonly flagGiven: (key: string) => boolean;
}

export interface LoadedConfig {
  readonly config: DlmigrateConfig;
  /** The config file read, if any (absolute path). */
  readonly file: string | undefined;
  /** Where each explicitly set path came from, e.g. "ad.url" → "DLMIGRATE_AD_URL". */
  readonly origins: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;

export function loadConfig(sources: ConfigSources): LoadedConfig {
  const problems: string[] = [];
  const origins = new Map<string, string>();
  const file = findConfigFile(sources);
  const raw: Json = file === undefined ? {} : readConfigFile(file);
  if (file !== undefined) {
    forEachLeaf(raw, (path) => origins.set(path, `config file ${file}`));
    for (const path of secretPaths(raw)) {
      problems.push(
        `${path} (config file ${file}): secrets do not belong in the config file; ` +
          'use DLMIGRATE_AD_PASSWORD / DLMIGRATE_PFX_PASSPHRASE or let dlmigrate prompt for them',
      );
    }
  }

  for (const setting of ALL_SETTINGS) {
    const value = sources.env[setting.env];
    if (value === undefined || value === '') continue;
    applySetting(raw, setting, value, setting.env, origins, problems);
  }
  for (const setting of ALL_SETTINGS) {
    const key = optionKey(setting.flag);
    if (!sources.flagGiven(key)) continue;
    const value = sources.flags[key];
    applySetting(raw, setting, value, `--${setting.flag}`, origins, problems);
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A secret key in the file was already reported above with the reason; don't list it twice.
      if (issue.code === 'unrecognized_keys' && issue.keys.every((key) => SECRET_KEY.test(key))) continue;
      problems.push(describeIssue(issue, origins));
    }
  }
  if (problems.length > 0 || !parsed.success) {
    throw new UsageError(
      `The configuration is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was changed.`,
      problems,
    );
  }
  return { config: resolveFilePaths(parsed.data, origins, file, sources.cwd), file, origins };
}

/** Config fields that name files or folders. */
const PATH_FIELDS = [
  'ad.caFile',
  'tenant.certificate.pemCertFile',
  'tenant.certificate.pemKeyFile',
  'tenant.certificate.pfxFile',
  'tenant.caFile',
  'sync.caFile',
  'sync.keyFile',
  'state.folder',
] as const;

/**
 * Relative paths written in a config file are relative to that file (so a config can travel with its
 * certificate folder); relative paths from the environment or flags are relative to the working directory.
 */
function resolveFilePaths(
  config: DlmigrateConfig,
  origins: ReadonlyMap<string, string>,
  file: string | undefined,
  cwd: string,
): DlmigrateConfig {
  // A copy whose path fields are rewritten in place, reached through the objects that hold them.
  const copy: DlmigrateConfig = structuredClone(config);
  for (const field of PATH_FIELDS) {
    const keys = field.split('.');
    let node: unknown = copy;
    for (const key of keys.slice(0, -1)) node = isObject(node) ? node[key] : undefined;
    const last = keys[keys.length - 1]!;
    if (!isObject(node)) continue;
    const value = node[last];
    if (typeof value !== 'string' || isAbsolute(value)) continue;
    const fromFile = file !== undefined && origins.get(field)?.startsWith('config file') === true;
    node[last] = resolve(fromFile ? dirname(file) : cwd, value);
  }
  return copy;
}

/** Config sections a command cannot work without; reports all missing ones at once. */
export function requireSections<K extends 'ad' | 'tenant'>(
  loaded: LoadedConfig,
  sections: readonly K[],
): DlmigrateConfig & { [P in K]-?: NonNullable<DlmigrateConfig[P]> } {
  const missing = sections.filter((s) => loaded.config[s] === undefined);
  if (missing.length > 0) {
    const where = loaded.file === undefined ? 'no config file was found' : `config file ${loaded.file}`;
    throw new UsageError(
      `Missing configuration (${where}); nothing was changed.`,
      missing.map((s) => `${s}: ${SECTION_HINT[s]}`),
    );
  }
  return loaded.config as DlmigrateConfig & { [P in K]-?: NonNullable<DlmigrateConfig[P]> };
}

const SECTION_HINT: Record<'ad' | 'tenant', string> = {
  ad: 'set ad.url and ad.bindDn in dlmigrate.config.json (or DLMIGRATE_AD_URL/--ad-url, DLMIGRATE_AD_BIND_DN/--ad-bind-dn)',
  tenant:
    'set tenant.tenantId, tenant.clientId and tenant.certificate in dlmigrate.config.json (dlmigrate auth init prints a ready snippet)',
};

function findConfigFile(sources: ConfigSources): string | undefined {
  const explicit = sources.configFile ?? sources.env['DLMIGRATE_CONFIG'];
  if (explicit !== undefined && explicit !== '') {
    const file = isAbsolute(explicit) ? explicit : resolve(sources.cwd, explicit);
    if (!existsSync(file)) {
      throw new UsageError(`Config file not found: ${file}`, [
        sources.configFile !== undefined ? 'check the --config path' : 'check DLMIGRATE_CONFIG',
      ]);
    }
    return file;
  }
  const found = CONFIG_FILE_NAMES.map((name) => resolve(sources.cwd, name)).filter((f) => existsSync(f));
  if (found.length > 1) {
    throw new UsageError('More than one config file found; keep one or choose with --config.', found);
  }
  return found[0];
}

/** An object whose fields can be read and set by name (a config section), not an array. */
function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readConfigFile(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read config file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const detail =
      error instanceof YAMLParseError || error instanceof SyntaxError ? error.message : String(error);
    throw new UsageError(
      `Config file ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${detail}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(
      `Config file ${file} must contain an object with sections ad, tenant, sync, state, migration.`,
    );
  }
  return value as Json;
}

function applySetting(
  target: Json,
  setting: Setting,
  value: unknown,
  origin: string,
  origins: Map<string, string>,
  problems: string[],
): void {
  const converted = convert(setting, value);
  if (typeof converted === 'object' && converted !== null && 'problem' in converted) {
    problems.push(`${setting.path.join('.')} (${origin}): ${converted.problem}`);
    return;
  }
  let node = target;
  for (const key of setting.path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Json;
  }
  node[setting.path[setting.path.length - 1]!] = converted;
  origins.set(setting.path.join('.'), origin);
}

function convert(setting: Setting, value: unknown): unknown {
  if (setting.type === 'boolean') {
    if (typeof value === 'boolean') return value;
    const text = String(value).trim().toLowerCase();
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    return { problem: `"${String(value)}" is not a boolean (use true or false)` };
  }
  if (setting.type === 'number') {
    const n = Number(value);
    return String(value).trim() !== '' && Number.isFinite(n)
      ? n
      : { problem: `"${String(value)}" is not a number` };
  }
  if (setting.type === 'list')
    return String(value)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return String(value);
}

function describeIssue(issue: z.core.$ZodIssue, origins: ReadonlyMap<string, string>): string {
  const path = issue.path.map(String).join('.');
  let origin: string | undefined;
  for (let i = issue.path.length; i > 0 && origin === undefined; i--) {
    origin = origins.get(issue.path.slice(0, i).map(String).join('.'));
  }
  const label = path === '' ? '(top level)' : path;
  return `${label}${origin === undefined ? '' : ` (${origin})`}: ${issue.message}`;
}

const SECRET_KEY = /pass(word|phrase)|secret|privatekey|token/i;

function secretPaths(value: Json, prefix = ''): string[] {
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (SECRET_KEY.test(key)) found.push(path);
    else if (typeof child === 'object' && child !== null && !Array.isArray(child))
      found.push(...secretPaths(child as Json, path));
  }
  return found;
}

function forEachLeaf(value: Json, visit: (path: string) => void, prefix = ''): void {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof child === 'object' && child !== null && !Array.isArray(child))
      forEachLeaf(child as Json, visit, path);
    else visit(path);
  }
}
