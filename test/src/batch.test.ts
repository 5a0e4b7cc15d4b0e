// Batches end to end (issue 8) in the `batch` lab with an in-process simulated tenant syncing from it: a bad list is
// refused whole; the fixture's three levels of nesting migrate children first with one sync per level while a cycle
// and a parent of a child outside the set are blocked by name; a level over the sync's deletion threshold runs as
// several waves; a group that fails mid-way takes only its parent down; a parent that gained a child after planning
// waits for it; a runner killed with SIGKILL mid-level is resumed by another to the same end state.
import { childDn } from '@dlmigrate/ad';
import {
  BatchInputError,
  createSyncTrigger,
  retryFailedGroups,
  runBatch,
  type BatchEvent,
  type BatchOutcome,
} from '@dlmigrate/core';
import { planBatchRun } from '@dlmigrate/core/testing';
import { RECREATE_STEPS } from '@dlmigrate/core/testing';
import { runMigration } from '@dlmigrate/core/testing';
import { inlineTiming, quickAsyncTiming } from '@dlmigrate/cloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailGroups, startRunner, type RunnerProcess } from './batch-support.js';
import { connectionLost, directoryFaults, insufficientRights } from './faults.js';
import { seedCloudDependants } from './cloud-dependants.js';
import { openWorld, type World } from './world.js';

let w: World;
const runners: RunnerProcess[] = [];

beforeAll(async () => {
  w = await openWorld('batch');
}, 300_000);

afterAll(async () => {
  for (const r of runners)
    if (r.process.exitCode === null && r.process.signalCode === null) r.process.kill('SIGKILL');
  await w?.close();
});

const options = () => ({ nonSyncOu: w.objects['ous.nonSync']!.dn });
const statusOf = (outcome: BatchOutcome, address: string) =>
  outcome.groups.find((g) => g.address.toLowerCase() === address)!;
const syncCycles = () => Number(w.sim.syncStatus(w.tenantId)?.['cycles'] ?? 0);
const LEASE_MS = 5_000;
const deps = (runnerId: string) => ({ ...w.deps, runnerId, leaseMs: LEASE_MS });

describe('batch input', () => {
  it('refuses a bad list with one report of every problem and records nothing', async () => {
    await w.reset();
    const before = (await w.state.listBatches()).length;
    const list = [
      'sales@contoso.com',
      'not-an-address',
      'nobody@contoso.com',
      'alice@contoso.com',
      'SALES@contoso.com',
      'salespeople@contoso.com',
    ];
    const error = await planBatchRun(w.deps, { groups: list, options: options() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchInputError);
    const problems = (error as BatchInputError).problems.map((p) => [p.line, p.code]);
    expect(problems).toEqual([
      [2, 'MALFORMED_ADDRESS'],
      [3, 'GROUP_NOT_FOUND'],
      [4, 'NOT_A_GROUP'],
      [5, 'DUPLICATE_IN_INPUT'],
      [6, 'NOT_A_GROUP'],
    ]);
    expect((await w.state.listBatches()).length).toBe(before);
  });
});

describe('batch run (one process)', () => {
  it('migrates three levels children first with one sync per level; blocks a cycle and a parent of an outside child by name', async () => {
    await w.reset();
    const o = w.objects;
    // A cycle the fixture does not have: Hidden Approvals ⊃ Contractors ⊃ Hidden Approvals.
    await w.ad.addLinkValue(o['groups.hidden']!.dn, 'member', o['groups.contractors']!.dn);
    await w.ad.addLinkValue(o['groups.contractors']!.dn, 'member', o['groups.hidden']!.dn);
    await w.sim.runSync(w.tenantId);

    const planned = await planBatchRun(w.deps, {
      // groups.blocked contains groups.execs, which is not in the list and not migrated.
      groups:
        'PrimarySmtpAddress,Note\ncompany@contoso.com,top\nallstaff@contoso.com,\nsales@contoso.com,\nhidden-approvals@contoso.com,\ncontractors@contoso.com,\nblocked@contoso.com,\n',
      options: options(),
    });
    expect(planned.layout.waves).toEqual([
      ['sales@contoso.com'],
      ['allstaff@contoso.com'],
      ['company@contoso.com'],
    ]);
    expect(planned.batch.levels.map((l) => l.phase)).toEqual(['pending', 'pending', 'pending']);

    const cyclesBefore = syncCycles();
    const events: BatchEvent[] = [];
    const outcome = await runBatch(deps('solo'), planned.batch.id, { onEvent: (e) => events.push(e) });

    for (const address of ['sales@contoso.com', 'allstaff@contoso.com', 'company@contoso.com']) {
      expect(['completed', 'completed_with_warnings'], address).toContain(statusOf(outcome, address).status);
    }
    const hidden = statusOf(outcome, 'hidden-approvals@contoso.com');
    expect(hidden.status).toBe('blocked');
    expect(hidden.codes).toEqual(['CIRCULAR_REFERENCE_EXCEPTION']);
    const hiddenFindings = await w.state.listFindings(hidden.migrationId);
    expect(hiddenFindings[0]!.message).toMatch(
      /hidden-approvals@contoso\.com → contractors@contoso\.com|contractors@contoso\.com → hidden-approvals@contoso\.com/,
    );
    expect(statusOf(outcome, 'contractors@contoso.com').codes).toEqual(['CIRCULAR_REFERENCE_EXCEPTION']);
    const blocked = statusOf(outcome, 'blocked@contoso.com');
    expect(blocked).toMatchObject({ status: 'blocked', codes: ['NESTED_GROUP_EXCEPTION'] });
    expect((await w.state.listFindings(blocked.migrationId))[0]!.message).toContain('execs@contoso.com');
    expect(outcome.status).toBe('completed_with_failures');

    // One sync per level, triggered by the batch (the groups' own waits only polled), and one final sync per level
    // whose groups had synced on-prem dependants to update (Sales: All Staff, Board…; All Staff: Company) — not one
    // per group (steps/final-sync.ts).
    expect(syncCycles() - cyclesBefore).toBe(5);
    expect(events.filter((e) => e.type === 'sync-triggered').map((e) => e.level)).toEqual([0, 1, 2]);
    expect(events.filter((e) => e.type === 'final-sync-triggered').map((e) => e.level)).toEqual([0, 1]);
    for (const address of ['sales@contoso.com', 'allstaff@contoso.com']) {
      const journal = await w.state.listJournal(statusOf(outcome, address).migrationId);
      expect(
        journal.find((e) => e.step === 'final-sync' && e.event === 'completed')?.data,
        address,
      ).toMatchObject({
        result: { sync: { by: 'level', settled: true } },
      });
    }
    // Children first: a parent is staged only after its child completed.
    const order = events
      .filter((e) => e.type === 'step')
      .map((e) => (e.type === 'step' ? `${e.address}:${e.step}:${e.event}` : ''));
    expect(order.indexOf('allstaff@contoso.com:stage:started')).toBeGreaterThan(
      order.indexOf('sales@contoso.com:report:completed'),
    );
    expect(order.indexOf('company@contoso.com:stage:started')).toBeGreaterThan(
      order.indexOf('allstaff@contoso.com:report:completed'),
    );
    expect((await w.state.getBatch(planned.batch.id))!.levels.map((l) => l.phase)).toEqual([
      'done',
      'done',
      'done',
    ]);

    // In the tenant: cloud-managed groups, nested the same way.
    const company = (await w.cloud.exchange.getDistributionGroup('company@contoso.com'))!;
    expect(company.isDirSynced).toBe(false);
    const companyMembers = await w.cloud.exchange.getDistributionGroupMembers('company@contoso.com');
    expect(companyMembers.map((m) => m.primarySmtpAddress.toLowerCase())).toContain('allstaff@contoso.com');
    // Running the finished batch again changes nothing and reports the same.
    const again = await runBatch(deps('solo-again'), planned.batch.id);
    expect(again.groups.map((g) => [g.address, g.status])).toEqual(
      outcome.groups.map((g) => [g.address, g.status]),
    );
    expect(syncCycles() - cyclesBefore).toBe(5);
  }, 300_000);

  it('a group that fails mid-way is rolled back and only its parent ends as CHILD_GROUP_MIGRATION_EXCEPTION', async () => {
    await w.reset();
    const ou = w.objects['ous.groups']!.dn;
    const alice = w.objects['users.alice']!.dn;
    const [childDnValue] = await createMailGroups(w.ad, ou, [
      { name: 'Fail Child', alias: 'failchild', members: [alice] },
    ]);
    await createMailGroups(w.ad, ou, [
      { name: 'Fail Parent', alias: 'failparent', members: [childDnValue!] },
      { name: 'Bystander', alias: 'bystander', members: [alice] },
    ]);
    await w.sim.runSync(w.tenantId);
    const planned = await planBatchRun(w.deps, {
      groups: ['failparent@contoso.com', 'failchild@contoso.com'],
      options: options(),
    });
    const bystander = await planBatchRun(w.deps, { groups: ['bystander@contoso.com'], options: options() });
    expect(planned.layout.waves).toEqual([['failchild@contoso.com'], ['failparent@contoso.com']]);

    // Mid-way: after the level's sync deleted the synced child, taking over its addresses fails. The child is undone
    // (cloud DL removed, group moved back, a real sync re-creates the synced group); its parent never starts.
    const fault = {
      cmdlet: 'Set-DistributionGroup',
      count: 1,
      status: 400,
      errorId: 'Ex1B2C3D',
      exceptionType: 'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
      message: 'The operation could not be performed (injected).',
    };
    const events: BatchEvent[] = [];
    const outcome = await runBatch(deps('fail'), planned.batch.id, {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'deletion-seen' && e.level === 0) w.sim.injectFault(w.tenantId, fault);
      },
    });
    const steps = events.flatMap((e) =>
      e.type === 'step' && e.address === 'failchild@contoso.com' ? [`${e.step}:${e.event}`] : [],
    );
    expect(steps).toContain('take-over:failed');
    expect(steps).toContain('park:undone');
    const child = statusOf(outcome, 'failchild@contoso.com');
    expect(child.status).toBe('rolled_back');
    const parent = statusOf(outcome, 'failparent@contoso.com');
    expect(parent).toMatchObject({ status: 'blocked', codes: ['CHILD_GROUP_MIGRATION_EXCEPTION'] });
    expect((await w.state.listFindings(parent.migrationId))[0]).toMatchObject({
      subject: 'failchild@contoso.com',
    });
    expect((await w.state.listJournal(parent.migrationId)).length).toBe(0); // never touched
    // Nothing of the child changed: still synced, still in its OU.
    expect((await w.cloud.exchange.getDistributionGroup('failchild@contoso.com'))?.isDirSynced).toBe(true);
    expect(await w.ad.exists(childDn('CN', 'Fail Child', ou))).toBe(true);
    expect(outcome.status).toBe('completed_with_failures');

    // The failure did not stop anything else: another batch still migrates.
    const other = await runBatch(deps('fail'), bystander.batch.id);
    expect(other.status).toBe('completed');
  }, 300_000);
});

describe('sync waves', () => {
  it('splits a level over the deletion threshold into waves, one sync each, none stopped by the threshold', async () => {
    await w.reset();
    // The tenant's sync refuses to delete more than 2 objects in one cycle; the batch is told the same threshold.
    w.sim.configureSync(w.tenantId, { ...w.syncConfig, deletionThreshold: 2 });
    try {
      const planned = await planBatchRun(w.deps, {
        groups: [
          'obrien-team@contoso.com',
          'sales-west@contoso.com',
          'abcd@contoso.com',
          'zurich-unicode@contoso.com',
          'qbr-emea@contoso.com',
        ],
        options: options(),
        deletionThreshold: 2,
      });
      expect(planned.layout.waves.map((wave) => wave.length)).toEqual([2, 2, 1]);
      const cyclesBefore = syncCycles();
      const outcome = await runBatch(deps('waves'), planned.batch.id);
      expect(outcome.groups.map((g) => g.status).filter((s) => !s.startsWith('completed'))).toEqual([]);
      expect(syncCycles() - cyclesBefore).toBe(3);
      expect(w.sim.syncStatus(w.tenantId)?.['lastCycle']).toMatchObject({ status: 'success' });
    } finally {
      w.sim.configureSync(w.tenantId, w.syncConfig);
    }
  }, 300_000);
});

describe('cloud dependants in a batch', () => {
  it('come from one tenant-wide read per level and are rewired as in a single migration', async () => {
    await w.reset();
    await seedCloudDependants(w);
    const planned = await planBatchRun(w.deps, {
      groups: ['sales@contoso.com', 'abcd@contoso.com'],
      options: options(),
    });
    w.sim.resetCalls(w.tenantId);
    const outcome = await runBatch(deps('dependants'), planned.batch.id);
    // sales ends completed with warnings: its "members of" restrictions (members-of.ts)
    expect(outcome.groups.map((g) => g.status).filter((s) => !s.startsWith('completed'))).toEqual([]);
    const calls = w.sim.calls(w.tenantId).cmdlets;
    // One tenant-wide read per level (Get-UnifiedGroup is asked nothing else), not 4 filters per group: verify re-reads
    // only the dependants capture found, by id, never the tenant.
    expect(calls['Get-UnifiedGroup']).toBe(planned.layout.waves.length);
    // Forwarding comes from the level's index too (Cloud Forwarder's forwarding to Sales below is found and rewired).
    const { exchange } = w.cloud;
    expect(
      (await exchange.getDistributionGroupMembers('cloud.fans@contoso.com')).map((m) => m.name),
    ).toContain('Sales');
    expect(
      (await exchange.getDistributionGroup('cloud.restricted@contoso.com'))!
        .acceptMessagesOnlyFromSendersOrMembers,
    ).toContain('Sales');
    expect((await exchange.getMailbox('cloud.fwd@contoso.com'))!.forwardingAddress).toBe('Sales');
  }, 300_000);
});

describe('sync trigger failure', () => {
  it('stops the runner with the trigger error, the groups parked; a later run triggers the sync and finishes', async () => {
    await w.reset();
    const planned = await planBatchRun(w.deps, {
      groups: ['research@contoso.com', 'abcd@contoso.com'],
      options: options(),
    });
    const broken = createSyncTrigger({
      kind: 'http',
      url: `${w.sim.url}/_sim/no-such-endpoint`,
      caPem: w.sim.caPem,
    });
    const error = await runBatch({ ...deps('broken'), sync: broken }, planned.batch.id, {
      syncLeaseMs: LEASE_MS,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SYNC_TRIGGER_FAILED' });
    const parked = await w.state.listMigrations({ batchId: planned.batch.id });
    expect(parked.map((m) => m.status)).toEqual(['parked', 'parked']);
    expect((await w.state.getBatch(planned.batch.id))!.levels[0]!.phase).toBe('syncing');

    const outcome = await runBatch(deps('mended'), planned.batch.id, {
      syncLeaseMs: LEASE_MS,
      waitIntervalMs: 500,
    });
    expect(outcome.status).toBe('completed');
  }, 300_000);
});

describe('batch stopped (Ctrl-C / SIGTERM)', () => {
  it('takes no new group, stops those in flight at a safe point, releases every lease; a resumed run finishes', async () => {
    await w.reset();
    const planned = await planBatchRun(w.deps, {
      groups: ['research@contoso.com', 'abcd@contoso.com'],
      options: options(),
    });
    const cyclesBefore = syncCycles();
    const controller = new AbortController();
    const events: BatchEvent[] = [];
    const outcome = await runBatch(deps('stopped'), planned.batch.id, {
      syncLeaseMs: LEASE_MS,
      waitIntervalMs: 500,
      // One group at a time: the other is still unclaimed when the stop comes, and must not be taken.
      maxConcurrentGroups: 1,
      initialWindow: 1,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'step' && event.step === 'stage' && event.event === 'started')
          controller.abort('SIGINT');
      },
    });
    expect(outcome.stopped).toBe('SIGINT');
    expect(outcome.status).toBe('running');
    const migrations = await w.state.listMigrations({ batchId: planned.batch.id });
    // The group in flight finished its stage (the call in flight) and stopped before park; the other never started.
    expect(migrations.map((m) => m.status).sort()).toEqual(['planned', 'running']);
    expect(migrations.map((m) => m.lease)).toEqual([null, null]);
    const started = migrations.find((m) => m.status === 'running')!;
    const journal = await w.state.listJournal(started.id);
    // stage ended at a safe point: done, or its wait abandoned (suspended: resume runs it again)
    expect(['completed', 'suspended']).toContain(journal.findLast((e) => e.step === 'stage')?.event);
    expect(journal.some((e) => e.step === 'park')).toBe(false);
    const other = migrations.find((m) => m.status === 'planned')!;
    expect(await w.state.listJournal(other.id)).toEqual([]);
    expect(events.filter((e) => e.type === 'step' && e.migrationId === other.id)).toEqual([]);
    expect((await w.state.getBatch(planned.batch.id))!.levels[0]!.phase).toBe('preparing');
    expect(syncCycles()).toBe(cyclesBefore); // no sync for a stopped level

    const resumed = await runBatch(deps('resumed'), planned.batch.id, {
      syncLeaseMs: LEASE_MS,
      waitIntervalMs: 500,
    });
    expect(resumed.stopped).toBeUndefined();
    expect(resumed.status).toBe('completed');
  }, 300_000);
});

describe('batch stopped while its level syncs', () => {
  it('gives up the level sync coordination and every lease; another runner goes on at once', async () => {
    await w.reset();
    const planned = await planBatchRun(w.deps, {
      groups: ['research@contoso.com', 'abcd@contoso.com'],
      options: options(),
    });
    const controller = new AbortController();
    const outcome = await runBatch(deps('stopped-syncing'), planned.batch.id, {
      syncLeaseMs: 600_000, // held until expiry, it would keep every other runner waiting ten minutes
      waitIntervalMs: 500,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'sync-triggered') controller.abort('SIGTERM');
      },
    });
    expect(outcome.stopped).toBe('SIGTERM');
    const level = (await w.state.getBatch(planned.batch.id))!.levels[0]!;
    expect(level.phase).toBe('syncing');
    expect(level.syncCoordinator).toBeNull();
    const migrations = await w.state.listMigrations({ batchId: planned.batch.id });
    expect(migrations.map((m) => m.status)).toEqual(['parked', 'parked']);
    expect(migrations.map((m) => m.lease)).toEqual([null, null]);

    const resumed = await runBatch(deps('next'), planned.batch.id, {
      syncLeaseMs: LEASE_MS,
      waitIntervalMs: 500,
    });
    expect(resumed.status).toBe('completed');
  }, 300_000);
});

describe('batch --resume after failures (issue 15)', () => {
  it('retries a group rolled back for a transient cause and finishes an undo that met one; a permanent failure stays', async () => {
    await w.reset();
    // Transient faults are retried within this budget before they count as a failure (util/retry.ts).
    const quickRetry = {
      budgetMs: 1_500,
      baseDelayMs: 100,
      maxDelayMs: 300,
      maxAttempts: Infinity,
      retryTimeouts: false,
    };
    const planned = await planBatchRun(w.deps, {
      groups: ['research@contoso.com', 'abcd@contoso.com'],
      options: options(),
    });
    const idOf = (address: string) => planned.migrations.find((m) => m.group.address === address)!.id;
    const research = idOf('research@contoso.com');

    // research: park is refused for good (no rights); the undo then loses the directory connection every time.
    const ad = directoryFaults(w.deps.ad);
    ad.arm('moveObject', insufficientRights, Infinity);
    const undoFailed = await runMigration(
      { ...deps('first'), ad: ad.target, retryPolicy: quickRetry },
      research,
      {
        onEvent: (e) => {
          if (e.step === 'park' && e.event === 'failed') ad.arm('findByGuid', connectionLost, Infinity);
        },
      },
    );
    ad.clear();
    expect(undoFailed.status).toBe('undo_failed');

    // abcd: every read of the group loses the connection, past the retry budget: rolled back, transient.
    const abcdDn = (await w.deps.ad.findByAddress('abcd@contoso.com'))[0]!.dn;
    const flaky = new Proxy(w.deps.ad, {
      get(inner, key) {
        const value = Reflect.get(inner, key, inner) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'readGroup')
          return async (dn: string) => {
            if (dn === abcdDn) throw connectionLost();
            return inner.readGroup(dn);
          };
        return (value as (...a: unknown[]) => unknown).bind(inner);
      },
    });
    const first = await runBatch({ ...deps('first'), ad: flaky, retryPolicy: quickRetry }, planned.batch.id, {
      syncLeaseMs: LEASE_MS,
      waitIntervalMs: 500,
    });
    expect(first.status).toBe('completed_with_failures');
    expect(statusOf(first, 'abcd@contoso.com').status).toBe('rolled_back');
    expect(statusOf(first, 'research@contoso.com').status).toBe('undo_failed');

    const decisions = await retryFailedGroups(deps('again'), planned.batch.id);
    const byAddress = new Map(decisions.map((d) => [d.address, d]));
    expect(byAddress.get('abcd@contoso.com')).toMatchObject({
      status: 'rolled_back',
      retryId: expect.any(String),
      reason: expect.stringContaining('transient cause (capture:'),
    });
    // research's undo was run again and finished; its cause (no rights) is not transient: it stays, with why.
    expect(byAddress.get('research@contoso.com')).toMatchObject({
      status: 'rolled_back',
      retryId: null,
      reason: expect.stringMatching(
        /^rolled back \(park: .*insufficient access rights.*\); not a transient cause$/,
      ),
    });
    const group = (await w.deps.ad.findByAddress('research@contoso.com'))[0]!;
    expect(group.dn).toBe(w.objects['groups.research']!.dn); // back where it was

    const resumed = await runBatch(deps('again'), planned.batch.id, {
      syncLeaseMs: LEASE_MS,
      waitIntervalMs: 500,
    });
    expect(statusOf(resumed, 'abcd@contoso.com')).toMatchObject({
      status: 'completed',
      migrationId: byAddress.get('abcd@contoso.com')!.retryId,
    });
    expect(statusOf(resumed, 'research@contoso.com').status).toBe('rolled_back');
    expect(resumed.groups).toHaveLength(2); // one line per group: the retried one by its newest migration
    expect(resumed.status).toBe('completed_with_failures');
  }, 400_000);
});

describe('back-pressure', () => {
  it('under Exchange Online throttling (429 with Retry-After, concurrency cap) every group of a level still completes', async () => {
    await w.reset();
    // A budget a batch of six outgrows even at its reduced cost (one dependants scan per level, issue 17).
    w.sim.setThrottling(w.tenantId, { requestsPerWindow: 8, windowSeconds: 1, maxConcurrent: 2 });
    try {
      const planned = await planBatchRun(w.deps, {
        groups: [
          'obrien-team@contoso.com',
          'sales-west@contoso.com',
          'abcd@contoso.com',
          'zurich-unicode@contoso.com',
          'qbr-emea@contoso.com',
          'research@contoso.com',
        ],
        options: options(),
      });
      w.sim.resetCalls(w.tenantId);
      const outcome = await runBatch(deps('throttled'), planned.batch.id);
      // Not one group failed or completed with warnings: a throttled call waits, it never becomes a finding.
      expect(outcome.groups.map((g) => [g.address, g.status]).filter(([, s]) => s !== 'completed')).toEqual(
        [],
      );
      for (const group of outcome.groups)
        expect(
          (await w.state.listFindings(group.migrationId)).filter((e) => e.severity !== 'info'),
          group.address,
        ).toEqual([]);
      // The tenant pushed back, and the batch went on at its pace instead of failing groups.
      expect(w.sim.calls(w.tenantId).throttled).toBeGreaterThan(0);
    } finally {
      w.sim.setThrottling(w.tenantId, { requestsPerWindow: 0, windowSeconds: 1, maxConcurrent: 0 });
    }
  }, 300_000);
});

/** Two new synced groups (Alice their member), planned as one batch before any link between them exists. */
async function plannedPair(firstName: string, firstAlias: string, secondName: string, secondAlias: string) {
  await w.reset();
  const alice = w.objects['users.alice']!.dn;
  const [first, second] = await createMailGroups(w.ad, w.objects['ous.groups']!.dn, [
    { name: firstName, alias: firstAlias, members: [alice] },
    { name: secondName, alias: secondAlias, members: [alice] },
  ]);
  await w.sim.runSync(w.tenantId);
  const planned = await planBatchRun(w.deps, {
    groups: [`${firstAlias}@contoso.com`, `${secondAlias}@contoso.com`],
    options: options(),
  });
  return { planned, first: first!, second: second! };
}

describe('parent retry', () => {
  it('a parent that gained a child in the batch after planning waits for it, then migrates', async () => {
    const {
      planned,
      first: outer,
      second: inner,
    } = await plannedPair('Retry Outer', 'retryouter', 'Retry Inner', 'retryinner');
    expect(planned.layout.waves).toEqual([['retryouter@contoso.com', 'retryinner@contoso.com']]);
    // Membership changes after planning: the plan put both in one level.
    await w.ad.addLinkValue(outer, 'member', inner);
    await w.sim.runSync(w.tenantId);

    const events: BatchEvent[] = [];
    const outcome = await runBatch(deps('retry'), planned.batch.id, { onEvent: (e) => events.push(e) });
    expect(outcome.status).toBe('completed');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'retry',
        address: 'retryouter@contoso.com',
        after: ['retryinner@contoso.com'],
      }),
    );
    const steps = events.flatMap((e) => (e.type === 'step' ? [`${e.address}:${e.step}:${e.event}`] : []));
    expect(steps.indexOf('retryouter@contoso.com:capture:started')).toBeGreaterThan(
      steps.indexOf('retryinner@contoso.com:report:completed'),
    );
    const members = await w.cloud.exchange.getDistributionGroupMembers('retryouter@contoso.com');
    expect(members.map((m) => m.primarySmtpAddress.toLowerCase())).toContain('retryinner@contoso.com');
  }, 300_000);

  it('two groups that came to contain each other after planning end blocked, never waiting forever', async () => {
    const {
      planned,
      first: left,
      second: right,
    } = await plannedPair('Loop Left', 'loopleft', 'Loop Right', 'loopright');
    await w.ad.addLinkValue(left, 'member', right);
    await w.ad.addLinkValue(right, 'member', left);

    const outcome = await runBatch(deps('loop'), planned.batch.id);
    // (Sorted: two migrations created in one millisecond have ids in no particular order.)
    expect(outcome.groups.map((g) => [g.address, g.status, g.codes]).sort()).toEqual([
      ['loopleft@contoso.com', 'blocked', ['CHILD_GROUP_MIGRATION_EXCEPTION']],
      ['loopright@contoso.com', 'blocked', ['CHILD_GROUP_MIGRATION_EXCEPTION']],
    ]);
    expect(outcome.status).toBe('completed_with_failures');
    // Nothing was changed: both are still synced groups in their OU.
    for (const address of ['loopleft@contoso.com', 'loopright@contoso.com']) {
      expect((await w.cloud.exchange.getDistributionGroup(address))?.isDirSynced).toBe(true);
    }
  }, 300_000);
});

describe('batch killed and resumed', () => {
  it('a runner killed with SIGKILL in the middle of a level is resumed by another to the same end state', async () => {
    await w.reset();
    const planned = await planBatchRun(w.deps, {
      groups: ['company@contoso.com', 'allstaff@contoso.com', 'sales@contoso.com'],
      options: options(),
    });
    const cyclesBefore = syncCycles();
    const victim = startRunner({
      ...w.childConfig,
      batchId: planned.batch.id,
      runnerId: 'victim',
      leaseMs: LEASE_MS,
    });
    runners.push(victim);
    // Kill it after allstaff (level 1) is staged but before its level's sync.
    await victim.waitFor(
      (e) =>
        e.type === 'step' &&
        e.address === 'allstaff@contoso.com' &&
        e.step === 'stage' &&
        e.event === 'completed',
    );
    victim.process.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const mid = await w.state.listMigrations({ batchId: planned.batch.id });
    expect(mid.find((m) => m.group.address === 'sales@contoso.com')!.status).toMatch(/^completed/);
    expect(mid.find((m) => m.group.address === 'company@contoso.com')!.status).toBe('planned');

    // A new runner waits for the dead one's lease to expire, then resumes from the journal.
    const outcome = await runBatch(deps('rescuer'), planned.batch.id, {
      waitIntervalMs: 500,
      syncLeaseMs: LEASE_MS,
    });
    expect(outcome.status).toBe('completed');
    for (const g of outcome.groups) expect(['completed', 'completed_with_warnings']).toContain(g.status);
    const allStaff = outcome.groups.find((g) => g.address === 'allstaff@contoso.com')!;
    const journal = await w.state.listJournal(allStaff.migrationId);
    // The stage the victim completed was not run again.
    expect(journal.filter((e) => e.step === 'stage' && e.event === 'completed')).toHaveLength(1);
    // A sync per level and a final sync for the two levels with synced dependants (Sales, All Staff): none twice.
    expect(syncCycles() - cyclesBefore).toBe(5);
  }, 300_000);
});

/** A fresh wave: mail groups of these names under the Groups OU, Alice their member, synced; returns their addresses. */
async function syncedWave(names: readonly string[]): Promise<string[]> {
  await w.reset();
  const aliases = names.map((name) => name.toLowerCase().replace(' ', '-'));
  await createMailGroups(
    w.ad,
    w.objects['ous.groups']!.dn,
    names.map((name, i) => ({ name, alias: aliases[i]!, members: [w.objects['users.alice']!.dn] })),
  );
  await w.sim.runSync(w.tenantId);
  return aliases.map((alias) => `${alias}@contoso.com`);
}

describe('weather (issue 15)', () => {
  it('each group takes over the moment its own deletion is seen: a straggler delays nobody else', async () => {
    const addresses = await syncedWave(['Wx One', 'Wx Two', 'Wx Three', 'Wx Straggler']);
    const straggler = 'wx-straggler@contoso.com';
    // Entra-Connect-like: the trigger returns at once, deletions reach Graph then Exchange later; one group's much later.
    w.sim.setSyncTiming(w.tenantId, quickAsyncTiming);
    w.sim.addSyncStraggler(w.tenantId, { match: { address: straggler }, graphDelayMs: 20_000 });
    try {
      const planned = await planBatchRun(w.deps, { groups: addresses, options: options() });
      expect(planned.layout.waves).toHaveLength(1);
      const events: BatchEvent[] = [];
      const outcome = await runBatch(deps('weather'), planned.batch.id, { onEvent: (e) => events.push(e) });
      for (const address of addresses) expect(statusOf(outcome, address).status, address).toBe('completed');

      const at = (match: (e: BatchEvent) => boolean) => events.findIndex(match);
      const stragglerSeen = at((e) => e.type === 'deletion-seen' && e.address === straggler);
      expect(stragglerSeen).toBeGreaterThan(0);
      for (const address of addresses.filter((a) => a !== straggler)) {
        const tookOver = at(
          (e) =>
            e.type === 'step' && e.address === address && e.step === 'take-over' && e.event === 'completed',
        );
        expect(tookOver, address).toBeGreaterThan(0);
        expect(tookOver, `${address} took over before the straggler's deletion was seen`).toBeLessThan(
          stragglerSeen,
        );
      }
      // Every migration's report carries its outage window: deletion seen → take-over converged.
      for (const group of outcome.groups) {
        const outage = (await w.engine.report(group.migrationId))?.outage;
        expect(outage?.seconds, group.address).toBeGreaterThanOrEqual(0);
        expect(outage?.lastPresentAt, group.address).not.toBeNull();
      }
      // One watch for the wave: the deletions were seen by polls of the whole level, not by a wait per group.
      const waited = events.filter((e) => e.type === 'deletions');
      expect(waited).toEqual([expect.objectContaining({ deleted: 4, pending: 0 })]);
    } finally {
      w.sim.clearSyncStragglers(w.tenantId);
      w.sim.setSyncTiming(w.tenantId, inlineTiming);
    }
  }, 300_000);

  it('no group starts a step after its take-over while another group of the wave still has its take-over due', async () => {
    const addresses = await syncedWave(['Lane One', 'Lane Two', 'Lane Three', 'Lane Four']);
    // The deletions reach Graph and Exchange together: the wave is seen going in one poll and its groups take over
    // side by side. The wave's first take-over write fails once (transient), so one group's take-over ends well after
    // the others' — which, without the take-over lane (batch/take-over-lane.ts), went on to rewire and dispose.
    w.sim.setSyncTiming(w.tenantId, { ...quickAsyncTiming, graphJitterMs: 0, exchangeJitterMs: 0 });
    try {
      const planned = await planBatchRun(w.deps, { groups: addresses, options: options() });
      const events: BatchEvent[] = [];
      let injected = false;
      const outcome = await runBatch(deps('lane'), planned.batch.id, {
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'deletion-seen' && !injected) {
            injected = true;
            w.sim.injectFault(w.tenantId, {
              cmdlet: 'Set-DistributionGroup',
              count: 1,
              status: 503,
              errorId: 'Ex5E1A2B',
              exceptionType: 'Microsoft.Exchange.Data.Storage.TransientException',
              message: 'The server is busy (injected).',
            });
          }
        },
      });
      for (const address of addresses)
        expect(statusOf(outcome, address).status, address).toMatch(/^completed/);
      const afterTakeOver = RECREATE_STEPS.slice(RECREATE_STEPS.indexOf('take-over') + 1);
      const due = new Set<string>();
      let laterSteps = 0;
      for (const e of events) {
        if (e.type === 'deletion-seen') due.add(e.address);
        if (e.type !== 'step') continue;
        if (e.step === 'take-over' && e.event !== 'started') due.delete(e.address);
        if (e.event === 'started' && afterTakeOver.includes(e.step)) {
          laterSteps++;
          expect([...due], `${e.address} started ${e.step} while these took over`).toEqual([]);
        }
      }
      expect(laterSteps).toBeGreaterThanOrEqual(addresses.length);
    } finally {
      w.sim.setSyncTiming(w.tenantId, inlineTiming);
    }
  }, 300_000);

  it('a straggler that misses the level deadline gets one last check and rolls back, without a sync or deadline of its own', async () => {
    await w.reset();
    const alice = w.objects['users.alice']!.dn;
    const names = ['Dl Prompt', 'Dl Late'];
    await createMailGroups(
      w.ad,
      w.objects['ous.groups']!.dn,
      names.map((name) => ({ name, alias: name.toLowerCase().replace(' ', '-'), members: [alice] })),
    );
    await w.sim.runSync(w.tenantId);
    const [prompt, late] = ['dl-prompt@contoso.com', 'dl-late@contoso.com'];
    w.sim.setSyncTiming(w.tenantId, quickAsyncTiming);
    // Far past the level's deadline: the straggler's deletion does not come in this test.
    w.sim.addSyncStraggler(w.tenantId, { match: { address: late }, graphDelayMs: 600_000 });
    let triggers = 0;
    const counted = {
      ...deps('deadline'),
      sync: {
        kind: w.deps.sync.kind,
        trigger: () => {
          triggers++;
          return w.deps.sync.trigger();
        },
      },
    };
    try {
      const planned = await planBatchRun(w.deps, {
        groups: [prompt, late],
        // Long enough for the prompt group's deletion on a loaded machine (with 9 s it was sometimes missed in CI, and
        // the prompt group rolled back too); the straggler's comes far later either way.
        options: { ...options(), deadlines: { cloudDeletionMinutes: 0.5 } },
      });
      const outcome = await runBatch(counted, planned.batch.id);
      expect(statusOf(outcome, prompt).status).toBe('completed');
      expect(statusOf(outcome, late)).toMatchObject({
        status: 'rolled_back',
        codes: expect.arrayContaining(['CLOUD_DELETION_TIMEOUT']),
      });
      // The level's one trigger, then the rollback's (park undo: the group is back in the synced tree). Before, the
      // straggler triggered a sync of its own and waited a second full deadline after the level's had passed.
      expect(triggers).toBe(2);
      const waits = (await w.state.listJournal(statusOf(outcome, late).migrationId)).filter(
        (e) => e.step === 'await-deletion',
      );
      expect(waits.map((e) => e.event)).toEqual(['started', 'failed']);
      // The sync was late, not the group: batch --resume tries it again (issue 15); the completed group stays done.
      const decisions = await retryFailedGroups(counted, planned.batch.id);
      expect(decisions).toEqual([
        expect.objectContaining({
          address: late,
          status: 'rolled_back',
          retryId: expect.any(String),
          reason: expect.stringContaining('deadline the service did not meet (await-deletion:'),
        }),
      ]);
    } finally {
      w.sim.clearSyncStragglers(w.tenantId);
      w.sim.setSyncTiming(w.tenantId, inlineTiming);
    }
  }, 300_000);
});
