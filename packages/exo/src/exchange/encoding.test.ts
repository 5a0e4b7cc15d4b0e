import { describe, expect, it } from 'vitest';
import { addRemove, camelCase, cmdletBody, encodeParameters, toCamelRecord } from './encoding.js';

describe('encodeParameters', () => {
  it('tags add/remove changes as #Exchange.GenericHashTable and omits empty sides', () => {
    expect(encodeParameters({ EmailAddresses: addRemove({ add: ['smtp:a@x.com'] }) })).toEqual({
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: ['smtp:a@x.com'] },
    });
    expect(encodeParameters({ ManagedBy: addRemove({ add: ['a'], remove: ['b'] }) })).toEqual({
      ManagedBy: { '@odata.type': '#Exchange.GenericHashTable', Add: ['a'], Remove: ['b'] },
    });
  });
  it('drops undefined, keeps null/false, dates as UTC ISO, arrays as replacements', () => {
    expect(
      encodeParameters({
        A: undefined,
        B: null,
        C: false,
        D: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        E: ['x', 'y'],
        F: 3,
      }),
    ).toEqual({ B: null, C: false, D: '2026-01-02T03:04:05.000Z', E: ['x', 'y'], F: 3 });
  });
  it('wraps in CmdletInput', () => {
    expect(JSON.parse(cmdletBody('Get-Recipient', { Identity: 'x' }))).toEqual({
      CmdletInput: { CmdletName: 'Get-Recipient', Parameters: { Identity: 'x' } },
    });
  });
  it('a plain object that looks like add/remove is not mistaken for one', () => {
    const fake = { add: ['a'] } as unknown as string;
    expect(encodeParameters({ X: fake })).toEqual({ X: { add: ['a'] } });
  });
});

describe('camelCase records', () => {
  it('lowers the first letter or a leading acronym and drops OData annotations', () => {
    expect(camelCase('ExternalDirectoryObjectId')).toBe('externalDirectoryObjectId');
    expect(camelCase('SMTPAddress')).toBe('smtpAddress');
    expect(camelCase('AcceptMessagesOnlyFromDLMembers')).toBe('acceptMessagesOnlyFromDLMembers');
    expect(toCamelRecord({ '@odata.type': 't', 'Members@odata.type': 'c', Name: 'n' })).toEqual({
      name: 'n',
    });
  });
});
