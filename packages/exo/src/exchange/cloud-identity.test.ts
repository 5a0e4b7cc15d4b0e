// cloudIdentity: the one rule for naming a cloud recipient in cmdlets (the Entra object id, else the Exchange Guid).
import { describe, expect, it } from 'vitest';
import { cloudIdentity } from './cloud-identity.js';

describe('cloudIdentity', () => {
  it('names a synced or cloud-created recipient by its Entra object id', () => {
    expect(
      cloudIdentity({ externalDirectoryObjectId: 'f0e1d2c3-0000-4000-8000-000000000001', guid: 'g-1' }),
    ).toBe('f0e1d2c3-0000-4000-8000-000000000001');
  });

  it('falls back to the Exchange Guid when there is no Entra object (a mail contact, say)', () => {
    expect(
      cloudIdentity({ externalDirectoryObjectId: '', guid: '5a6b7c8d-0000-4000-8000-000000000002' }),
    ).toBe('5a6b7c8d-0000-4000-8000-000000000002');
  });
});
