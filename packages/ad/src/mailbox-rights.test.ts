// Mailbox rights from security descriptors built byte by byte here (MS-DTYP §2.4.6 SECURITY_DESCRIPTOR, §2.4.5 ACL,
// §2.4.4 ACE), not with this package's encoder, so a mistake shared by the parser and the encoder cannot hide.
import { describe, expect, it } from 'vitest';
import { explicitSendAsSids, fullAccessSids } from './mailbox-rights.js';
import { parseSecurityDescriptor } from './security-descriptor.js';

const GROUP = 'S-1-5-21-1004336348-1177238915-682003330-1105';
const OTHER = 'S-1-5-21-1004336348-1177238915-682003330-1106';

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function u16(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff];
}
/** SID: revision 1, sub-authority count, 48-bit big-endian authority, little-endian sub-authorities. */
function sid(text: string): number[] {
  const [, , authority, ...subs] = text.split('-');
  return [1, subs.length, 0, 0, 0, 0, 0, Number(authority), ...subs.flatMap((s) => u32(Number(s)))];
}
/** A GUID in its mixed-endian binary layout. */
function guid(text: string): number[] {
  const h = text.replace(/-/g, '');
  const bytes = (from: number, to: number) =>
    Array.from({ length: (to - from) / 2 }, (_, i) => parseInt(h.slice(from + i * 2, from + i * 2 + 2), 16));
  return [...bytes(0, 8).reverse(), ...bytes(8, 12).reverse(), ...bytes(12, 16).reverse(), ...bytes(16, 32)];
}
function ace(type: number, flags: number, mask: number, trustee: string, objectType?: string): number[] {
  const body = [
    ...u32(mask),
    ...(type === 5 || type === 6
      ? [...u32(objectType ? 1 : 0), ...(objectType ? guid(objectType) : [])]
      : []),
    ...sid(trustee),
  ];
  return [type, flags, ...u16(4 + body.length), ...body];
}
/** A self-relative SD holding only a DACL (what the SD flags control asks for). */
function descriptor(aces: number[][]): Buffer {
  const body = aces.flat();
  const acl = [4, 0, ...u16(8 + body.length), ...u16(aces.length), 0, 0, ...body];
  const header = [1, 0, ...u16(0x8004), ...u32(0), ...u32(0), ...u32(0), ...u32(20)];
  return Buffer.from([...header, ...acl]);
}

const SEND_AS = 'ab721a54-1e2f-11d0-9819-00aa0040529b';
const RECEIVE_AS = 'ab721a56-1e2f-11d0-9819-00aa0040529b';

describe('FullAccess in msExchMailboxSecurityDescriptor', () => {
  it('is an explicit allow ACE with the mailbox right 0x1, for a domain SID', () => {
    const sd = parseSecurityDescriptor(
      descriptor([
        ace(0x00, 0x02, 0x20001, 'S-1-5-10'), // SELF: the owner's own FullAccess + ReadPermission (CI)
        ace(0x00, 0x00, 0x20001, GROUP), // FullAccess granted to the group
        ace(0x00, 0x10, 0x1, OTHER), // inherited: a container's grant, not this mailbox's
        ace(0x01, 0x00, 0x1, OTHER), // deny grants nothing
        ace(0x00, 0x00, 0x20000, OTHER), // ReadPermission only
      ]),
    );
    expect(fullAccessSids(sd)).toEqual([GROUP]);
  });

  it('reads a descriptor without a DACL as no rights', () => {
    const header = [1, 0, ...u16(0x8000), ...u32(0), ...u32(0), ...u32(0), ...u32(0)];
    expect(fullAccessSids(parseSecurityDescriptor(Buffer.from(header)))).toEqual([]);
  });
});

describe('Send-As in nTSecurityDescriptor', () => {
  it('is an explicit allow object ACE for the Send-As extended right with control access', () => {
    const sd = parseSecurityDescriptor(
      descriptor([
        ace(0x05, 0x00, 0x100, GROUP, SEND_AS),
        ace(0x05, 0x00, 0x100, 'S-1-5-10', SEND_AS), // SELF is the object itself
        ace(0x05, 0x12, 0x100, OTHER, SEND_AS), // inherited from the OU
        ace(0x06, 0x00, 0x100, OTHER, SEND_AS), // denied
        ace(0x05, 0x00, 0x100, OTHER, RECEIVE_AS), // another extended right
        ace(0x05, 0x00, 0x10, OTHER, SEND_AS), // a property write, not control access
        ace(0x00, 0x00, 0x1, OTHER), // a plain ACE with CreateChild on the object
      ]),
    );
    expect(explicitSendAsSids(sd)).toEqual([GROUP]);
    // The plain ACE's 0x1 is CreateChild on a directory object, not FullAccess: only the mailbox SD is read for that.
    expect(
      fullAccessSids(parseSecurityDescriptor(descriptor([ace(0x05, 0, 0x100, GROUP, SEND_AS)]))),
    ).toEqual([]);
  });
});
