import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryJournal } from './journal.js';
import { pollUntil } from '../util/poll.js';
import { Saga, SuspendSaga, type SagaStep } from './runner.js';

/** A world the steps change, so the tests can check what undo leaves behind. */
interface World {
  readonly done: string[];
  readonly calls: string[];
  failAt?: string;
  failUndoAt?: string;
  suspendAt?: string;
  skip?: string;
}

function step(name: string, pointOfNoReturn = false): SagaStep<World> {
  return {
    name,
    pointOfNoReturn,
    enabled: (w) => w.skip !== name,
    async run(w, results) {
      w.calls.push(`run:${name}`);
      if (w.suspendAt === name) throw new SuspendSaga(`${name} is waiting`);
      if (!w.done.includes(name)) w.done.push(name); // idempotent
      if (w.failAt === name) throw Object.assign(new Error(`${name} broke`), { code: 'E_TEST' });
      return { name, seen: [...results.keys()] };
    },
    async undo(w, _results, data) {
      w.calls.push(`undo:${name}:${data === undefined ? 'partial' : 'complete'}`);
      if (w.failUndoAt === name) throw new Error(`undo of ${name} broke`);
      const i = w.done.indexOf(name);
      if (i >= 0) w.done.splice(i, 1);
    },
  };
}

const steps = [
  step('capture'),
  step('stage'),
  step('park'),
  step('dispose', true),
  step('rewire'),
  step('report'),
];
const world = (extra: Partial<World> = {}): World => ({ done: [], calls: [], ...extra });

describe('Saga', () => {
  it('runs every step in order, passing earlier results on, and journals before and after each', async () => {
    const journal = new MemoryJournal();
    const w = world();
    const outcome = await new Saga(steps, journal, {}).run('m1', w);
    expect(outcome.status).toBe('completed');
    expect(w.done).toEqual(['capture', 'stage', 'park', 'dispose', 'rewire', 'report']);
    if (outcome.status === 'completed')
      expect(outcome.results.get('park')).toEqual({ name: 'park', seen: ['capture', 'stage'] });
    const events = (await journal.read('m1')).map((e) => `${e.step}:${e.event}`);
    expect(events.slice(0, 4)).toEqual([
      'capture:started',
      'capture:completed',
      'stage:started',
      'stage:completed',
    ]);
    expect(events).toHaveLength(12);
  });

  it('undoes the failed step and every completed step, newest first, before the point of no return', async () => {
    const journal = new MemoryJournal();
    const w = world({ failAt: 'park' });
    const outcome = await new Saga(steps, journal, {}).run('m1', w);
    expect(outcome).toMatchObject({
      status: 'rolled_back',
      failedStep: 'park',
      error: 'park broke',
      undoErrors: [],
    });
    expect(w.done).toEqual([]);
    expect(w.calls).toEqual([
      'run:capture',
      'run:stage',
      'run:park',
      'undo:park:partial',
      'undo:stage:complete',
      'undo:capture:complete',
    ]);
    const failed = (await journal.read('m1')).find((e) => e.event === 'failed');
    expect(failed?.error).toEqual({ message: 'park broke', code: 'E_TEST' });
  });

  it('rolls forward after the point of no return: stops, then resume continues from the failed step', async () => {
    const journal = new MemoryJournal();
    const saga = new Saga(steps, journal, {});
    const w = world({ failAt: 'rewire' });
    expect(await saga.run('m1', w)).toMatchObject({ status: 'interrupted', failedStep: 'rewire' });
    expect(w.done).toContain('dispose');
    delete w.failAt;
    w.calls.length = 0;
    expect((await saga.run('m1', w)).status).toBe('completed');
    expect(w.calls).toEqual(['run:rewire', 'run:report']);
  });

  it('resumes after a crash by re-running the step that started but never completed', async () => {
    const journal = new MemoryJournal();
    await journal.append('m1', { step: 'capture', event: 'started', at: 't' });
    await journal.append('m1', {
      step: 'capture',
      event: 'completed',
      at: 't',
      data: { name: 'capture', seen: [] },
    });
    await journal.append('m1', { step: 'stage', event: 'started', at: 't' });
    const w = world();
    const outcome = await new Saga(steps, journal, {}).run('m1', w);
    expect(outcome.status).toBe('completed');
    expect(w.calls[0]).toBe('run:stage');
    if (outcome.status === 'completed')
      expect(outcome.results.get('stage')).toEqual({ name: 'stage', seen: ['capture'] });
  });

  it('finishes an undo that a crash interrupted, and retries failed undos on every resume', async () => {
    const journal = new MemoryJournal();
    const saga = new Saga(steps, journal, {});
    const w = world({ failAt: 'park', failUndoAt: 'stage' });
    const first = await saga.run('m1', w);
    expect(first).toMatchObject({ status: 'rolled_back', undoErrors: ['stage: undo of stage broke'] });
    expect(w.done).toEqual(['stage']);
    delete w.failUndoAt;
    delete w.failAt;
    w.calls.length = 0;
    expect(await saga.run('m1', w)).toMatchObject({
      status: 'rolled_back',
      failedStep: 'park',
      error: 'park broke',
      undoErrors: [],
    });
    expect(w.calls).toEqual(['undo:stage:complete']);
    expect(w.done).toEqual([]);
  });

  it('suspends without undoing and resumes at the suspended step; abort undoes it instead', async () => {
    const journal = new MemoryJournal();
    const saga = new Saga(steps, journal, {});
    const w = world({ suspendAt: 'park' });
    expect(await saga.run('m1', w)).toEqual({ status: 'suspended', step: 'park', reason: 'park is waiting' });
    expect(w.done).toEqual(['capture', 'stage']);
    expect(await saga.abort('m1', w, 'operator gave up')).toMatchObject({
      status: 'rolled_back',
      failedStep: 'park',
      error: 'operator gave up',
    });
    expect(w.done).toEqual([]);
  });

  it('journals a disabled step as skipped and never undoes it', async () => {
    const journal = new MemoryJournal();
    const w = world({ skip: 'stage', failAt: 'park' });
    await new Saga(steps, journal, {}).run('m1', w);
    expect(w.calls).not.toContain('run:stage');
    expect(w.calls.filter((c) => c.startsWith('undo:stage'))).toEqual([]);
  });

  it('refuses to abort past the point of no return and rejects duplicate step names', async () => {
    const journal = new MemoryJournal();
    const saga = new Saga(steps, journal, {});
    const w = world({ failAt: 'rewire' });
    await saga.run('m1', w);
    await expect(saga.abort('m1', w, 'x')).rejects.toThrow(/point of no return/);
    expect(() => new Saga([step('a'), step('a')], journal, {})).toThrow(/unique/);
  });

  it('pauses after the requested step, stays paused when asked again, and continues when not asked', async () => {
    const journal = new MemoryJournal();
    const saga = new Saga(steps, journal, {});
    const w = world();
    expect(await saga.run('m1', w, { stopAfter: 'park' })).toEqual({ status: 'paused', after: 'park' });
    expect(w.done).toEqual(['capture', 'stage', 'park']);
    expect(await saga.run('m1', w, { stopAfter: 'park' })).toEqual({ status: 'paused', after: 'park' });
    expect(w.calls).toEqual(['run:capture', 'run:stage', 'run:park']);
    expect((await saga.run('m1', w)).status).toBe('completed');
    expect(w.calls.slice(3)).toEqual(['run:dispose', 'run:rewire', 'run:report']);
  });

  it('rolls forward only when asked: a failure stops without undo and the next run retries that step', async () => {
    const journal = new MemoryJournal();
    const saga = new Saga(steps, journal, {});
    const w = world({ failAt: 'stage' });
    expect(await saga.run('m1', w, { rollForwardOnly: true })).toMatchObject({
      status: 'interrupted',
      failedStep: 'stage',
    });
    expect(w.calls.some((c) => c.startsWith('undo'))).toBe(false);
    delete w.failAt;
    expect((await saga.run('m1', w, { rollForwardOnly: true })).status).toBe('completed');
    expect(w.calls.filter((c) => c === 'run:stage')).toHaveLength(2);
  });
});

describe('Saga stopped on request (Ctrl-C, SIGTERM)', () => {
  it('finishes the step in flight, starts no other, and resume continues from the next one', async () => {
    const journal = new MemoryJournal();
    const w = world();
    const controller = new AbortController();
    const outcome = await new Saga(steps, journal, {}).run('m1', w, {
      signal: controller.signal,
      onEntry: (e) => {
        if (e.step === 'stage' && e.event === 'started') controller.abort('SIGINT');
      },
    });
    expect(outcome).toEqual({ status: 'stopped', step: 'park', reason: 'SIGINT' });
    expect(w.done).toEqual(['capture', 'stage']); // stage finished, nothing undone, park never started
    expect((await journal.read('m1')).at(-1)).toMatchObject({ step: 'stage', event: 'completed' });

    const resumed = await new Saga(steps, journal, {}).run('m1', w);
    expect(resumed.status).toBe('completed');
    expect(w.calls.filter((c) => c === 'run:stage')).toHaveLength(1);
  });

  it('abandons a wait at once, journals the step as suspended, and runs it again on resume', async () => {
    const journal = new MemoryJournal();
    const w = world();
    const controller = new AbortController();
    const waiting: SagaStep<World> = {
      name: 'await-deletion',
      async run(inner) {
        inner.calls.push('run:await-deletion');
        const polled = await pollUntil(
          async () => inner.done.includes('deleted'),
          (gone) => gone,
          { deadlineMs: 3_600_000, initialDelayMs: 3_600_000, signal: controller.signal },
        );
        return { satisfied: polled.satisfied };
      },
    };
    const saga = new Saga([step('capture'), waiting, step('take-over')], journal, {});
    const running = saga.run('m1', w, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort('SIGTERM');
    expect(await running).toEqual({ status: 'stopped', step: 'await-deletion', reason: 'SIGTERM' });
    expect((await journal.read('m1')).at(-1)).toMatchObject({ step: 'await-deletion', event: 'suspended' });

    w.done.push('deleted');
    expect((await saga.run('m1', w)).status).toBe('completed');
    expect(w.calls.filter((c) => c === 'run:await-deletion')).toHaveLength(2);
  });
});

describe('Saga with retry and a transient classifier', () => {
  it('runs a step again through `retry`, and journals whether a failure and an undo failure were transient', async () => {
    const journal = new MemoryJournal();
    let attempts = 0;
    const flaky: SagaStep<World> = {
      name: 'stage',
      async run(w) {
        w.calls.push('run:stage');
        if (++attempts < 3) throw Object.assign(new Error('blip'), { code: 'E_BLIP' });
        return {};
      },
    };
    const twice = async <T>(attempt: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await attempt();
        } catch (error) {
          if ((error as { code?: string }).code !== 'E_BLIP') throw error;
        }
      }
    };
    const w = world();
    expect((await new Saga([flaky], journal, {}).run('m1', w, { retry: twice })).status).toBe('completed');
    expect(w.calls).toEqual(['run:stage', 'run:stage', 'run:stage']);

    const failing = world({ failAt: 'park', failUndoAt: 'stage' });
    const outcome = await new Saga(steps, journal, {}).run('m2', failing, {
      isTransient: (error) => (error as Error).message === 'undo of stage broke',
    });
    expect(outcome.status).toBe('rolled_back');
    const entries = await journal.read('m2');
    expect(entries.find((e) => e.event === 'failed')?.error).toEqual({
      message: 'park broke',
      code: 'E_TEST',
    });
    expect(entries.find((e) => e.event === 'undo-failed')?.error).toEqual({
      message: 'undo of stage broke',
      transient: true,
    });
  });

  it('awaits beforeStep before a step that has not run starts, and stops there, unstarted, when asked to', async () => {
    const journal = new MemoryJournal();
    const w = world();
    const asked: string[] = [];
    let release!: () => void;
    const stop = new AbortController();
    const running = new Saga(steps, journal, {}).run('m1', w, {
      signal: stop.signal,
      beforeStep: async (name) => {
        asked.push(name);
        if (name === 'dispose')
          await new Promise<void>((resolve) => {
            release = resolve;
          });
      },
    });
    await pollUntil(async () => asked.includes('dispose'), Boolean, {
      deadlineMs: 10_000,
      initialDelayMs: 1,
    });
    // Held before dispose: nothing of it has run or been journaled.
    expect(w.calls).toEqual(['run:capture', 'run:stage', 'run:park']);
    expect((await journal.read('m1')).at(-1)).toMatchObject({ step: 'park', event: 'completed' });
    stop.abort('SIGINT');
    release();
    expect(await running).toEqual({ status: 'stopped', step: 'dispose', reason: 'SIGINT' });
    expect(w.calls).toEqual(['run:capture', 'run:stage', 'run:park']);

    // Resumed: the steps already done are not asked about again.
    asked.length = 0;
    expect(
      (await new Saga(steps, journal, {}).run('m1', w, { beforeStep: async (n) => void asked.push(n) }))
        .status,
    ).toBe('completed');
    expect(asked).toEqual(['dispose', 'rewire', 'report']);
  });
});

describe('results read back from the journal', () => {
  interface Typed {
    capture: { readonly dn: string };
    stage: { readonly identity: string };
  }
  const schemas = {
    capture: z.looseObject({ dn: z.string() }),
    stage: z.looseObject({ identity: z.string() }),
  };
  const typed = (seen: string[]): SagaStep<World, Typed>[] => [
    { name: 'capture', run: async () => ({ dn: 'CN=Sales' }) },
    {
      name: 'stage',
      run: async (_w, results) => {
        seen.push(results.get('capture')!.dn);
        return { identity: 'id-1' };
      },
    },
  ];

  it('hands a resumed run the parsed result of each step done before', async () => {
    const journal = new MemoryJournal();
    await journal.append('m1', {
      step: 'capture',
      event: 'completed',
      data: { dn: 'CN=Sales', extra: 1 },
      at: 'x',
    });
    const seen: string[] = [];
    const outcome = await new Saga(typed(seen), journal, schemas).run('m1', world());
    expect(outcome.status).toBe('completed');
    expect(seen).toEqual(['CN=Sales']);
  });

  it('refuses a malformed journaled result with STORED_DOCUMENT_INVALID before any step runs', async () => {
    const journal = new MemoryJournal();
    await journal.append('m1', { step: 'capture', event: 'completed', data: { dn: 42 }, at: 'x' });
    const seen: string[] = [];
    await expect(new Saga(typed(seen), journal, schemas).run('m1', world())).rejects.toMatchObject({
      code: 'STORED_DOCUMENT_INVALID',
      message: expect.stringMatching(/result of step capture of migration m1 .*dn/),
    });
    expect(seen).toEqual([]);
    expect((await journal.read('m1')).map((e) => `${e.step}:${e.event}`)).toEqual(['capture:completed']);
  });
});
