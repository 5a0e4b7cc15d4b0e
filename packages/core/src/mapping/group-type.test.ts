import { describe, expect, it } from 'vitest';
import { cloudGroupType, decodeGroupType, isRoomList, isSecurityGroupType } from './group-type.js';

describe('decodeGroupType', () => {
  it.each([
    [-2147483640, true, 'universal'],
    [-2147483646, true, 'global'],
    [-2147483644, true, 'domainLocal'],
    [8, false, 'universal'],
    [2, false, 'global'],
    [4, false, 'domainLocal'],
  ] as const)('%i → security %s, %s', (value, security, scope) => {
    expect(decodeGroupType(value)).toEqual({ security, scope });
  });

  it('accepts the unsigned form of a security group too', () => {
    expect(decodeGroupType(2147483656).security).toBe(true);
  });
});

describe('cloudGroupType', () => {
  it('follows the security bit without an override', () => {
    expect(cloudGroupType(-2147483640, undefined)).toBe('Security');
    expect(cloudGroupType(8, undefined)).toBe('Distribution');
  });
  it('lets the override win, and forced security win over the override', () => {
    expect(cloudGroupType(8, 'Security')).toBe('Security');
    expect(cloudGroupType(-2147483640, 'Distribution')).toBe('Distribution');
    expect(cloudGroupType(8, 'Distribution', true)).toBe('Security');
  });
});

describe('isRoomList / isSecurityGroupType', () => {
  it('recognises the room-list type in every representation', () => {
    expect(isRoomList(268435456)).toBe(true);
    expect(isRoomList('268435456')).toBe(true);
    expect(isRoomList(1073741833)).toBe(false);
    expect(isRoomList(undefined)).toBe(false);
  });
  it('treats a missing groupType as not security', () => {
    expect(isSecurityGroupType(undefined)).toBe(false);
    expect(isSecurityGroupType(-2147483646)).toBe(true);
  });
});
