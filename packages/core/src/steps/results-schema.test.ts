// The journaled results of a migration's steps are parsed by each step's schema when they are read back.
import { describe, expect, it } from 'vitest';
import { resultsOf } from '../saga/runner.js';
import { RESTORE_RESULT_SCHEMAS } from '../restore/results-schema.js';
import type { RestoreStepResults } from '../restore/results.js';
import type { MigrationStepResults } from './results.js';
import { MIGRATION_RESULT_SCHEMAS } from './results-schema.js';

const stage = {
  name: 'Sales (new)',
  identity: 'f0e1d2c3-0000-4000-8000-000000000001',
  initialAddress: 'x@contoso.com',
};
const takeOver = {
  addresses: ['smtp:sales@contoso.com'],
  routingAddress: 'sales@contoso.mail.onmicrosoft.com',
  name: 'Sales',
};

describe("a migration's journaled step results", () => {
  it('reads a well-formed result, keeping a field this version does not know', () => {
    const results = resultsOf<MigrationStepResults>(
      new Map<string, unknown>([
        ['stage', { ...stage, addedLater: true }],
        ['take-over', takeOver],
        // Completed without a result: nothing to parse, and has() still says it completed.
        ['convert', undefined],
      ]),
      MIGRATION_RESULT_SCHEMAS,
      'm1',
    );
    expect(results.get('stage')).toEqual({ ...stage, addedLater: true });
    expect(results.get('take-over')?.primary).toBeUndefined();
    expect(results.has('convert')).toBe(true);
    expect(results.get('park')).toBeUndefined();
  });

  it.each([
    ['stage', { ...stage, identity: 7 }, /stage of migration m1 .*identity/],
    ['take-over', { ...takeOver, addresses: 'sales@contoso.com' }, /take-over .*addresses/],
    [
      'validate',
      { cloudType: 'Mail-enabled', routingDomain: 'contoso.mail.onmicrosoft.com', warnings: 0 },
      /cloudType/,
    ],
    ['final-sync', { dependants: 2 }, /final-sync .*sync/],
    ['verify', 'checked', /verify .*\(document\)/],
  ] as const)('refuses a malformed %s result with STORED_DOCUMENT_INVALID', (step, value, message) => {
    expect(() =>
      resultsOf<MigrationStepResults>(new Map([[step, value]]), MIGRATION_RESULT_SCHEMAS, 'm1'),
    ).toThrow(
      expect.objectContaining({ code: 'STORED_DOCUMENT_INVALID', message: expect.stringMatching(message) }),
    );
  });

  it("parses a restore's results and the migration's it reads", () => {
    const read = () =>
      resultsOf<MigrationStepResults & RestoreStepResults>(
        new Map<string, unknown>([
          ['stage', stage],
          ['restore-group', { dn: 'CN=Sales,OU=Groups,DC=contoso,DC=com', recreated: 'yes' }],
        ]),
        { ...MIGRATION_RESULT_SCHEMAS, ...RESTORE_RESULT_SCHEMAS },
        'm2',
      );
    expect(read).toThrow(
      expect.objectContaining({
        code: 'STORED_DOCUMENT_INVALID',
        message: expect.stringMatching(/restore-group .*recreated/),
      }),
    );
  });
});
