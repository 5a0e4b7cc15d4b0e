import { describe, expect, it } from 'vitest';
import { syncedAttribute } from './synced-dependants.js';

describe('syncedAttribute', () => {
  it('maps each link rewire-onprem writes to the list the sync fills in Exchange Online', () => {
    const group = 'MailUniversalDistributionGroup';
    expect(syncedAttribute('member', group)).toBe('Members');
    expect(syncedAttribute('authOrig', 'UserMailbox')).toBe('AcceptMessagesOnlyFromSendersOrMembers');
    expect(syncedAttribute('dLMemSubmitPerms', group)).toBe('AcceptMessagesOnlyFromSendersOrMembers');
    expect(syncedAttribute('unauthOrig', group)).toBe('RejectMessagesFromSendersOrMembers');
    expect(syncedAttribute('msExchBypassModerationLink', group)).toBe('BypassModerationFromSendersOrMembers');
    expect(syncedAttribute('msExchCoManagedByLink', 'MailUniversalSecurityGroup')).toBe('ManagedBy');
    expect(syncedAttribute('publicDelegates', group)).toBe('GrantSendOnBehalfTo');
  });

  it('leaves out what the sync does not carry: Exchange-Online-mastered forwarding and mailbox delegates, non-groups', () => {
    expect(syncedAttribute('altRecipient', 'UserMailbox')).toBeUndefined();
    expect(syncedAttribute('publicDelegates', 'UserMailbox')).toBeUndefined();
    expect(syncedAttribute('member', 'MailContact')).toBeUndefined();
    expect(syncedAttribute('msExchCoManagedByLink', 'UserMailbox')).toBeUndefined();
    expect(syncedAttribute('msExchModeratedByLink', 'MailUniversalDistributionGroup')).toBeUndefined();
  });
});
