// Seeding a stopped DC from LDIF with Samba's own ldb tools (ldbadd/ldbmodify on private/sam.ldb, so every Samba
// module runs: objectGUID, security descriptors, replication metadata, back links), for fixtures of tens of
// thousands of objects.
//
// Why not LDAP: Samba adds one object in 5-15 ms of CPU, more the bigger the directory, because every add rewrites
// the index records of its low-cardinality values (objectClass=top, objectCategory=person,
// msExchRecipientTypeDetails=64, the parent's one-level index, ...), each a list of every object holding that value.
// Measured on the 2-core dev machine: 10,000 contacts over LDAP or as plain ldbadd took 80 s of CPU and 4-5 minutes
// of wall time under load, growing quadratically. With the attribute and one-level indexes switched off in the
// partition's @INDEXLIST while the objects go in, and rebuilt once at the end (ldb re-indexes the whole partition
// when @INDEXLIST changes), an add costs about 1 ms flat (figures: bench/lab.bench.ts).
//
// The rebuild itself was quadratic: ldb keeps a transaction's index records in an in-memory tdb whose hash table has
// `transaction_index_cache_size` chains (a small default, DEFAULT_INDEX_CACHE_SIZE in ldb_kv), and a re-index puts
// every index record of the partition there — about ten per contact, a million for 100,000 contacts — each insert and
// look-up walking a chain of thousands. Re-indexing 100,000 contacts had used 2 min 47 s of CPU after 16 minutes on
// the loaded dev machine without finishing (an earlier run hit the 60-minute timeout, issue 17); with the cache sized
// to the partition (`-o transaction_index_cache_size:N`, an ldb_connect option of ldb's tools) the re-index pass took
// 47 s of CPU. Every tool run gets it: the link writes keep their index records in the same cache.
//
// Only mail contacts, OUs and a handful of users and groups should be seeded this way: while the indexes are off,
// the searches Samba makes while adding a user or group (sAMAccountName and SID uniqueness) scan the partition.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LinkAttribute } from './fixture.js';
import { addRecord, replaceRecord } from './ldif.js';
import type { InstancePaths } from './paths.js';
import type { PlannedObject, SeedPlan } from './plan.js';
import { run } from './run.js';
import { phaseTimer } from './phase-timer.js';

/**
 * Objects per ldbadd run (one transaction each): with the indexes off an add costs about 0.8 ms at 500 or 3,000 per
 * transaction alike, and each run pays ~0.2 s of CPU to load Samba's modules and schema — 50 runs for 100,000 contacts
 * instead of 200.
 */
const OBJECTS_PER_FILE = 2_000;
/** Link values per ldbmodify run (one object's links always go into one file). */
const LINK_VALUES_PER_FILE = 50_000;
/** Re-indexing 100,000 objects takes minutes on a loaded machine. */
const TOOL_TIMEOUT_MS = 60 * 60_000;
/** Hash chains of ldb's in-memory index cache per object of the plan (about ten index records each, see above). */
const INDEX_CACHE_PER_OBJECT = 20;

export interface OfflineSeedStats {
  linkValues: number;
  /** Milliseconds: adds, links, and the index rebuild + compaction. */
  phases: { add: number; link: number; index: number };
}

/** The partition file of the domain naming context, where the fixture's objects go. */
function domainPartitionFile(paths: InstancePaths, baseDn: string): string {
  return path.join(paths.dc, 'private', 'sam.ldb.d', `${baseDn.toUpperCase()}.ldb`);
}

/** The indexing switches of @INDEXLIST that make adds slow: attribute indexes and the one-level index. */
export interface IndexSwitches {
  attributes: string[];
  oneLevel: boolean;
}

/** Parses the @IDXATTR and @IDXONE lines of an @INDEXLIST record printed by ldbsearch. */
export function parseIndexList(ldif: string): IndexSwitches {
  const attributes: string[] = [];
  let oneLevel = false;
  for (const raw of ldif.split('\n')) {
    const match = /^(@IDXATTR|@IDXONE): (.*)$/.exec(raw.trim());
    if (!match) continue;
    if (match[1] === '@IDXATTR') attributes.push(match[2] as string);
    else oneLevel = match[2] === '1';
  }
  return { attributes, oneLevel };
}

/** The LDIF that turns the switches off (`delete`) or back on (`add`). */
export function indexListChange(switches: IndexSwitches, operation: 'add' | 'delete'): string {
  const lines = ['dn: @INDEXLIST', 'changetype: modify'];
  if (switches.attributes.length > 0) {
    lines.push(`${operation}: @IDXATTR`);
    if (operation === 'add') for (const a of switches.attributes) lines.push(`@IDXATTR: ${a}`);
    lines.push('-');
  }
  if (switches.oneLevel) {
    lines.push(`${operation}: @IDXONE`);
    if (operation === 'add') lines.push('@IDXONE: 1');
    lines.push('-');
  }
  return `${lines.join('\n')}\n`;
}

/** The ldb_connect option (`-o`) that sizes ldb's in-memory index cache to a partition of `objects` fixture objects. */
export function indexCacheOption(objects: number): string[] {
  return ['-o', `transaction_index_cache_size:${Math.max(10_000, objects * INDEX_CACHE_PER_OBJECT)}`];
}

/** Hash chains for the partition's tdb: a few records per chain once the plan's objects and their indexes are in. */
export function partitionHashSize(objects: number): number {
  return Math.max(10_000, objects * 4);
}

/** LDIF files of at most `perFile` objects each, in plan order (OUs first, parents before children). */
export function addFiles(objects: readonly PlannedObject[], perFile = OBJECTS_PER_FILE): string[] {
  const files: string[] = [];
  for (let i = 0; i < objects.length; i += perFile) {
    const records = objects
      .slice(i, i + perFile)
      .map((o) => addRecord(o.dn, { objectClass: o.objectClass, ...o.attributes }));
    files.push(records.join('\n'));
  }
  return files;
}

/** LDIF files replacing every object's links with their target DNs, about `perFile` values each. */
export function linkFiles(
  plan: SeedPlan,
  perFile = LINK_VALUES_PER_FILE,
): { files: string[]; linkValues: number } {
  const dnOf = (key: string) => (plan.byKey.get(key) as PlannedObject).dn;
  const files: string[] = [];
  let records: string[] = [];
  let values = 0;
  let linkValues = 0;
  for (const o of plan.objects) {
    const entries = Object.entries(o.links) as [LinkAttribute, string[]][];
    if (entries.length === 0) continue;
    const count = entries.reduce((n, [, keys]) => n + keys.length, 0);
    if (records.length > 0 && values + count > perFile) {
      files.push(records.join('\n'));
      records = [];
      values = 0;
    }
    records.push(replaceRecord(o.dn, Object.fromEntries(entries.map(([a, keys]) => [a, keys.map(dnOf)]))));
    values += count;
    linkValues += count;
  }
  if (records.length > 0) files.push(records.join('\n'));
  return { files, linkValues };
}

/**
 * Writes the plan into the stopped DC of `paths`. The DC must not run (ldb tools and samba would both write the
 * database). On failure the database is left half-seeded: the caller rebuilds the instance.
 */
export async function seedOffline(
  plan: SeedPlan,
  paths: InstancePaths,
  baseDn: string,
  log: (line: string) => void,
): Promise<OfflineSeedStats> {
  const samLdb = path.join(paths.dc, 'private', 'sam.ldb');
  const partition = domainPartitionFile(paths, baseDn);
  await fs.access(partition).catch(() => {
    throw new Error(`offline seeding: no partition file ${partition} for ${baseDn}`);
  });
  // Without fsync every ldb transaction is several times faster; lab data is disposable (as in server.ts).
  const env = { ...process.env, TDB_NO_FSYNC: '1' };
  const cacheOption = indexCacheOption(plan.objects.length);
  const tool = async (command: string, args: string[], step: string) => {
    const started = performance.now();
    const ldbTool = command.startsWith('ldb');
    const result = await run(command, ldbTool ? [...cacheOption, ...args] : args, {
      step,
      env,
      timeoutMs: TOOL_TIMEOUT_MS,
    });
    log(`offline seeding: ${step}: ${Math.round(performance.now() - started)} ms`);
    return result;
  };
  // The raw partition (tdb://) for @INDEXLIST: through sam.ldb Samba would answer from its schema instead.
  const raw = `tdb://${partition}`;
  const work = path.join(paths.root, 'ldif');
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { recursive: true, mode: 0o700 });
  const writeFile = async (name: string, text: string) => {
    const file = path.join(work, name);
    await fs.writeFile(file, text, { mode: 0o600 });
    return file;
  };
  const { phases, lap } = phaseTimer(['add', 'link', 'index']);
  try {
    // The partition's tdb has the 10,000 hash chains ldb gives a new database, and a 100,000-contact fixture puts over
    // a million records in it (each object and about ten index records): every store and look-up walked chains of a
    // hundred, and writing the re-index out at commit was the slowest part of seeding. tdbbackup copies it into a
    // table sized to the plan first (a 20,000-contact re-index and commit: 8.0 s of CPU → 6.3 s).
    await tool(
      'tdbbackup',
      ['-n', String(partitionHashSize(plan.objects.length)), '-s', '.rehash', partition],
      'resizing the partition hash table',
    );
    await fs.rename(`${partition}.rehash`, partition);
    const listed = await tool(
      'ldbsearch',
      ['-H', raw, '-s', 'base', '-b', '@INDEXLIST'],
      'reading @INDEXLIST',
    );
    const switches = parseIndexList(listed.stdout);
    if (switches.attributes.length === 0)
      throw new Error(
        `offline seeding: ${partition} has no attribute indexes to switch off (not provisioned?)`,
      );
    await tool(
      'ldbmodify',
      ['-H', raw, await writeFile('indexes-off.ldif', indexListChange(switches, 'delete'))],
      'switching indexes off',
    );
    const adds = addFiles(plan.objects);
    for (const [i, text] of adds.entries()) {
      await tool(
        'ldbadd',
        ['-H', samLdb, await writeFile('add.ldif', text)],
        `adding objects (file ${i + 1})`,
      );
    }
    lap('add');
    log(`offline seeding: ${plan.objects.length} objects in; re-indexing`);
    await tool(
      'ldbmodify',
      ['-H', raw, await writeFile('indexes-on.ldif', indexListChange(switches, 'add'))],
      'rebuilding the indexes',
    );
    lap('index');
    // Links only now: Samba checks every new member with a search on primaryGroupID, a scan without indexes.
    const links = linkFiles(plan);
    for (const [i, text] of links.files.entries())
      await tool(
        'ldbmodify',
        ['-H', samLdb, await writeFile('links.ldif', text)],
        `writing links (file ${i + 1})`,
      );
    lap('link');
    // Re-indexing leaves the tdb file about twice its size; every reset copies it, so compact it once here.
    await tool('tdbtool', [partition, 'repack'], 'compacting the partition');
    lap('index');
    return { linkValues: links.linkValues, phases };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
