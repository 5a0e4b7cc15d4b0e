import { describe, expect, it } from 'vitest';
import { decideRetention } from './retention.js';

describe('decideRetention', () => {
  it('forces retention for security groups and for groups with permission dependants', () => {
    expect(decideRetention({ requested: 'delete', onPremSecurity: false, permissionDependants: 0 })).toEqual({
      dispose: 'delete',
    });
    expect(
      decideRetention({ requested: 'delete', onPremSecurity: true, permissionDependants: 0 }).dispose,
    ).toBe('retain');
    const forced = decideRetention({ requested: 'delete', onPremSecurity: false, permissionDependants: 2 });
    expect(forced).toEqual({ dispose: 'retain', forcedBecause: 'it holds rights on 2 on-premises objects' });
    expect(decideRetention({ requested: 'retain', onPremSecurity: false, permissionDependants: 0 })).toEqual({
      dispose: 'retain',
    });
  });
});
