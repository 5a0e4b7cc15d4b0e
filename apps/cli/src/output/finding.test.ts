import { describe, expect, it } from 'vitest';
import { findingLine, severityStatus } from './finding.js';

describe('a finding on a terminal line', () => {
  it('marks blocking as fail, needs-action as warn, info as info', () => {
    expect((['blocking', 'needs-action', 'info'] as const).map(severityStatus)).toEqual([
      'fail',
      'warn',
      'info',
    ]);
  });

  it("names verify's attribute once: the message already says which one differs", () => {
    const [status, title, detail] = findingLine({
      severity: 'needs-action',
      code: 'VERIFY_DIFFERENCE',
      subject: 'sales@contoso.com',
      message: 'cloud: Name should hold Sales; it holds Sales!',
    });
    expect(status).toBe('warn');
    expect(title).toBe('VERIFY_DIFFERENCE  sales@contoso.com');
    expect(detail).toBe('cloud: Name should hold Sales; it holds Sales!');
    expect(`${title} ${detail}`.match(/\bName\b/g)).toHaveLength(1);
  });

  it('shows a finding about the group as a whole (no subject) by its code alone', () => {
    expect(findingLine({ severity: 'info', code: 'X', subject: null, message: 'm' })).toEqual([
      'info',
      'X  ',
      'm',
    ]);
  });
});
