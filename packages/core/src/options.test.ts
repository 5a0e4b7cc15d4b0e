import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, resolveOptions } from './options.js';

describe('resolveOptions', () => {
  it('fills the defaults', () => {
    const { options, problems } = resolveOptions({
      nonSyncOu: 'OU=NonSync,DC=c',
      deadlines: { takeOverMinutes: 5 },
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      ...DEFAULT_OPTIONS,
      nonSyncOu: 'OU=NonSync,DC=c',
      deadlines: { ...DEFAULT_OPTIONS.deadlines, takeOverMinutes: 5 },
    });
  });

  it('reports every problem at once', () => {
    const { problems } = resolveOptions({
      groupTypeOverride: 'Unified' as never,
      namePrefix: 'p'.repeat(40),
      nameSuffix: 's'.repeat(30),
      deadlines: { cloudDeletionMinutes: 0, conversionMinutes: -1 },
      customRoutingDomain: 'not a domain',
    });
    expect(problems.map((p) => p.subject)).toEqual([
      'nonSyncOu',
      'groupTypeOverride',
      'namePrefix',
      'deadlines.cloudDeletionMinutes',
      'deadlines.conversionMinutes',
      'customRoutingDomain',
    ]);
    expect(problems.every((p) => p.code === 'INVALID_OPTIONS' && p.severity === 'blocking')).toBe(true);
  });

  it('does not need a non-sync OU for in-place conversion', () => {
    expect(resolveOptions({ strategy: 'convert' }).problems).toEqual([]);
  });
});
