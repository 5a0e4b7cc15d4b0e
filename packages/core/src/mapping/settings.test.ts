import { describe, expect, it } from 'vitest';
import {
  cloudFallbackOf,
  decodeModerationFlags,
  departRestriction,
  joinRestriction,
  mapGroupSettings,
} from './settings.js';

describe('moderation flags', () => {
  it.each([
    [undefined, false, 'Always'],
    [0, false, 'Never'],
    [1, true, 'Never'],
    [2, false, 'Internal'],
    [3, true, 'Internal'],
    [6, false, 'Always'],
    [7, true, 'Always'],
  ] as const)('%s → bypass %s, notify %s', (flags, bypassNested, notifications) => {
    expect(decodeModerationFlags(flags)).toEqual({ bypassNested, notifications });
  });
});

describe('join / depart restrictions', () => {
  it('decodes MemberUpdateType and defaults to Closed', () => {
    expect(joinRestriction(1)).toBe('Open');
    expect(joinRestriction(2)).toBe('ApprovalRequired');
    expect(joinRestriction(0)).toBe('Closed');
    expect(joinRestriction(undefined)).toBe('Closed');
  });
  it('keeps security groups closed for departures and never uses ApprovalRequired', () => {
    expect(departRestriction(1, false)).toBe('Open');
    expect(departRestriction(1, true)).toBe('Closed');
    expect(departRestriction(2, false)).toBe('Closed');
  });
  it("unset on-premises: carries the synced group's effective value, else Exchange's default Open", () => {
    expect(departRestriction(undefined, false)).toBe('Open');
    expect(departRestriction(undefined, false, 'Open')).toBe('Open');
    expect(departRestriction(undefined, false, 'Closed')).toBe('Closed');
    expect(departRestriction(undefined, true, 'Open')).toBe('Closed');
    expect(departRestriction(0, false, 'Open')).toBe('Closed'); // set on-premises: the directory decides
  });
});

describe('mapGroupSettings', () => {
  const group = {
    groupType: { security: false },
    mailNickname: 'sales',
    displayName: 'Sales Team',
    displayNamePrintable: 'Sales',
    settings: {
      joinRestriction: 1,
      departRestriction: 1,
      moderationFlags: 3,
      enableModeration: true,
      oofReplyToOriginator: true,
      reportToOwner: true,
      reportToOriginator: false,
      hiddenFromAddressLists: true,
      requireAuthToSendTo: true,
      senderHintTranslations: ['default:<html>hi</html>'],
      extensionAttributes: { 1: 'one', 3: '', 4: 'four' },
      extensionCustomAttributes: { 1: ['a', 'b'], 3: [] },
    },
  };

  it('takes an unset depart restriction from the captured synced group', () => {
    const { departRestriction: _unset, ...unset } = group.settings;
    const closedInCloud = {
      alias: 'sales',
      displayName: 'Sales',
      settings: { memberDepartRestriction: 'Closed' },
    };
    const s = mapGroupSettings(
      { ...group, settings: unset },
      'Distribution',
      { prefix: '', suffix: '' },
      cloudFallbackOf(closedInCloud),
    );
    expect(s.MemberDepartRestriction).toBe('Closed');
    expect(
      mapGroupSettings({ ...group, settings: unset }, 'Distribution', { prefix: '', suffix: '' })
        .MemberDepartRestriction,
    ).toBe('Open');
  });

  it('maps every attribute of the phase-12 table', () => {
    const s = mapGroupSettings(group, 'Distribution', { prefix: 'C-', suffix: '-x' });
    expect(s).toEqual({
      MemberJoinRestriction: 'Open',
      MemberDepartRestriction: 'Open',
      ModerationEnabled: true,
      BypassNestedModerationEnabled: true,
      SendModerationNotifications: 'Internal',
      SendOofMessageToOriginatorEnabled: true,
      ReportToManagerEnabled: true,
      ReportToOriginatorEnabled: false,
      HiddenFromAddressListsEnabled: true,
      RequireSenderAuthenticationEnabled: true,
      Alias: 'sales',
      DisplayName: 'C-Sales Team-x',
      SimpleDisplayName: 'Sales',
      MailTipTranslations: ['default:<html>hi</html>'],
      CustomAttribute1: 'one',
      CustomAttribute4: 'four',
      ExtensionCustomAttribute1: ['a', 'b'],
    });
  });

  it('closes departures when the cloud group is a security group', () => {
    expect(mapGroupSettings(group, 'Security', {}).MemberDepartRestriction).toBe('Closed');
  });

  it('falls back to the cloud values and to the defaults', () => {
    const s = mapGroupSettings(
      {
        groupType: { security: true },
        settings: { senderHintTranslations: [], extensionAttributes: {}, extensionCustomAttributes: {} },
      },
      'Security',
      {},
      { alias: 'c', displayName: 'Cloud' },
    );
    expect(s).toMatchObject({
      Alias: 'c',
      DisplayName: 'Cloud',
      ModerationEnabled: false,
      SendModerationNotifications: 'Always',
      MemberJoinRestriction: 'Closed',
      HiddenFromAddressListsEnabled: false,
    });
    expect(s).not.toHaveProperty('SimpleDisplayName');
    expect(s).not.toHaveProperty('CustomAttribute1');
  });
});
