import {
  ExoNoResultError,
  ExoValidationError,
  type ExchangeOnline,
  type RecipientRecord,
} from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { entraCommand, exchangeCommand, psQuote } from './commands.js';
import { findExchangeReferences, type ExchangeInventory, type ExchangeReference } from './exchange.js';
import { groupIdentityOf } from './identity.js';
import { liveNames, rewrittenValue } from './live.js';
import { pointConfigReferencesAt } from './rewire.js';
import { configReferencesSchema, configWriteSchema, entraCaptureSchema } from './capture-schema.js';
import { parseStored } from '../stored/parse.js';

const ou = 'NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com';
const dnOf = (name: string) =>
  `CN=${name},OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`;

function record(name: string, id: string, addresses: string[], legacy: string): RecipientRecord {
  return {
    guid: `guid-${id}`,
    externalDirectoryObjectId: id,
    name,
    alias: name.toLowerCase(),
    displayName: name,
    primarySmtpAddress: addresses[0]!,
    emailAddresses: [
      `SMTP:${addresses[0]}`,
      ...addresses.slice(1).map((a) => (a.startsWith('X500:') ? a : `smtp:${a}`)),
    ],
    recipientType: 'MailUniversalSecurityGroup',
    recipientTypeDetails: 'MailUniversalSecurityGroup',
    isDirSynced: true,
    legacyExchangeDN: legacy,
    distinguishedName: dnOf(name),
    hiddenFromAddressListsEnabled: false,
    settings: { organizationalUnit: ou },
  };
}

const old = groupIdentityOf(
  record(
    'Sales',
    'old-id',
    ['sales@contoso.com', 'sales@contoso.onmicrosoft.com'],
    '/o=ExchangeLabs/cn=Recipients/cn=old-sales',
  ),
);
const target = groupIdentityOf(
  record(
    'Sales',
    'new-id',
    ['sales@contoso.com', 'sales@contoso.onmicrosoft.com', 'X500:/o=ExchangeLabs/cn=Recipients/cn=old-sales'],
    '/o=ExchangeLabs/cn=Recipients/cn=new-sales',
  ),
);

const inventory: ExchangeInventory = {
  transportRules: [
    {
      guid: 'r1',
      name: 'Sales BCC',
      priority: 0,
      state: 'Enabled',
      mode: 'Enforce',
      recipients: {
        SentToMemberOf: ['SALES@contoso.com', 'other@contoso.com'],
        BlindCopyTo: ['alice@contoso.com'],
      },
      settings: {},
    },
  ],
  journalRules: [
    {
      guid: 'j1',
      name: 'Everyone',
      recipient: null,
      journalEmailAddress: null,
      scope: 'Global',
      enabled: true,
      settings: {},
    },
    {
      guid: 'j2',
      name: 'Sales',
      recipient: 'sales@contoso.onmicrosoft.com',
      journalEmailAddress: null,
      scope: 'Global',
      enabled: true,
      settings: {},
    },
  ],
  dynamicGroups: [
    {
      guid: 'd1',
      externalDirectoryObjectId: '',
      name: 'Dyn',
      alias: 'dyn',
      displayName: 'Dyn',
      primarySmtpAddress: 'dyn@contoso.com',
      emailAddresses: [],
      recipientType: 'DynamicDistributionGroup',
      recipientTypeDetails: 'DynamicDistributionGroup',
      isDirSynced: false,
      legacyExchangeDN: '',
      distinguishedName: dnOf('Dyn'),
      hiddenFromAddressListsEnabled: false,
      settings: {},
      recipientFilter: `(RecipientType -eq 'UserMailbox') -and (MemberOfGroup -eq '${ou}/Sales')`,
      managedBy: null,
      acceptMessagesOnlyFromSendersOrMembers: [],
      rejectMessagesFromSendersOrMembers: [],
      grantSendOnBehalfTo: [],
    },
  ],
  addressLists: [
    {
      guid: 'a1',
      name: 'Sales people',
      path: '\\Sales people',
      kind: 'address-list',
      recipientFilter: `MemberOfGroup -eq '${dnOf('Sales')}'`,
      settings: {},
    },
    {
      guid: 'a2',
      name: 'Others',
      path: '\\Others',
      kind: 'address-list',
      recipientFilter: `MemberOfGroup -eq '${dnOf('Sales2')}'`,
      settings: {},
    },
  ],
  addressBookPolicies: [
    {
      guid: 'p1',
      name: 'Sales ABP',
      addressLists: ['\\Sales people'],
      globalAddressList: '\\GAL',
      roomList: '\\All Rooms',
      offlineAddressBook: '\\OAB',
      settings: {},
    },
  ],
  resources: [
    {
      mailbox: { guid: 'm1', name: 'Room 1', primarySmtpAddress: 'room1@contoso.com' },
      processing: {
        identity: 'Room 1',
        automateProcessing: 'AutoAccept',
        lists: {
          BookInPolicy: [
            '/o=ExchangeLabs/cn=Recipients/cn=alice',
            '/o=exchangelabs/cn=recipients/cn=OLD-SALES',
          ],
          RequestInPolicy: [],
          RequestOutOfPolicy: [],
          ResourceDelegates: ['Sales'],
        },
        settings: {},
      },
    },
  ],
  notChecked: [],
};

describe('finding the configuration that names a group', () => {
  const found = findExchangeReferences(inventory, old);
  const kinds = found.map((r) => `${r.kind}:${r.container.name}:${r.property}:${r.value}`);

  it('matches each container by what it keeps: addresses, DN or canonical name, LegacyExchangeDN, name', () => {
    expect(kinds).toEqual([
      'transport-rule:Sales BCC:SentToMemberOf:SALES@contoso.com',
      'journal-rule:Sales:Recipient:sales@contoso.onmicrosoft.com',
      `dynamic-group-filter:dyn@contoso.com:RecipientFilter:${ou}/Sales`,
      `address-list-filter:\\Sales people:RecipientFilter:${dnOf('Sales')}`,
      'calendar-processing:room1@contoso.com:BookInPolicy:/o=exchangelabs/cn=recipients/cn=OLD-SALES',
      'calendar-processing:room1@contoso.com:ResourceDelegates:Sales',
    ]);
    expect(found.find((r) => r.kind === 'address-list-filter')?.usedBy).toEqual(['Sales ABP']);
  });

  it('finds nothing for another group, and a journal rule for everyone is not a reference', () => {
    const other = groupIdentityOf(record('Marketing', 'm', ['marketing@contoso.com'], '/o=x/cn=marketing'));
    expect(findExchangeReferences(inventory, other)).toEqual([]);
  });
});

/** The old group's LegacyExchangeDN in a room's booking list. */
const booking: ExchangeReference = {
  kind: 'calendar-processing',
  container: { identity: 'm1', name: 'room1@contoso.com' },
  property: 'BookInPolicy',
  storedAs: 'legacy-dn',
  value: '/o=ExchangeLabs/cn=Recipients/cn=old-sales',
};

describe('rewriting a container for the new group', () => {
  const rule: ExchangeReference = {
    kind: 'transport-rule',
    container: { identity: 'r1', name: 'Sales BCC' },
    property: 'SentToMemberOf',
    storedAs: 'address',
    value: 'sales@contoso.com',
  };

  it("leaves a rule alone when the address it keeps is the new group's (address binding)", () => {
    const live = { shape: 'list', values: ['sales@contoso.com', 'other@contoso.com'] } as const;
    expect(liveNames(rule, live, target)).toBe(true);
    expect(rewrittenValue(rule, live, old, target)).toBeUndefined();
  });

  it('adds the new group where the value went with the object (object binding)', () => {
    expect(rewrittenValue(rule, { shape: 'list', values: ['other@contoso.com'] }, old, target)).toEqual([
      'other@contoso.com',
      'sales@contoso.com',
    ]);
  });

  it('replaces the old LegacyExchangeDN in a booking list by the new group, keeping the other entries', () => {
    const live = {
      shape: 'list',
      values: ['/o=ExchangeLabs/cn=Recipients/cn=alice', '/o=ExchangeLabs/cn=Recipients/cn=old-sales'],
    } as const;
    // The new group carries the old LegacyExchangeDN as an X500 proxy, but the list keeps LegacyExchangeDNs:
    // only the new group's own LegacyExchangeDN counts as naming it.
    expect(liveNames(booking, live, target)).toBe(false);
    expect(rewrittenValue(booking, live, old, target)).toEqual([
      '/o=ExchangeLabs/cn=Recipients/cn=alice',
      'new-id',
    ]);
    const rewritten = {
      shape: 'list',
      values: ['/o=ExchangeLabs/cn=Recipients/cn=alice', '/o=ExchangeLabs/cn=Recipients/cn=new-sales'],
    } as const;
    expect(liveNames(booking, rewritten, target)).toBe(true);
  });

  it('replaces only the old DN literal of a filter, and leaves a filter that no longer names it', () => {
    const ref: ExchangeReference = {
      kind: 'dynamic-group-filter',
      container: { identity: 'd1', name: 'dyn@contoso.com' },
      property: 'RecipientFilter',
      storedAs: 'distinguished-name',
      value: dnOf('Sales'),
    };
    const renamed = {
      ...target,
      distinguishedName: dnOf('Sales (cloud)'),
      canonicalName: `${ou}/Sales (cloud)`,
    };
    expect(
      rewrittenValue(
        ref,
        { shape: 'filter', filter: `(Title -eq 'x') -and (MemberOfGroup -eq '${dnOf('Sales')}')` },
        old,
        renamed,
      ),
    ).toBe(`(Title -eq 'x') -and (MemberOfGroup -eq '${dnOf('Sales (cloud)')}')`);
    expect(rewrittenValue(ref, { shape: 'filter', filter: "Title -eq 'x'" }, old, renamed)).toBeUndefined();
    expect(rewrittenValue(ref, { shape: 'gone' }, old, renamed)).toBeUndefined();
  });

  it('never fills an empty journal recipient (it means "everyone")', () => {
    const journal: ExchangeReference = {
      kind: 'journal-rule',
      container: { identity: 'j1', name: 'Everyone' },
      property: 'Recipient',
      storedAs: 'address',
      value: 'sales@contoso.com',
    };
    expect(rewrittenValue(journal, { shape: 'single', value: null }, old, target)).toBeUndefined();
  });
});

describe('a booking policy that cannot be read', () => {
  /** An Exchange Online whose Get-CalendarProcessing fails with `error`; the test is about rewire's catch sites. */
  const refusing = (error: Error) =>
    ({
      configuration: {
        getCalendarProcessing: () => Promise.reject(error),
      },
    }) as unknown as ExchangeOnline;

  it("is the container's failure when Exchange refuses the read (the step goes on)", async () => {
    const refusal = new ExoValidationError({
      cmdlet: 'Get-CalendarProcessing',
      status: 400,
      serverMessage: 'no',
    });
    const [rewrite] = await pointConfigReferencesAt(refusing(refusal), [booking], old, target);
    expect(rewrite).toMatchObject({ outcome: 'failed', error: refusal.message });
  });

  it('fails the step when Exchange answers without the object (EXO_NO_RESULT is no refusal)', async () => {
    const empty = new ExoNoResultError(
      'Get-CalendarProcessing',
      'm1',
      'Get-CalendarProcessing returned nothing',
    );
    await expect(pointConfigReferencesAt(refusing(empty), [booking], old, target)).rejects.toBe(empty);
  });
});

describe('the captured references read back from the state store', () => {
  const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  const capture = {
    old,
    references: findExchangeReferences(inventory, old),
    notChecked: [{ what: 'address lists', why: 'no permission', command: 'Get-AddressList' }],
  };

  it('parses what capture wrote into what it was, every reference kind of the inventory', () => {
    expect(capture.references.length).toBeGreaterThan(3);
    expect(parseStored(configReferencesSchema, stored(capture), 'references')).toEqual(capture);
    const write = { reference: capture.references[0]!, before: ['a@contoso.com'] };
    expect(parseStored(configWriteSchema, stored(write), 'write')).toEqual(write);
    const entra = {
      objectId: 'old-id',
      references: [
        { kind: 'licence', skuId: 's', skuPartNumber: null, disabledPlans: [] },
        { kind: 'owner', ownerId: 'o', ownerName: 'Olga', ownerType: 'user' },
      ],
      notChecked: [],
    };
    expect(parseStored(entraCaptureSchema, stored(entra), 'entra')).toEqual(entra);
  });

  it('refuses a damaged document with STORED_DOCUMENT_INVALID instead of writing from it', () => {
    const [first, ...rest] = capture.references;
    const damaged = { ...capture, references: [{ ...first, storedAs: 'guid', value: undefined }, ...rest] };
    expect(() => parseStored(configReferencesSchema, stored(damaged), 'the references of m')).toThrow(
      expect.objectContaining({ code: 'STORED_DOCUMENT_INVALID' }),
    );
    expect(() =>
      parseStored(configWriteSchema, stored({ reference: first, before: 3 }), 'the journaled write'),
    ).toThrow(/the journaled write in the state store is not valid \(before/);
    expect(() =>
      parseStored(
        entraCaptureSchema,
        { objectId: 'x', references: [{ kind: 'mailbox' }], notChecked: [] },
        'entra',
      ),
    ).toThrow(/references\.0/);
  });
});

describe('commands for administrators', () => {
  it('quote every value for PowerShell', () => {
    expect(psQuote("O'Brien")).toBe("'O''Brien'");
    expect(
      exchangeCommand(
        {
          kind: 'transport-rule',
          container: { identity: 'r1', name: 'R' },
          property: 'SentToMemberOf',
          storedAs: 'address',
          value: 'x',
        },
        ["o'brien@contoso.com", 'b@contoso.com'],
      ),
    ).toBe("Set-TransportRule -Identity 'r1' -SentToMemberOf 'o''brien@contoso.com','b@contoso.com'");
    expect(
      exchangeCommand(
        {
          kind: 'dynamic-group-filter',
          container: { identity: 'd1', name: 'D' },
          property: 'RecipientFilter',
          storedAs: 'distinguished-name',
          value: 'x',
        },
        "MemberOfGroup -eq 'CN=a'",
      ),
    ).toBe("Set-DynamicDistributionGroup -Identity 'd1' -RecipientFilter 'MemberOfGroup -eq ''CN=a'''");
    expect(entraCommand({ kind: 'licence', skuId: 's', skuPartNumber: 'E5', disabledPlans: [] }, 'g')).toBe(
      "Set-MgGroupLicense -GroupId 'g' -AddLicenses @(@{SkuId='s'; DisabledPlans=@()}) -RemoveLicenses @()",
    );
  });
});
