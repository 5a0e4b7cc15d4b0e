import { describe, expect, it } from 'vitest';
import { cloudGroupType } from './group-type.js';

describe('cloudGroupType', () => {
  it('follows the security bit without an override', () => {
    expect(cloudGroupType(true, undefined)).toBe('Security');
    expect(cloudGroupType(false, undefined)).toBe('Distribution');
  });
  it('lets the override win, and forced security win over the override', () => {
    expect(cloudGroupType(false, 'Security')).toBe('Security');
    expect(cloudGroupType(true, 'Distribution')).toBe('Distribution');
    expect(cloudGroupType(false, 'Distribution', true)).toBe('Security');
  });
});
