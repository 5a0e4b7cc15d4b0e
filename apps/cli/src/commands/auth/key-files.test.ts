import { describe, expect, it } from 'vitest';
import { keyFilesWarning } from './index.js';

describe('auth init on Windows', () => {
  it('warns that the key files are only as private as their folder, and says nothing elsewhere', () => {
    expect(keyFilesWarning('C:\\dlmigrate\\certs', 'win32')).toBe(
      'the private key and the PFX are not made owner-only by file modes on Windows: restrict the ACL of C:\\dlmigrate\\certs to you and the account that runs dlmigrate',
    );
    expect(keyFilesWarning('/etc/dlmigrate', 'linux')).toBeUndefined();
  });
});
