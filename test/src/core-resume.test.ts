// A migration process killed with SIGKILL right after any step (or in the middle of one) and then resumed ends in
// exactly the state an uninterrupted migration reaches.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RECREATE_STEPS } from '@dlmigrate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryView, tenantView } from './views.js';
import { openWorld, type World } from './world.js';

let w: World;
let reference: { directory: Record<string, unknown>; tenant: Record<string, unknown> };

const KEYS = ['groups.sales', 'groups.allStaff', 'groups.board', 'groups.partners', 'users.grace', 'users.mallory'];
const CHILD = fileURLToPath(new URL('./child-migrate.ts', import.meta.url));

function runChild(killAfter: string, killOn: 'started' | 'completed'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const input = { ...w.childConfig, address: 'sales@contoso.com', nonSyncOu: w.objects['ous.nonSync']!.dn, killAfter, killOn };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=dlmigrate-source', CHILD], {
      env: { ...process.env, DLMIGRATE_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ code, signal }) : reject(new Error(`child ended ${code}: ${stderr}`))));
  });
}

beforeAll(async () => {
  w = await openWorld('core');
  await w.reset();
  const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
  expect(outcome.status).toBe('completed');
  reference = { directory: await directoryView(w, KEYS), tenant: tenantView(w) };
}, 300_000);

afterAll(async () => {
  await w?.close();
});

const kills = [
  ...RECREATE_STEPS.filter((s) => s !== 'report' && s !== 'hybrid-mail-flow').map((step) => ({ step, on: 'completed' as const })),
  { step: 'take-over', on: 'started' as const },
  { step: 'dispose', on: 'started' as const },
];

describe('SIGKILL and resume', () => {
  it.each(kills)('killed when $step $on, resumed: same end state as an uninterrupted run', async ({ step, on }) => {
    await w.reset();
    const ended = await runChild(step, on);
    expect(ended.signal).toBe('SIGKILL');
    const [migration] = await w.state.listMigrations({ group: 'sales@contoso.com', status: ['running', 'parked', 'planned'] });
    expect(migration?.currentStep).toBe(step);

    const outcome = await w.engine.resume(migration!.id);
    expect(outcome.report.findings).toEqual([]);
    expect(outcome.status).toBe('completed');
    expect(await directoryView(w, KEYS)).toEqual(reference.directory);
    expect(tenantView(w)).toEqual(reference.tenant);
  }, 180_000);
});
