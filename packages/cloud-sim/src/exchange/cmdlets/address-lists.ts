// Address lists, global address lists and address book policies (office-docs-powershell: New-/Get-/Set-AddressList,
// Get-/Set-GlobalAddressList, New-/Get-/Set-AddressBookPolicy). In Exchange Online every one of these cmdlets is in
// the "Address Lists" role, which no role group has by default: the gateway hides them unless the app was given it.
import { randomUUID } from 'node:crypto';
import { defineCmdlet, type CmdletContext, type CmdletDefinition } from '../cmdlet.js';
import { changes, configOf, type AddressBookPolicy, type AddressList } from '../config-state.js';
import { cmdletErrors, refuseTakenName } from '../errors.js';
import type { BoundParameters } from '../params.js';
import { assertRecipientFilter } from '../recipient-filter.js';
import type { OutputObject } from '../render.js';

const role = 'Address Lists' as const;

/** IncludedRecipients values and the filters Exchange writes for them. */
const precanned: Record<string, string> = {
  AllRecipients: '(Alias -ne $null)',
  MailboxUsers: "((Alias -ne $null) -and (RecipientType -eq 'UserMailbox'))",
  MailContacts: "((Alias -ne $null) -and (RecipientType -eq 'MailContact'))",
  MailGroups: "((Alias -ne $null) -and (RecipientType -like 'Mail*Group'))",
  MailUsers: "((Alias -ne $null) -and (RecipientType -eq 'MailUser'))",
  Resources: "((Alias -ne $null) -and (RecipientTypeDetails -eq 'RoomMailbox'))",
};

function listPath(l: AddressList): string {
  return `\\${l.Name}`;
}

function findList(ctx: CmdletContext, identity: string, kind: AddressList['kind']): AddressList {
  const wanted = identity.trim().replace(/^\\/, '').toLowerCase();
  const list = configOf(ctx.tenant).addressLists.find(
    (l) => l.kind === kind && (l.Name.toLowerCase() === wanted || l.Guid.toLowerCase() === wanted),
  );
  if (!list) throw cmdletErrors.notFound(identity);
  return list;
}

function applyFilter(ctx: CmdletContext, list: AddressList, p: BoundParameters): void {
  const filter = p.string('RecipientFilter');
  const included = p.string('IncludedRecipients');
  // Documented: RecipientFilter can't be combined with IncludedRecipients or the Conditional parameters.
  if (filter !== undefined && included !== undefined)
    throw cmdletErrors.conflictingParameters('RecipientFilter', 'IncludedRecipients');
  if (filter !== undefined) {
    assertRecipientFilter(ctx, filter);
    list.RecipientFilter = filter;
    list.IncludedRecipients = null;
  }
  if (included !== undefined) {
    list.RecipientFilter = precanned[included]!;
    list.IncludedRecipients = included;
  }
  const display = p.string('DisplayName');
  if (display !== undefined) list.DisplayName = display;
}

function rename(ctx: CmdletContext, list: AddressList, p: BoundParameters): void {
  const name = p.string('Name');
  if (name === undefined || name === list.Name) return;
  refuseTakenName(
    configOf(ctx.tenant).addressLists.filter((l) => l.Guid !== list.Guid),
    name,
  );
  list.Name = name;
}

function renderList(ctx: CmdletContext, l: AddressList): OutputObject {
  const container = l.kind === 'GlobalAddressList' ? 'All Global Address Lists' : 'All Address Lists';
  return {
    Identity: listPath(l),
    Name: l.Name,
    DisplayName: l.DisplayName,
    Path: listPath(l),
    Guid: l.Guid,
    DistinguishedName: `CN=${l.Name},CN=${container},CN=Address Lists Container,CN=${ctx.tenant.initialDomain},CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`,
    RecipientFilter: l.RecipientFilter,
    IncludedRecipients: l.IncludedRecipients,
    IsDefaultGlobalAddressList: l.kind === 'GlobalAddressList' && l.IsDefault,
  };
}

function writeList(ctx: CmdletContext, kind: AddressList['kind'], p: BoundParameters): void {
  const config = configOf(ctx.tenant);
  const stored = findList(ctx, p.string('Identity')!, kind);
  const draft = structuredClone(stored);
  rename(ctx, draft, p);
  applyFilter(ctx, draft, p);
  if (!changes(ctx, stored, draft, listPath(stored))) return;
  config.addressLists[config.addressLists.findIndex((l) => l.Guid === stored.Guid)] = draft;
}

const filterParams = {
  Name: { kind: 'string', maxLength: 64 },
  DisplayName: { kind: 'string', maxLength: 256 },
  RecipientFilter: { kind: 'string' },
  IncludedRecipients: { kind: 'enum', values: Object.keys(precanned) },
} as const;

function newList(kind: AddressList['kind']): CmdletDefinition {
  return defineCmdlet({
    name: kind === 'AddressList' ? 'New-AddressList' : 'New-GlobalAddressList',
    readOnly: false,
    role,
    params: filterParams,
    mandatory: ['Name'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const name = p.string('Name')!;
      refuseTakenName(config.addressLists, name);
      if (!p.has('RecipientFilter') && !p.has('IncludedRecipients'))
        throw cmdletErrors.missingParameter(
          kind === 'AddressList' ? 'New-AddressList' : 'New-GlobalAddressList',
          'RecipientFilter',
        );
      const list: AddressList = {
        Guid: randomUUID(),
        Name: name,
        DisplayName: name,
        kind,
        RecipientFilter: '',
        IncludedRecipients: null,
        IsDefault: false,
      };
      applyFilter(ctx, list, p);
      config.addressLists.push(list);
      return [renderList(ctx, list)];
    },
  });
}

function findPolicy(ctx: CmdletContext, identity: string): AddressBookPolicy {
  const wanted = identity.trim().toLowerCase();
  const policy = configOf(ctx.tenant).addressBookPolicies.find(
    (x) => x.Name.toLowerCase() === wanted || x.Guid.toLowerCase() === wanted,
  );
  if (!policy) throw cmdletErrors.notFound(identity);
  return policy;
}

function applyPolicy(ctx: CmdletContext, policy: AddressBookPolicy, p: BoundParameters): void {
  const lists = p.list('AddressLists');
  if (lists !== undefined) policy.AddressLists = lists.map((l) => findList(ctx, l, 'AddressList').Guid);
  const gal = p.string('GlobalAddressList');
  if (gal !== undefined) policy.GlobalAddressList = findList(ctx, gal, 'GlobalAddressList').Guid;
  const rooms = p.string('RoomList');
  if (rooms !== undefined) policy.RoomList = findList(ctx, rooms, 'AddressList').Guid;
  const oab = p.string('OfflineAddressBook');
  if (oab !== undefined) {
    const known = configOf(ctx.tenant).offlineAddressBooks.find(
      (o) => o.toLowerCase() === oab.replace(/^\\/, '').toLowerCase(),
    );
    if (!known) throw cmdletErrors.notFound(oab);
    policy.OfflineAddressBook = known;
  }
  const name = p.string('Name');
  if (name !== undefined) policy.Name = name;
}

function renderPolicy(ctx: CmdletContext, policy: AddressBookPolicy): OutputObject {
  const path = (guid: string) => {
    const list = configOf(ctx.tenant).addressLists.find((l) => l.Guid === guid);
    return list ? listPath(list) : null;
  };
  return {
    Identity: policy.Name,
    Name: policy.Name,
    Guid: policy.Guid,
    AddressLists: policy.AddressLists.map(path).filter((x): x is string => x !== null),
    GlobalAddressList: path(policy.GlobalAddressList),
    OfflineAddressBook: `\\${policy.OfflineAddressBook}`,
    RoomList: path(policy.RoomList),
  };
}

const policyParams = {
  Name: { kind: 'string', maxLength: 64 },
  AddressLists: { kind: 'list' },
  GlobalAddressList: { kind: 'string' },
  OfflineAddressBook: { kind: 'string' },
  RoomList: { kind: 'string' },
} as const;

export const addressListCmdlets: CmdletDefinition[] = [
  newList('AddressList'),
  newList('GlobalAddressList'),
  defineCmdlet({
    name: 'Get-AddressList',
    readOnly: true,
    role,
    params: { Identity: { kind: 'string' }, Container: { kind: 'string' }, SearchText: { kind: 'string' } },
    run(ctx, p) {
      const identity = p.string('Identity');
      if (identity !== undefined) return [renderList(ctx, findList(ctx, identity, 'AddressList'))];
      const text = p.string('SearchText')?.toLowerCase();
      return configOf(ctx.tenant)
        .addressLists.filter((l) => l.kind === 'AddressList')
        .filter(
          (l) => !text || l.Name.toLowerCase().includes(text) || l.DisplayName.toLowerCase().includes(text),
        )
        .map((l) => renderList(ctx, l));
    },
  }),
  defineCmdlet({
    name: 'Set-AddressList',
    readOnly: false,
    role,
    params: { Identity: { kind: 'string' }, ...filterParams },
    mandatory: ['Identity'],
    run(ctx, p) {
      writeList(ctx, 'AddressList', p);
    },
  }),
  defineCmdlet({
    name: 'Get-GlobalAddressList',
    readOnly: true,
    role,
    params: { Identity: { kind: 'string' }, DefaultOnly: { kind: 'bool' } },
    run(ctx, p) {
      const identity = p.string('Identity');
      if (identity !== undefined) return [renderList(ctx, findList(ctx, identity, 'GlobalAddressList'))];
      return configOf(ctx.tenant)
        .addressLists.filter((l) => l.kind === 'GlobalAddressList' && (!p.bool('DefaultOnly') || l.IsDefault))
        .map((l) => renderList(ctx, l));
    },
  }),
  defineCmdlet({
    name: 'Set-GlobalAddressList',
    readOnly: false,
    role,
    params: { Identity: { kind: 'string' }, ...filterParams },
    mandatory: ['Identity'],
    run(ctx, p) {
      writeList(ctx, 'GlobalAddressList', p);
    },
  }),
  defineCmdlet({
    name: 'New-AddressBookPolicy',
    readOnly: false,
    role,
    params: policyParams,
    mandatory: ['Name', 'AddressLists', 'GlobalAddressList', 'OfflineAddressBook', 'RoomList'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const name = p.string('Name')!;
      refuseTakenName(config.addressBookPolicies, name);
      const policy: AddressBookPolicy = {
        Guid: randomUUID(),
        Name: name,
        AddressLists: [],
        GlobalAddressList: '',
        OfflineAddressBook: '',
        RoomList: '',
      };
      applyPolicy(ctx, policy, p);
      config.addressBookPolicies.push(policy);
      return [renderPolicy(ctx, policy)];
    },
  }),
  defineCmdlet({
    name: 'Get-AddressBookPolicy',
    readOnly: true,
    role,
    params: { Identity: { kind: 'string' } },
    run(ctx, p) {
      const identity = p.string('Identity');
      if (identity !== undefined) return [renderPolicy(ctx, findPolicy(ctx, identity))];
      return configOf(ctx.tenant).addressBookPolicies.map((x) => renderPolicy(ctx, x));
    },
  }),
  defineCmdlet({
    name: 'Set-AddressBookPolicy',
    readOnly: false,
    role,
    params: { Identity: { kind: 'string' }, ...policyParams },
    mandatory: ['Identity'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const stored = findPolicy(ctx, p.string('Identity')!);
      const draft = structuredClone(stored);
      applyPolicy(ctx, draft, p);
      config.addressBookPolicies[config.addressBookPolicies.findIndex((x) => x.Guid === stored.Guid)] = draft;
    },
  }),
];
