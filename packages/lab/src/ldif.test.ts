import { describe, expect, it } from 'vitest';
import { addRecord, replaceRecord } from './ldif.js';

describe('LDIF records', () => {
  it('writes safe strings as they are and everything else base64-encoded', () => {
    const text = addRecord('CN=Zürich\\, R&D,DC=lab,DC=test', {
      objectClass: ['top', 'contact'],
      cn: ['Zürich, R&D'],
      description: [
        ' leading space',
        'trailing space ',
        ':colon',
        '<angle',
        'two\nlines',
        'plain O\'Brien "Team"',
      ],
      info: [''],
    });
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    expect(text.split('\n')).toEqual([
      `dn:: ${b64('CN=Zürich\\, R&D,DC=lab,DC=test')}`,
      'objectClass: top',
      'objectClass: contact',
      `cn:: ${b64('Zürich, R&D')}`,
      `description:: ${b64(' leading space')}`,
      `description:: ${b64('trailing space ')}`,
      `description:: ${b64(':colon')}`,
      `description:: ${b64('<angle')}`,
      `description:: ${b64('two\nlines')}`,
      'description: plain O\'Brien "Team"',
      'info:',
      '',
    ]);
  });

  it('replaces each attribute with exactly the values given', () => {
    expect(
      replaceRecord('CN=G,DC=lab,DC=test', { member: ['CN=A,DC=lab,DC=test', 'CN=B,DC=lab,DC=test'] }),
    ).toBe(
      [
        'dn: CN=G,DC=lab,DC=test',
        'changetype: modify',
        'replace: member',
        'member: CN=A,DC=lab,DC=test',
        'member: CN=B,DC=lab,DC=test',
        '-',
        '',
      ].join('\n'),
    );
  });
});
