import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOwnerOnlyFile } from './owner-only-file.js';

describe('owner-only files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'core-owner-only-'));
  const file = join(dir, 'key');
  writeFileSync(file, 'secret');

  it('reads a 0600 file and refuses one others can read, saying how to fix it', () => {
    chmodSync(file, 0o600);
    expect(readOwnerOnlyFile(file, { what: 'the key' }).toString()).toBe('secret');
    chmodSync(file, 0o640);
    expect(() => readOwnerOnlyFile(file, { what: 'the key' })).toThrow(
      `the key ${file} can be read or changed by others (mode 0640); make it owner-only: chmod 600 ${file}`,
    );
    expect(() => readOwnerOnlyFile(join(dir, 'absent'), { what: 'the key' })).toThrow(/ENOENT/);
  });

  it('on Windows, where modes mean nothing, reads it and warns instead', () => {
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    const data = readOwnerOnlyFile(file, {
      what: 'the key',
      platform: 'win32',
      onWarning: (m) => warnings.push(m),
    });
    expect(data.toString()).toBe('secret');
    expect(warnings).toEqual([expect.stringMatching(/cannot be checked on Windows/)]);
  });
});
