import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHURN = fileURLToPath(new URL('./fixtures/churn.ts', import.meta.url));

function churn(env: Record<string, string>, flags: readonly string[] = []) {
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', CHURN], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { setting: string; highestMiB: number };
}

describe('boundHeapGrowth', () => {
  it('keeps the garbage of a busy process near what is alive, where V8 alone lets it grow to several times that', () => {
    const unbound = churn({});
    const bound = churn({ BOUND: '1' });
    expect(bound.setting).toBe('--heap-growing-percent=30');
    // About 60 MiB alive: V8 alone peaks at several times that, bounded at well under twice.
    expect(bound.highestMiB).toBeLessThan(unbound.highestMiB / 1.5);
  });

  it("keeps an operator's own setting", () => {
    expect(churn({ BOUND: '1' }, ['--heap-growing-percent=80']).setting).toBe('--heap-growing-percent=80');
  });
});
