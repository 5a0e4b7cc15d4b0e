import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_SECTIONS, renderErrorDocs } from './docs.js';

describe('docs/errors.md', () => {
  it('is what the code tables say (run `pnpm docs:errors` after adding a code)', () => {
    const checkedIn = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    expect(checkedIn).toBe(renderErrorDocs());
  });

  it('lists every code once, each with a meaning and an action', () => {
    const codes = ERROR_CODE_SECTIONS.flatMap((s) => Object.keys(s.codes));
    expect(new Set(codes).size).toBe(codes.length);
    for (const section of ERROR_CODE_SECTIONS) {
      for (const [code, entry] of Object.entries(section.codes)) {
        expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
        expect(entry.means.length, code).toBeGreaterThan(10);
        expect(entry.action.length, code).toBeGreaterThan(5);
      }
    }
  });

  it('includes the sync, SSH, CSV and file codes core raises', () => {
    const doc = renderErrorDocs();
    for (const code of [
      'SYNC_ALREADY_RUNNING',
      'SYNC_SSH_AUTH_FAILED',
      'SYNC_SSH_HOST_KEY_MISMATCH',
      'SYNC_SSH_KEY_UNUSABLE',
      'SYNC_SSH_HOST_KEY_INVALID',
      'CSV_MALFORMED',
      'FILE_NOT_OWNER_ONLY',
    ])
      expect(doc).toContain(`| \`${code}\` |`);
  });
});
