import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../options.js';
import { planChanges } from './plan.js';
import { membersIn, snapshot } from './snapshot.test-support.js';
import { validate } from './validation.js';

const recreate = { ...DEFAULT_OPTIONS, nonSyncOu: 'OU=NonSync,DC=lab,DC=test' };

describe('planChanges', () => {
  it('lists the recreate changes in saga order, with the temporary name of this migration', () => {
    const s = snapshot();
    const changes = planChanges(
      'm-1',
      s,
      validate('sales@contoso.com', s, recreate, membersIn(s)),
      recreate,
      [],
    );
    expect([...new Set(changes.map((c) => c.step))]).toEqual([
      'stage',
      'park',
      'await-deletion',
      'take-over',
      'dispose',
      'routing-contact',
    ]);
    expect(changes[0]).toMatchObject({
      side: 'cloud',
      object: 'dlmigrate-staging-m1',
      action: 'create a Distribution distribution group',
    });
    expect(changes.find((c) => c.step === 'take-over' && c.action === 'set EmailAddresses')?.detail).toEqual([
      'SMTP:sales@contoso.com',
      'X500:/o=Contoso/cn=sales',
      'smtp:sales@contoso.mail.onmicrosoft.com',
    ]);
    expect(changes.find((c) => c.step === 'dispose')?.action).toMatch(
      /^rename to "Sales!" \(sAMAccountName "sales!"\)/,
    );
  });

  it('lists no temporary DL, parking or deletion for an in-place conversion', () => {
    const options = { ...DEFAULT_OPTIONS, strategy: 'convert' as const };
    const s = snapshot();
    const steps = planChanges(
      'm-1',
      s,
      validate('sales@contoso.com', s, options, membersIn(s)),
      options,
      [],
    ).map((c) => c.step);
    expect([...new Set(steps)]).toEqual(['parity-check', 'convert', 'dispose', 'routing-contact']);
  });

  it('plans nothing for a group that cannot migrate', () => {
    const none = {
      ...snapshot(),
      onPrem: { matches: [], group: null, schemaModern: true, nonSyncOuExists: true },
    };
    expect(
      planChanges('m-1', none, validate('x@contoso.com', none, recreate, membersIn(none)), recreate, []),
    ).toEqual([]);
  });
});
