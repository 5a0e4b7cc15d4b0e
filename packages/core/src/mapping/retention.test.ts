import { describe, expect, it } from 'vitest';
import { decideRetention, firstRdn, parentDn, retainedGroupClearList } from './retention.js';

describe('retention', () => {
  it('forces retention for security groups and for groups with permission dependants', () => {
    expect(decideRetention({ requested: 'delete', groupType: 8, permissionDependants: 0 })).toEqual({ dispose: 'delete' });
    expect(decideRetention({ requested: 'delete', groupType: -2147483640, permissionDependants: 0 }).dispose).toBe('retain');
    const forced = decideRetention({ requested: 'delete', groupType: 8, permissionDependants: 2 });
    expect(forced.dispose).toBe('retain');
    expect(forced.forcedBecause).toMatch(/2 on-premises objects/);
    expect(decideRetention({ requested: 'retain', groupType: 8, permissionDependants: 0 })).toEqual({ dispose: 'retain' });
  });

  it('clears only Exchange attributes the group holds and the schema knows, never member or groupType', () => {
    const list = retainedGroupClearList(['mail', 'proxyAddresses', 'member', 'groupType', 'msExchGroupSecurityFlags', 'MAILNICKNAME']);
    expect(list).toEqual(['mail', 'mailNickname', 'proxyAddresses', 'msExchGroupSecurityFlags']);
    const legacy = retainedGroupClearList(undefined, (a) => a !== 'msExchGroupSecurityFlags');
    expect(legacy).not.toContain('msExchGroupSecurityFlags');
    expect(legacy).toContain('extensionAttribute15');
    expect(legacy).not.toContain('member');
  });

  it('splits DNs at the first unescaped comma', () => {
    expect(parentDn('CN=Sales\\, East,OU=Groups,DC=contoso,DC=com')).toBe('OU=Groups,DC=contoso,DC=com');
    expect(firstRdn('CN=Sales\\, East,OU=Groups,DC=contoso,DC=com')).toBe('CN=Sales\\, East');
    expect(() => parentDn('DC=com')).toThrow(/no parent/);
  });
});
