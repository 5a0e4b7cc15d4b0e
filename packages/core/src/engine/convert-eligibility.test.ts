import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type MigrationOptions } from '../options.js';
import { convertEligible } from './convert-eligibility.js';
import { emptyLinks, mailbox, snapshot } from './snapshot.test-support.js';

const options: MigrationOptions = { ...DEFAULT_OPTIONS, nonSyncOu: 'OU=NonSync,DC=lab,DC=test' };
const ann = mailbox('Ann', '1');

describe('convertEligible', () => {
  it('recommends convert for a clean group whose synced copy holds every link', () => {
    expect(convertEligible('sales@contoso.com', snapshot(), [], options)).toBe(true);
  });

  it('not when the synced copy lacks a member (convert would freeze it without)', () => {
    const s = snapshot({ group: { links: { ...emptyLinks, member: [ann.dn] } }, recipients: [ann] });
    const synced = {
      guid: 'g1',
      externalDirectoryObjectId: '1',
      name: 'Ann',
      primarySmtpAddress: 'ann@contoso.com',
      recipientTypeDetails: 'UserMailbox',
    };
    expect(convertEligible('sales@contoso.com', s, [synced], options)).toBe(true);
    expect(convertEligible('sales@contoso.com', s, [], options)).toBe(false);
  });

  it('not without a synced cloud copy to convert', () => {
    const s = snapshot();
    expect(
      convertEligible('sales@contoso.com', { ...s, cloud: { ...s.cloud, group: null } }, [], options),
    ).toBe(false);
  });
});
