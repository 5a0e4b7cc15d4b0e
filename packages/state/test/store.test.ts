// The StateStore contract, run against both engines: every record kind, validation, secrets,
// schema versioning, leases within one process, and the audit folder round trip.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  BackupExistsError,
  GroupHasOpenMigrationError,
  InvalidInputError,
  LeaseLostError,
  NotFoundError,
  OPEN_STATUSES,
  SchemaTooNewError,
  SecretInStateError,
  StoreUnavailableError,
  openStateStore,
  startHeartbeat,
  type StateStore,
} from '../src/index.js';
import { exportMigration, importMigration, SCHEMA_MIGRATIONS } from '../src/testing.js';
import { ENGINES, eventually, rawSql } from './support.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

/** Writes a finding the way schema versions 1–5 kept it: in the `errors` table, what it is about in `target`. */
function writeFindingAsBeforeV6(
  location: string,
  finding: {
    migrationId: string;
    seq: number;
    code: string;
    severity: string;
    attribute: string | null;
    target: string | null;
    message: string;
    step: string | null;
    at: number;
  },
): Promise<unknown> {
  const f = finding;
  return rawSql(
    location,
    'INSERT INTO errors (migration_id, seq, code, severity, attribute, target, message, step, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [f.migrationId, f.seq, f.code, f.severity, f.attribute, f.target, f.message, f.step, f.at],
  );
}

const oldInfo = (migrationId: string, message: string) => ({
  migrationId,
  seq: 1,
  code: 'X',
  severity: 'info',
  attribute: null,
  target: null,
  message,
  step: null,
  at: Date.now(),
});

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

describe.each(ENGINES)('state store on $engine', (engine) => {
  let store: StateStore;
  let target: string;
  const tempDirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlmigrate-export-'));
    tempDirs.push(dir);
    return dir;
  };

  beforeEach(async () => {
    target = await engine.fresh();
    store = await openStateStore(target);
  });
  afterEach(async () => {
    await store.close();
  });
  afterAll(async () => {
    await engine.cleanup();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the engine the location asks for', () => {
    expect(store.engine).toBe(engine.engine);
  });

  it('creates, reads, lists and updates migrations', async () => {
    const created = await store.createMigration({
      group: { address: 'Sales@contoso.com' },
      strategy: 'recreate',
      options: { retainOnPrem: true, wave: 2 },
    });
    expect(created).toMatchObject({
      group: { address: 'Sales@contoso.com', objectGuid: null },
      strategy: 'recreate',
      options: { retainOnPrem: true, wave: 2 },
      status: 'planned',
      currentStep: null,
      lease: null,
      batchId: null,
      batchLevel: null,
    });
    expect(await store.getMigration(created.id)).toEqual(created);
    expect(await store.getMigration('no-such-migration')).toBeNull();

    const second = await store.createMigration({
      id: 'm-2',
      group: { address: 'hr@contoso.com', objectGuid: '1b2c3d4e-0000-4000-8000-000000000001' },
      strategy: 'convert',
    });
    expect(second.id).toBe('m-2');
    await expect(
      store.createMigration({ id: 'm-2', group: { address: 'x@contoso.com' }, strategy: 'convert' }),
    ).rejects.toMatchObject({ code: 'STATE_ALREADY_EXISTS' });

    const updated = await store.updateMigration(created.id, { status: 'running', objectGuid: 'aa-bb' });
    expect(updated).toMatchObject({
      status: 'running',
      group: { objectGuid: 'aa-bb' },
      options: created.options,
    });

    expect((await store.listMigrations()).map((m) => m.id).sort()).toEqual([created.id, 'm-2'].sort());
    expect((await store.listMigrations({ group: 'sales@CONTOSO.com' })).map((m) => m.id)).toEqual([
      created.id,
    ]);
    expect(
      (await store.listMigrations({ group: '1B2C3D4E-0000-4000-8000-000000000001' })).map((m) => m.id),
    ).toEqual(['m-2']);
    expect((await store.listMigrations({ status: 'planned' })).map((m) => m.id)).toEqual(['m-2']);
    expect(await store.listMigrations({ status: OPEN_STATUSES })).toHaveLength(2);
    await expect(store.updateMigration('nope', { status: 'failed' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('generates sortable ids', async () => {
    const first = await store.createMigration({ group: { address: 'a@contoso.com' }, strategy: 'recreate' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await store.createMigration({ group: { address: 'b@contoso.com' }, strategy: 'recreate' });
    expect(first.id < second.id).toBe(true);
    expect(first.id).toMatch(/^[0-9a-z]{22}$/);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    await expect(
      store.createMigration({ group: { address: '' }, strategy: 'recreate' }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      store.createMigration({ group: { address: 'a@b' }, strategy: 'move' as 'recreate' }),
    ).rejects.toThrow(/strategy must be one of recreate, convert/);
    await expect(
      store.createMigration({ id: '../escape', group: { address: 'a@b' }, strategy: 'recreate' }),
    ).rejects.toThrow(/not valid/);
    const migration = await store.createMigration({ group: { address: 'a@b' }, strategy: 'recreate' });
    await expect(
      store.appendJournal(migration.id, { step: 'stage', event: 'done' as 'completed' }),
    ).rejects.toThrow(/journal event must be one of/);
    await expect(store.putBackup(migration.id, '../../etc/passwd', {})).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(
      store.addFindings(migration.id, [{ code: 'X', severity: 'fatal' as 'info', message: 'm' }]),
    ).rejects.toThrow(/severity/);
    await expect(store.claimNext('b', 'r', 0)).rejects.toThrow(/lease duration/);
    expect(await store.listMigrations()).toHaveLength(1);
    expect(await store.listJournal(migration.id)).toEqual([]);
    expect(await store.listFindings(migration.id)).toEqual([]);
  });

  it('refuses to store secrets in options, journal data and batch input', async () => {
    await expect(
      store.createMigration({
        group: { address: 'a@b' },
        strategy: 'recreate',
        options: {
          ldap: { url: 'ldaps://dc', bindPassword: 'hunter2' },
          certificate: { privateKeyPem: 'x' },
        },
      }),
    ).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof SecretInStateError &&
        error.paths.join() === 'ldap.bindPassword,certificate.privateKeyPem' &&
        !error.message.includes('hunter2'),
    );
    const migration = await store.createMigration({
      group: { address: 'a@b' },
      strategy: 'recreate',
      options: { tokenEndpoint: 'https://login.example/token', certificatePath: '/keys/app.pem' },
    });
    await expect(
      store.appendJournal(migration.id, {
        step: 'stage',
        event: 'started',
        data: { header: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJl' },
      }),
    ).rejects.toBeInstanceOf(SecretInStateError);
    // A record's keys are data: a migration id whose random tail ends in "pfx" is not a secret's name.
    await store.appendJournal(migration.id, {
      step: 'stage',
      event: 'started',
      data: { deletionsSeen: { '01m8wawf73hw5gkmtxdpfx': { at: 1 } } },
    });
    await expect(
      store.updateMigration(migration.id, { options: { note: '-----BEGIN RSA PRIVATE KEY-----\nMII…' } }),
    ).rejects.toBeInstanceOf(SecretInStateError);
    await expect(
      store.createBatch({
        input: { client_secret: 's' },
        levels: [[{ group: { address: 'c@d' }, strategy: 'convert' }]],
      }),
    ).rejects.toBeInstanceOf(SecretInStateError);
    expect((await store.listJournal(migration.id)).map((entry) => entry.data)).toEqual([
      { deletionsSeen: { '01m8wawf73hw5gkmtxdpfx': { at: 1 } } },
    ]);
    expect(await store.listBatches()).toEqual([]);
  });

  it('appends the journal with contiguous sequence numbers and moves the current step along', async () => {
    const migration = await store.createMigration({ group: { address: 'a@b' }, strategy: 'recreate' });
    const first = await store.appendJournal(migration.id, { step: 'capture', event: 'started' });
    const second = await store.appendJournal(migration.id, {
      step: 'capture',
      event: 'completed',
      data: { snapshot: 'onprem-group' },
    });
    // Concurrent appends from one process still get distinct, gap-free numbers.
    await Promise.all(
      ['validate', 'stage', 'park'].map((step) =>
        store.appendJournal(migration.id, { step, event: 'started' }),
      ),
    );
    const last = await store.appendJournalAndSetStatus(
      migration.id,
      { step: 'stage', event: 'undone', data: { removedTemporaryDl: 'tmp-x' } },
      'rolled_back',
    );
    expect([first.seq, second.seq, last.seq]).toEqual([1, 2, 6]);
    const journal = await store.listJournal(migration.id);
    expect(journal.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(journal[1]).toMatchObject({
      step: 'capture',
      event: 'completed',
      data: { snapshot: 'onprem-group' },
    });
    expect(await store.getMigration(migration.id)).toMatchObject({
      currentStep: 'stage',
      status: 'rolled_back',
    });
    await expect(store.appendJournal('missing', { step: 'x', event: 'started' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('keeps backups write-once', async () => {
    const migration = await store.createMigration({ group: { address: 'a@b' }, strategy: 'recreate' });
    const group = { cn: 'Sales', member: ['CN=A', 'CN=B'], proxyAddresses: ['SMTP:sales@contoso.com'] };
    const stored = await store.putBackup(migration.id, 'onprem-group', group);
    expect(stored).toMatchObject({ migrationId: migration.id, kind: 'onprem-group', data: group });
    // The same capture again (after a crash) is accepted, whatever the key order.
    const again = await store.putBackup(migration.id, 'onprem-group', {
      proxyAddresses: ['SMTP:sales@contoso.com'],
      member: ['CN=A', 'CN=B'],
      cn: 'Sales',
    });
    expect(again).toEqual(stored);
    await expect(
      store.putBackup(migration.id, 'onprem-group', { ...group, member: [] }),
    ).rejects.toBeInstanceOf(BackupExistsError);
    await store.putBackup(migration.id, 'cloud-dl', { identity: 'sales', members: [] });
    expect((await store.listBackups(migration.id)).map((backup) => backup.kind)).toEqual([
      'cloud-dl',
      'onprem-group',
    ]);
    expect((await store.getBackup(migration.id, 'onprem-group'))?.data).toEqual(group);
    expect(await store.getBackup(migration.id, 'graph-group')).toBeNull();
    expect(await store.hasBackup(migration.id, 'onprem-group')).toBe(true);
    expect(await store.hasBackup(migration.id, 'graph-group')).toBe(false);
    // Only the kinds that start with the prefix; a prefix is checked as a kind is.
    await store.putBackup(migration.id, 'onprem-groupie', { cn: 'x' });
    expect((await store.listBackups(migration.id, 'onprem-')).map((backup) => backup.kind)).toEqual([
      'onprem-group',
      'onprem-groupie',
    ]);
    expect(await store.listBackups(migration.id, 'graph-')).toEqual([]);
    await expect(store.listBackups(migration.id, "x' OR 1=1")).rejects.toThrow(/backup kind/);
    await expect(store.putBackup('missing', 'cloud-dl', {})).rejects.toBeInstanceOf(NotFoundError);

    // Serialised by the caller already (core's captureOnce): that text is what is stored, not a second serialisation.
    const members = { members: Array.from({ length: 3 }, (_, i) => `CN=m${i}`) };
    const json = JSON.stringify(members);
    expect((await store.putBackup(migration.id, 'onprem-links', members, json)).data).toBe(members);
    expect(
      await rawSql(target, 'SELECT data FROM backups WHERE migration_id = ? AND kind = ?', [
        migration.id,
        'onprem-links',
      ]),
    ).toEqual([{ data: json }]);
    expect((await store.getBackup(migration.id, 'onprem-links'))?.data).toEqual(members);
    await expect(store.putBackup(migration.id, 'onprem-links', members)).resolves.toMatchObject({
      data: members,
    });
  });

  it('records, lists and clears findings', async () => {
    const migration = await store.createMigration({ group: { address: 'a@b' }, strategy: 'recreate' });
    const added = await store.addFindings(migration.id, [
      {
        code: 'E_PROXY_ADDRESS_EXISTS',
        severity: 'blocking',
        message: 'address in use',
        attribute: 'proxyAddresses',
        subject: 'smtp:x@contoso.com',
        step: 'validate',
      },
      { code: 'I_NESTED_MEMBER', severity: 'info', message: 'nested group member', step: 'capture' },
    ]);
    expect(added.map((finding) => finding.seq)).toEqual([1, 2]);
    expect(await store.listFindings(migration.id)).toEqual(added);
    expect(added[1]).toMatchObject({ attribute: null, subject: null, severity: 'info' });
    expect(await store.clearFindings(migration.id, 'validate')).toBe(1);
    expect((await store.listFindings(migration.id)).map((finding) => finding.code)).toEqual([
      'I_NESTED_MEMBER',
    ]);
    const later = await store.addFindings(migration.id, [
      { code: 'N_SENDAS', severity: 'needs-action', message: 'grant SendAs' },
    ]);
    expect(later[0]?.seq).toBe(3);
    expect(await store.dropFindings(migration.id, [])).toBe(0);
    expect(await store.dropFindings(migration.id, [3, 99])).toBe(1);
    expect((await store.listFindings(migration.id)).map((finding) => finding.seq)).toEqual([2]);
    await expect(store.dropFindings(migration.id, [0])).rejects.toThrow(TypeError);
    await store.addFindings(migration.id, [{ code: 'N_SENDAS', severity: 'needs-action', message: 'again' }]);
    expect(await store.clearFindings(migration.id)).toBe(2);
  });

  it('stores and replaces the report', async () => {
    const migration = await store.createMigration({ group: { address: 'a@b' }, strategy: 'recreate' });
    expect(await store.getReport(migration.id)).toBeNull();
    await store.putReport(migration.id, { outcome: 'running' });
    const report = await store.putReport(migration.id, {
      outcome: 'completed',
      steps: ['capture', 'validate'],
    });
    expect(await store.getReport(migration.id)).toEqual(report);
    expect(report.report).toEqual({ outcome: 'completed', steps: ['capture', 'validate'] });
  });

  it('creates a batch with its levels and migrations and reports progress per level', async () => {
    const { batch, migrations } = await store.createBatch({
      id: 'wave-1',
      input: { file: 'groups.csv' },
      levels: [
        [
          { group: { address: 'child1@contoso.com' }, strategy: 'recreate' },
          { group: { address: 'child2@contoso.com' }, strategy: 'convert' },
        ],
        [{ group: { address: 'parent@contoso.com' }, strategy: 'recreate', options: { retain: true } }],
      ],
    });
    expect(batch).toMatchObject({ id: 'wave-1', status: 'planned', input: { file: 'groups.csv' } });
    expect(batch.levels.map((level) => [level.level, level.phase, level.syncCoordinator])).toEqual([
      [0, 'pending', null],
      [1, 'pending', null],
    ]);
    expect(migrations.map((m) => [m.batchId, m.batchLevel])).toEqual([
      ['wave-1', 0],
      ['wave-1', 0],
      ['wave-1', 1],
    ]);
    expect(await store.listMigrations({ batchId: 'wave-1', batchLevel: 0 })).toHaveLength(2);
    await expect(
      store.createBatch({
        id: 'wave-1',
        input: {},
        levels: [[{ group: { address: 'x@y' }, strategy: 'convert' }]],
      }),
    ).rejects.toMatchObject({
      code: 'STATE_ALREADY_EXISTS',
    });
    await expect(store.createBatch({ input: {}, levels: [[]] })).rejects.toBeInstanceOf(InvalidInputError);

    await store.updateMigration(migrations[0]!.id, { status: 'completed' });
    await store.updateMigration(migrations[1]!.id, { status: 'failed' });
    await store.updateMigration(migrations[2]!.id, { status: 'blocked' });
    const level = await store.updateBatchLevel('wave-1', 0, {
      phase: 'syncing',
      data: { syncTriggeredAt: 'now' },
    });
    expect(level).toMatchObject({ phase: 'syncing', data: { syncTriggeredAt: 'now' } });
    expect((await store.updateBatchLevel('wave-1', 0, { phase: 'done' })).data).toEqual({
      syncTriggeredAt: 'now',
    });
    await expect(store.updateBatchLevel('wave-1', 7, { phase: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    // One level alone reads what getBatch lists for it.
    expect(await store.getBatchLevel('wave-1', 0)).toEqual(
      (await store.getBatch('wave-1'))?.levels.find((l) => l.level === 0),
    );
    expect(await store.getBatchLevel('wave-1', 1)).toMatchObject({
      batchId: 'wave-1',
      level: 1,
      phase: 'pending',
    });
    expect(await store.getBatchLevel('wave-1', 7)).toBeNull();
    expect(await store.getBatchLevel('nope', 0)).toBeNull();

    expect(await store.claimLevelSync('wave-1', 0, 'runner-a', 60_000)).toBe(true);
    expect(await store.claimLevelSync('wave-1', 0, 'runner-b', 60_000)).toBe(false);
    expect(await store.claimLevelSync('wave-1', 0, 'runner-a', 60_000)).toBe(true);
    // Given up (a runner stopped by Ctrl-C): only by its holder, and then another runner takes it at once.
    await store.releaseLevelSync('wave-1', 0, 'runner-b');
    expect(await store.claimLevelSync('wave-1', 0, 'runner-b', 60_000)).toBe(false);
    await store.releaseLevelSync('wave-1', 0, 'runner-a');
    expect(await store.claimLevelSync('wave-1', 0, 'runner-b', 60_000)).toBe(true);
    expect(await store.claimLevelSync('wave-1', 1, 'runner-b', 1)).toBe(true);
    // An expired coordination lease can be taken over.
    await eventually(
      async () => ((await store.claimLevelSync('wave-1', 1, 'runner-c', 60_000)) ? true : null),
      20,
    );

    await store.setBatchStatus('wave-1', 'completed_with_failures');
    const progress = await store.batchProgress('wave-1');
    expect(progress.status).toBe('completed_with_failures');
    expect(progress.levels[0]).toMatchObject({
      level: 0,
      phase: 'done',
      total: 2,
      syncCoordinator: { owner: 'runner-b' }, // runner-a gave it up
    });
    expect(progress.levels[0]?.byStatus).toMatchObject({ completed: 1, failed: 1, planned: 0 });
    expect(progress.levels[1]).toMatchObject({
      total: 1,
      byStatus: { blocked: 1 },
      syncCoordinator: { owner: 'runner-c' },
    });
    expect((await store.getBatch('wave-1'))?.status).toBe('completed_with_failures');
    expect((await store.listBatches()).map((b) => b.id)).toEqual(['wave-1']);
    expect(await store.getBatch('nope')).toBeNull();
    await expect(store.setBatchStatus('nope', 'running')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('claims open migrations level by level, and never one with a live lease', async () => {
    const { migrations } = await store.createBatch({
      id: 'b',
      input: {},
      levels: [
        [
          { group: { address: 'c1@x' }, strategy: 'recreate' },
          { group: { address: 'c2@x' }, strategy: 'recreate', status: 'completed' },
        ],
        [{ group: { address: 'p@x' }, strategy: 'recreate' }],
      ],
    });
    const [c1, , p] = migrations;
    expect(await store.claimNext('b', 'r1', 60_000, { level: 1 })).toMatchObject({
      id: p!.id,
      lease: { owner: 'r1' },
    });
    expect(await store.claimNext('b', 'r2', 60_000)).toMatchObject({ id: c1!.id, lease: { owner: 'r2' } });
    expect(await store.claimNext('b', 'r3', 60_000)).toBeNull();
    expect(await store.claimMigration(c1!.id, 'r3', 60_000)).toBeNull();
    expect(await store.renewLease(c1!.id, 'r2', 60_000)).toBe(true);
    expect(await store.renewLease(c1!.id, 'r3', 60_000)).toBe(false);
    await store.releaseLease(c1!.id, 'r2');
    expect((await store.getMigration(c1!.id))?.lease).toBeNull();
    expect(await store.claimMigration(c1!.id, 'r3', 60_000)).toMatchObject({ lease: { owner: 'r3' } });
    await expect(store.claimMigration('missing', 'r3', 60_000)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("names a batch's live runners: owners of its unexpired group leases and of a level's sync coordination", async () => {
    const { migrations } = await store.createBatch({
      id: 'b',
      input: {},
      levels: [
        [
          { group: { address: 'c1@x' }, strategy: 'recreate' },
          { group: { address: 'c2@x' }, strategy: 'recreate' },
        ],
        [{ group: { address: 'p@x' }, strategy: 'recreate' }],
      ],
    });
    await store.createBatch({
      id: 'other',
      input: {},
      levels: [[{ group: { address: 'o@x' }, strategy: 'recreate' }]],
    });
    expect(await store.batchRunners('b')).toEqual([]);
    await store.claimMigration(migrations[0]!.id, 'r2', 60_000);
    await store.claimMigration(migrations[1]!.id, 'r2', 60_000);
    await store.claimNext('other', 'elsewhere', 60_000);
    expect(await store.batchRunners('b')).toEqual(['r2']);
    await store.claimLevelSync('b', 1, 'r1', 60_000);
    expect(await store.batchRunners('b')).toEqual(['r1', 'r2']);
    await store.releaseLease(migrations[0]!.id, 'r2');
    expect(await store.batchRunners('b')).toEqual(['r1', 'r2']);
    await store.releaseLease(migrations[1]!.id, 'r2');
    await store.releaseLevelSync('b', 1, 'r1');
    // A lease that ran out is a runner gone.
    await store.claimMigration(migrations[2]!.id, 'r3', 1);
    expect(
      await eventually(async () => ((await store.batchRunners('b')).length === 0 ? true : null), 20),
    ).toBe(true);
  });

  it('tells the clock lease times are written by: a lease just taken runs out leaseMs after it', async () => {
    const { migrations } = await store.createBatch({
      id: 'b',
      input: {},
      levels: [[{ group: { address: 'c1@x' }, strategy: 'recreate' }]],
    });
    const before = await store.now();
    const claimed = await store.claimMigration(migrations[0]!.id, 'r1', 60_000);
    const after = await store.now();
    const expires = Date.parse(claimed!.lease!.expiresAt);
    expect(Number.isInteger(before)).toBe(true);
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(after + 60_000);
  });

  it('fences writes of a runner whose lease was taken over, and its heartbeat notices', async () => {
    await store.createBatch({
      id: 'b',
      input: {},
      levels: [[{ id: 'm', group: { address: 'a@x' }, strategy: 'recreate' }]],
    });
    expect(await store.claimNext('b', 'slow', 1)).not.toBeNull();
    await store.appendJournal('m', { step: 'stage', event: 'started' }, { runnerId: 'slow' });
    let lostCalls = 0;
    const heartbeat = startHeartbeat(store, {
      migrationId: 'm',
      runnerId: 'slow',
      leaseMs: 1,
      intervalMs: 10,
      onLost: () => lostCalls++,
    });
    const taken = await eventually(() => store.claimNext('b', 'fast', 60_000), 5);
    expect(taken.lease?.owner).toBe('fast');
    await expect(
      store.appendJournal('m', { step: 'stage', event: 'completed' }, { runnerId: 'slow' }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(
      store.updateMigration('m', { status: 'failed' }, { runnerId: 'slow' }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await eventually(async () => (heartbeat.lost ? true : null), 10);
    await heartbeat.stop();
    expect(lostCalls).toBe(1);
    await store.appendJournal('m', { step: 'stage', event: 'completed' }, { runnerId: 'fast' });
    expect((await store.listJournal('m')).map((entry) => entry.seq)).toEqual([1, 2]);
  });

  it('keeps a lease alive with a heartbeat until stopped', async () => {
    await store.createBatch({
      id: 'b',
      input: {},
      levels: [[{ id: 'm', group: { address: 'a@x' }, strategy: 'recreate' }]],
    });
    const claimed = await store.claimNext('b', 'r1', 60_000);
    const heartbeat = startHeartbeat(store, {
      migrationId: 'm',
      runnerId: 'r1',
      leaseMs: 60_000,
      intervalMs: 10,
    });
    const renewed = await eventually(async () => {
      const lease = (await store.getMigration('m'))?.lease;
      return lease && lease.expiresAt > claimed!.lease!.expiresAt ? lease : null;
    }, 10);
    await heartbeat.stop();
    expect(heartbeat.lost).toBe(false);
    expect(renewed.owner).toBe('r1');
  });

  it('applies schema migrations once, in order, and records their versions', async () => {
    expect(await store.schemaVersion()).toBe(SCHEMA_MIGRATIONS.length);
    await store.createMigration({ id: 'kept', group: { address: 'a@x' }, strategy: 'recreate' });
    await store.close();

    const extra = {
      version: SCHEMA_MIGRATIONS.length + 1,
      name: 'test: notes table',
      statements: ['CREATE TABLE test_notes (id TEXT PRIMARY KEY, note TEXT NOT NULL)'],
    };
    // Opening twice more: the second would fail on CREATE TABLE if the migration ran again.
    store = await openStateStore(target, { schemaMigrations: [...SCHEMA_MIGRATIONS, extra] });
    await store.close();
    store = await openStateStore(target, { schemaMigrations: [...SCHEMA_MIGRATIONS, extra] });
    expect(await store.schemaVersion()).toBe(extra.version);
    expect(await store.getMigration('kept')).not.toBeNull();
    await store.close();

    // A store written by a newer version is refused rather than misread.
    await expect(openStateStore(target)).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(openStateStore(target, { schemaMigrations: [{ ...extra, version: 5 }] })).rejects.toThrow(
      /numbered 1, 2, 3/,
    );
    store = await openStateStore(target, { schemaMigrations: [...SCHEMA_MIGRATIONS, extra] });
  });

  it('brings a store of schema version 1 forward without losing its journal', async () => {
    await store.close();
    const oldTarget = await engine.fresh();
    const old = await openStateStore(oldTarget, { schemaMigrations: SCHEMA_MIGRATIONS.slice(0, 1) });
    await old.createMigration({ id: 'old', group: { address: 'a@x' }, strategy: 'recreate' });
    await old.appendJournal('old', { step: 'stage', event: 'started', data: { temporaryDl: 't' } });
    await old.appendJournal('old', { step: 'stage', event: 'completed' });
    const before = await old.listJournal('old');
    await expect(old.appendJournal('old', { step: 'stage', event: 'undo-started' })).rejects.toThrow(); // v1 refuses it
    expect(await old.schemaVersion()).toBe(1);
    await old.close();

    store = await openStateStore(oldTarget);
    expect(await store.schemaVersion()).toBe(SCHEMA_MIGRATIONS.length);
    expect(await store.listJournal('old')).toEqual(before);
    const next = await store.appendJournal('old', { step: 'stage', event: 'undo-started' });
    expect(next.seq).toBe(3);
    // Version 3 rebuilt every table that points at migrations: their rows and the cascade survive it.
    await store.putBackup('old', 'snapshot', { a: 1 });
    await store.addFindings('old', [{ code: 'X', severity: 'info', message: 'm' }]);
    expect((await store.updateMigration('old', { status: 'undo_failed' })).status).toBe('undo_failed');
  });

  it('upgrades a store holding two open migrations of one group: the newer keeps it, the older is set aside', async () => {
    await store.close();
    const oldTarget = await engine.fresh();
    // Version 2 had no one-open-per-group index: two runs of one group could both be admitted (issue 13).
    const old = await openStateStore(oldTarget, { schemaMigrations: SCHEMA_MIGRATIONS.slice(0, 2) });
    const group = { address: 'finance@contoso.com' };
    await old.createMigration({ id: 'run-older', group, strategy: 'recreate', status: 'parked' });
    await writeFindingAsBeforeV6(oldTarget, oldInfo('run-older', 'kept finding'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await old.createMigration({
      id: 'run-newer',
      group: { address: 'Finance@Contoso.com' },
      strategy: 'recreate',
      status: 'running',
    });
    await old.createMigration({ id: 'done-before', group, strategy: 'recreate', status: 'completed' });
    await old.createMigration({
      id: 'other-group',
      group: { address: 'hr@contoso.com' },
      strategy: 'recreate',
      status: 'parked',
    });
    await old.close();

    store = await openStateStore(oldTarget);
    expect(await store.schemaVersion()).toBe(SCHEMA_MIGRATIONS.length);
    expect((await store.getMigration('run-newer'))?.status).toBe('running');
    expect((await store.openMigrationOf('finance@contoso.com'))?.id).toBe('run-newer');
    expect((await store.getMigration('run-older'))?.status).toBe('failed');
    expect((await store.getMigration('done-before'))?.status).toBe('completed');
    expect((await store.getMigration('other-group'))?.status).toBe('parked');
    const findings = await store.listFindings('run-older');
    expect(findings.map((e) => [e.seq, e.code, e.severity])).toEqual([
      [1, 'X', 'info'],
      [2, 'SUPERSEDED_AT_UPGRADE', 'needs-action'],
    ]);
    expect(findings[1]!.message).toContain(
      'run-older (parked) and run-newer were both open on finance@contoso.com',
    );
    expect(findings[1]!.message).toContain('dlmigrate status run-older');
    expect(await store.listFindings('run-newer')).toEqual([]);
    // The index now stands: the set-aside migration cannot take the group back while the newer one holds it.
    await expect(store.updateMigration('run-older', { status: 'running' })).rejects.toBeInstanceOf(
      GroupHasOpenMigrationError,
    );
  });

  it('upgrades the address updates of a version 4 store to records of their own kind, their rows kept', async () => {
    await store.close();
    const oldTarget = await engine.fresh();
    // Until version 4 an address update was a 'recreate' record flagged in its options (address-update-kind.ts).
    const old = await openStateStore(oldTarget, { schemaMigrations: SCHEMA_MIGRATIONS.slice(0, 4) });
    await expect(
      old.createMigration({ group: { address: 'x@contoso.com' }, strategy: 'address-update' }),
    ).rejects.toThrow(); // version 4's CHECK refuses the kind
    const flagged = {
      strategy: 'on-premises-first',
      operation: 'update-hybrid-address',
      newAddress: 'sales-new@contoso.com',
      newAlias: 'sales-new',
    };
    await old.createMigration({
      id: 'update',
      group: { address: 'sales@contoso.com' },
      strategy: 'recreate',
      options: flagged,
      status: 'running',
    });
    await old.appendJournal('update', { step: 'update-address-cloud', event: 'started' });
    await writeFindingAsBeforeV6(oldTarget, oldInfo('update', 'kept finding'));
    await old.createMigration({
      id: 'migration',
      group: { address: 'hr@contoso.com' },
      strategy: 'recreate',
      options: { strategy: 'recreate', note: 'update-hybrid-address' },
    });
    await old.createMigration({
      id: 'converted',
      group: { address: 'it@contoso.com' },
      strategy: 'convert',
      status: 'completed',
    });
    await old.putBackup('converted', 'onprem-group', { a: 1 });
    await old.close();

    store = await openStateStore(oldTarget);
    expect(await store.schemaVersion()).toBe(SCHEMA_MIGRATIONS.length);
    const update = await store.getMigration('update');
    expect(update?.strategy).toBe('address-update');
    const { operation: _flag, ...kept } = flagged;
    expect(update?.options).toEqual(kept);
    expect(update?.status).toBe('running');
    expect((await store.listJournal('update')).map((e) => e.step)).toEqual(['update-address-cloud']);
    expect((await store.listFindings('update')).map((e) => e.message)).toEqual(['kept finding']);
    // A migration whose options merely mention the flag's text stays what it was.
    const migration = await store.getMigration('migration');
    expect(migration?.strategy).toBe('recreate');
    expect(migration?.options).toEqual({ strategy: 'recreate', note: 'update-hybrid-address' });
    expect((await store.getMigration('converted'))?.strategy).toBe('convert');
    expect((await store.getBackup('converted', 'onprem-group'))?.data).toEqual({ a: 1 });
    // The new kind is admitted, an unknown one still refused, and the one-open-per-group index stands again.
    await store.updateMigration('update', { status: 'completed' });
    const next = await store.createMigration({
      group: { address: 'sales@contoso.com' },
      strategy: 'address-update',
      status: 'running',
    });
    expect((await store.getMigration(next.id))?.strategy).toBe('address-update');
    await expect(
      store.createMigration({
        group: { address: 'sales@contoso.com' },
        strategy: 'recreate',
        status: 'running',
      }),
    ).rejects.toBeInstanceOf(GroupHasOpenMigrationError);
    await expect(
      store.createMigration({ group: { address: 'y@contoso.com' }, strategy: 'bogus' as 'recreate' }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('upgrades a version 5 store in place: its findings are in findings, what each is about its subject', async () => {
    await store.close();
    const oldTarget = await engine.fresh();
    const old = await openStateStore(oldTarget, { schemaMigrations: SCHEMA_MIGRATIONS.slice(0, 5) });
    await old.createMigration({
      id: 'sales-run',
      group: { address: 'sales@contoso.com' },
      strategy: 'recreate',
      status: 'completed_with_warnings',
    });
    await old.createMigration({ id: 'hr-run', group: { address: 'hr@contoso.com' }, strategy: 'convert' });
    expect(await old.schemaVersion()).toBe(5);
    await old.close();
    const at = Date.parse('2026-11-30T10:00:00.000Z');
    const written = [
      {
        migrationId: 'sales-run',
        seq: 1,
        code: 'ADDRESS_HELD_ELSEWHERE',
        severity: 'blocking',
        attribute: 'proxyAddresses',
        target: 'smtp:x@contoso.com',
        message: 'address in use',
        step: 'validate',
        at,
      },
      {
        migrationId: 'sales-run',
        seq: 2,
        code: 'SEND_AS_NOT_GRANTED',
        severity: 'needs-action',
        attribute: null,
        target: null,
        message: 'grant SendAs — ü kept',
        step: null,
        at: at + 1,
      },
      {
        migrationId: 'hr-run',
        seq: 1,
        code: 'NESTED_MEMBER',
        severity: 'info',
        attribute: 'member',
        target: 'CN=Nested,OU=Groups,DC=contoso,DC=com',
        message: 'nested group member',
        step: 'capture',
        at: at + 2,
      },
    ];
    for (const finding of written) await writeFindingAsBeforeV6(oldTarget, finding);

    store = await openStateStore(oldTarget);
    expect(await store.schemaVersion()).toBe(6);
    const asRecord = ({ target, at: ms, ...rest }: (typeof written)[number]) => ({
      ...rest,
      subject: target,
      at: new Date(ms).toISOString(),
    });
    expect(await store.listFindings('sales-run')).toEqual(written.slice(0, 2).map(asRecord));
    expect(await store.listFindings('hr-run')).toEqual([asRecord(written[2]!)]);
    expect((await store.readMigrationBundle('sales-run')).findings).toHaveLength(2);
    // The old names are gone from the schema…
    await expect(rawSql(oldTarget, 'SELECT * FROM errors')).rejects.toThrow();
    await expect(rawSql(oldTarget, 'SELECT target FROM findings')).rejects.toThrow();
    expect(await rawSql(oldTarget, 'SELECT COUNT(*) AS n FROM findings')).toEqual([
      { n: engine.engine === 'postgres' ? '3' : 3 },
    ]);
    // …and the table's rules came along: the sequence goes on, the primary key and the severity CHECK hold.
    const [next] = await store.addFindings('sales-run', [
      { code: 'X', severity: 'info', message: 'after the upgrade', subject: 's' },
    ]);
    expect(next).toMatchObject({ seq: 3, subject: 's' });
    const insert =
      'INSERT INTO findings (migration_id, seq, code, severity, attribute, subject, message, step, at) VALUES (?, ?, ?, ?, NULL, NULL, ?, NULL, ?)';
    await expect(rawSql(oldTarget, insert, ['hr-run', 1, 'X', 'info', 'same seq', at])).rejects.toThrow();
    await expect(
      rawSql(oldTarget, insert, ['hr-run', 2, 'X', 'fatal', 'bad severity', at]),
    ).rejects.toThrow();
    expect(await store.clearFindings('sales-run', 'validate')).toBe(1);
    if (engine.engine === 'postgres') {
      const constraints = await rawSql(
        oldTarget,
        "SELECT conname FROM pg_constraint WHERE conrelid = 'findings'::regclass ORDER BY conname",
      );
      expect(constraints.map((row) => row.conname)).toEqual([
        'findings_migration_id_fkey',
        'findings_pkey',
        'findings_severity_check',
      ]);
    }
  });

  it('imports an audit folder exported before schema version 6 (errors.json, each subject under target)', async () => {
    const migration = await store.createMigration({
      group: { address: 'sales@contoso.com' },
      strategy: 'recreate',
    });
    await store.appendJournal(migration.id, { step: 'capture', event: 'completed' });
    await store.addFindings(migration.id, [
      {
        code: 'A',
        severity: 'needs-action',
        message: 'about someone',
        subject: 'x@contoso.com',
        step: 'verify',
      },
      { code: 'B', severity: 'info', message: 'about the group' },
    ]);
    const dir = join(tempDir(), 'format-2');
    await exportMigration(store, migration.id, dir);
    // The folder as format 1 wrote it: errors.json, `target` where format 2 writes `subject`.
    const findings = JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    rmSync(join(dir, 'findings.json'));
    writeFileSync(
      join(dir, 'errors.json'),
      JSON.stringify(findings.map(({ subject, ...rest }) => ({ ...rest, target: subject }))),
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: string[] };
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        ...manifest,
        format: 'dlmigrate-state-export/1',
        files: manifest.files.map((file) => (file === 'findings.json' ? 'errors.json' : file)),
      }),
    );

    const other = await openStateStore(await engine.fresh());
    try {
      await importMigration(other, dir);
      expect(await other.readMigrationBundle(migration.id)).toEqual(
        await store.readMigrationBundle(migration.id),
      );
      expect((await other.listFindings(migration.id)).map((f) => f.subject)).toEqual(['x@contoso.com', null]);
    } finally {
      await other.close();
    }
  });

  it('admits one open migration per group, whichever connection asks, and names the open one', async () => {
    const others = await Promise.all([openStateStore(target), openStateStore(target)]);
    try {
      // Three connections start a run of the same group at once: exactly one is admitted.
      const attempts = await Promise.allSettled(
        [store, ...others].map((s) =>
          s.createMigration({
            group: { address: 'finance@contoso.com' },
            strategy: 'recreate',
            status: 'running',
          }),
        ),
      );
      const admitted = attempts.filter((a) => a.status === 'fulfilled');
      expect(admitted).toHaveLength(1);
      const open = (admitted[0] as PromiseFulfilledResult<{ id: string }>).value.id;
      for (const refused of attempts.filter((a) => a.status === 'rejected')) {
        const error = (refused as PromiseRejectedResult).reason as GroupHasOpenMigrationError;
        expect(error).toBeInstanceOf(GroupHasOpenMigrationError);
        expect(error.code).toBe('STATE_GROUP_HAS_OPEN_MIGRATION');
        expect(error.openMigrationId).toBe(open);
        expect(error.message).toContain(`dlmigrate resume ${open}`);
      }
      expect(await store.listMigrations({ group: 'finance@contoso.com' })).toHaveLength(1);
      expect((await store.openMigrationOf('FINANCE@contoso.com'))?.id).toBe(open);

      // A planned migration of the group is admitted, but cannot start while the other holds the group …
      const planned = await store.createMigration({
        group: { address: 'Finance@Contoso.com' },
        strategy: 'recreate',
        status: 'planned',
      });
      await expect(store.updateMigration(planned.id, { status: 'running' })).rejects.toMatchObject({
        code: 'STATE_GROUP_HAS_OPEN_MIGRATION',
        openMigrationId: open,
      });
      await expect(
        store.appendJournalAndSetStatus(planned.id, { step: 'capture', event: 'started' }, 'running'),
      ).rejects.toBeInstanceOf(GroupHasOpenMigrationError);
      expect((await store.getMigration(planned.id))?.status).toBe('planned');
      expect(await store.listJournal(planned.id)).toEqual([]);

      // … an unfinished undo still holds it, and a finished migration frees it.
      await store.updateMigration(open, { status: 'undo_failed' });
      await expect(others[0]!.updateMigration(planned.id, { status: 'parked' })).rejects.toBeInstanceOf(
        GroupHasOpenMigrationError,
      );
      await store.updateMigration(open, { status: 'rolled_back' });
      expect((await others[1]!.updateMigration(planned.id, { status: 'running' })).status).toBe('running');
      // Other groups are never affected.
      await store.createMigration({
        group: { address: 'sales@contoso.com' },
        strategy: 'recreate',
        status: 'running',
      });
    } finally {
      for (const other of others) await other.close();
    }
  });

  it('points a second run of a group whose open migration belongs to a batch to the batch, not to resume', async () => {
    // A batch stopped inside a level leaves its group running; `resume <id>` would run it outside the batch (no
    // lease, no level order, no shared sync), so the refusal names `batch --resume`.
    const {
      batch,
      migrations: [inBatch],
    } = await store.createBatch({
      id: 'wave-1',
      input: {},
      levels: [[{ group: { address: 'finance@contoso.com' }, strategy: 'recreate' }]],
    });
    await store.updateMigration(inBatch!.id, { status: 'running' });
    const refused = await store
      .createMigration({ group: { address: 'Finance@contoso.com' }, strategy: 'recreate', status: 'running' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(GroupHasOpenMigrationError);
    expect(refused).toMatchObject({ openMigrationId: inBatch!.id, openBatchId: batch.id });
    expect((refused as Error).message).toContain(`continue it with: dlmigrate batch --resume ${batch.id}`);
    expect((refused as Error).message).not.toContain('dlmigrate resume');
  });
  it('applies the schema exactly once when several stores open a new location at once', async () => {
    const others = await Promise.all([
      openStateStore(target),
      openStateStore(target),
      openStateStore(target),
    ]);
    for (const other of others) {
      expect(await other.schemaVersion()).toBe(SCHEMA_MIGRATIONS.length);
      await other.close();
    }
  });

  it('exports a migration as pretty owner-only JSON files and imports it back unchanged', async () => {
    const migration = await store.createMigration({
      group: { address: 'sales@contoso.com', objectGuid: 'guid-1' },
      strategy: 'recreate',
      options: { retain: true },
    });
    await store.appendJournal(migration.id, { step: 'capture', event: 'started' });
    await store.appendJournal(migration.id, { step: 'capture', event: 'completed', data: { members: 3 } });
    await store.putBackup(migration.id, 'onprem-group', { cn: 'Sales', msExchHideFromAddressLists: false });
    await store.putBackup(migration.id, 'cloud-dependents', [{ identity: 'x', right: 'SendAs' }]);
    await store.addFindings(migration.id, [
      { code: 'I_X', severity: 'info', message: 'ü — unicode kept', subject: 't' },
    ]);
    await store.putReport(migration.id, { outcome: 'completed' });
    await store.claimMigration(migration.id, 'runner', 60_000);

    const dir = join(tempDir(), 'audit', migration.id);
    const files = await exportMigration(store, migration.id, dir);
    expect(listFiles(dir)).toEqual([
      'backups/cloud-dependents.json',
      'backups/onprem-group.json',
      'findings.json',
      'journal.json',
      'manifest.json',
      'migration.json',
      'report.json',
    ]);
    for (const file of files) expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(mode(dirname(dir))).toBe(0o700);
    const journalText = readFileSync(join(dir, 'journal.json'), 'utf8');
    expect(journalText).toContain('\n  {\n    "migrationId"');
    expect(readFileSync(join(dir, 'migration.json'), 'utf8')).not.toContain('runner'); // no lease in the trail

    // Into a fresh store of the same engine…
    const otherTarget = await engine.fresh();
    const other = await openStateStore(otherTarget);
    try {
      const imported = await importMigration(other, dir);
      const original = await store.readMigrationBundle(migration.id);
      expect(await other.readMigrationBundle(migration.id)).toEqual(original);
      expect(imported.lease).toBeNull();
      const again = join(tempDir(), 'again');
      await exportMigration(other, migration.id, again);
      for (const file of listFiles(dir)) {
        expect(readFileSync(join(again, file), 'utf8')).toBe(readFileSync(join(dir, file), 'utf8'));
      }
      // …and never over an existing migration: refused, nothing changed.
      await other.appendJournal(migration.id, { step: 'validate', event: 'started' });
      await expect(importMigration(other, dir)).rejects.toMatchObject({ code: 'STATE_ALREADY_EXISTS' });
      expect(await other.listJournal(migration.id)).toHaveLength(3);
    } finally {
      await other.close();
    }
    await expect(importMigration(store, join(tempDir(), 'empty'))).rejects.toThrow(
      /cannot read .*manifest\.json/,
    );
  });

  if (engine.engine === 'sqlite') {
    it('keeps the database file, its WAL and shared-memory files and its folder owner-only', async () => {
      await store.createMigration({ group: { address: 'a@x' }, strategy: 'recreate' });
      expect(mode(target)).toBe(0o600);
      expect(mode(dirname(target))).toBe(0o700);
      for (const sidecar of [`${target}-wal`, `${target}-shm`]) expect(mode(sidecar)).toBe(0o600);
    });
  }
});

describe('across engines', () => {
  afterAll(async () => {
    for (const engine of ENGINES) await engine.cleanup();
  });

  it('moves a migration from SQLite to PostgreSQL through an audit folder', async () => {
    const [sqlite, postgres] = ENGINES as [(typeof ENGINES)[0], (typeof ENGINES)[0]];
    const from = await openStateStore(await sqlite.fresh());
    const to = await openStateStore(await postgres.fresh());
    const dir = mkdtempSync(join(tmpdir(), 'dlmigrate-cross-'));
    try {
      const migration = await from.createMigration({
        group: { address: 'a@x' },
        strategy: 'convert',
        options: { n: 1 },
      });
      await from.appendJournal(migration.id, {
        step: 'capture',
        event: 'completed',
        data: { big: 'x'.repeat(10_000) },
      });
      await from.putBackup(migration.id, 'graph-group', { id: 'g', isCloudManaged: false });
      await exportMigration(from, migration.id, dir);
      await importMigration(to, dir);
      expect(await to.readMigrationBundle(migration.id)).toEqual(
        await from.readMigrationBundle(migration.id),
      );
    } finally {
      await from.close();
      await to.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opening a store', () => {
  it('says clearly when PostgreSQL cannot be reached, without showing the password', async () => {
    const error = await openStateStore('postgres://postgres:hunter2@127.0.0.1:1/dlmigrate').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(
      /^cannot open the state store at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/dlmigrate: /,
    );
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('says clearly when the SQLite file cannot be created', async () => {
    await expect(openStateStore('/proc/dlmigrate/state.db')).rejects.toMatchObject({
      code: 'STATE_UNAVAILABLE',
    });
    await expect(openStateStore('  ')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it.each([
    [
      'migration.json',
      (m: Record<string, unknown>) => ({ ...m, status: 42 }),
      /migration status must be one of/,
    ],
    [
      'migration.json',
      (m: Record<string, unknown>) => ({ ...m, group: 'a@x' }),
      /migration\.json: group must hold/,
    ],
    [
      'journal.json',
      (j: Record<string, unknown>[]) => [{ ...j[0], seq: '1' }],
      /journal\.json entry 1: seq must be an integer/,
    ],
    [
      'findings.json',
      (f: Record<string, unknown>[]) => [{ ...f[0], message: null }],
      /findings\.json entry 1: message must be/,
    ],
    [
      'backups/onprem-group.json',
      (b: Record<string, unknown>) => ({ ...b, createdAt: 7 }),
      /backups\/onprem-group\.json: createdAt must be a string/,
    ],
    [
      'journal.json',
      (j: Record<string, unknown>[]) => j.filter((_, index) => index !== 1),
      /not contiguous: entry 2 has seq 3/,
    ],
  ] as const)(
    'refuses an audit folder whose %s is malformed (STATE_INVALID_INPUT), and writes nothing',
    async (file, damage, message) => {
      const [sqlite] = ENGINES as [(typeof ENGINES)[0]];
      const store = await openStateStore(await sqlite.fresh());
      const dir = mkdtempSync(join(tmpdir(), 'dlmigrate-damaged-'));
      try {
        const migration = await store.createMigration({
          id: 'damaged',
          group: { address: 'a@x' },
          strategy: 'convert',
        });
        for (const step of ['capture', 'validate', 'stage'])
          await store.appendJournal(migration.id, { step, event: 'completed' });
        await store.addFindings(migration.id, [{ code: 'A', severity: 'info', message: 'm' }]);
        await store.putBackup(migration.id, 'onprem-group', { dn: 'CN=A' });
        await exportMigration(store, migration.id, dir);
        const path = join(dir, file);
        writeFileSync(
          path,
          JSON.stringify((damage as (v: never) => unknown)(JSON.parse(readFileSync(path, 'utf8')) as never)),
        );
        const other = await openStateStore(await sqlite.fresh());
        try {
          await expect(importMigration(other, dir)).rejects.toMatchObject({
            code: 'STATE_INVALID_INPUT',
            message: expect.stringMatching(message),
          });
          expect(await other.getMigration('damaged')).toBeNull();
        } finally {
          await other.close();
        }
      } finally {
        await store.close();
        await sqlite.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
