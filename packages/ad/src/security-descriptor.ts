// Self-relative security descriptors (MS-DTYP §2.4.6): enough to read who holds Send-As on a group
// and whether it is protected from accidental deletion, and to write a DACL back (the same layout).
import { AdError } from './errors.js';
import { guidToBuffer, guidToString, readSid, sidToBuffer, SID_EVERYONE } from './ids.js';

export const ACE_TYPE = {
  ACCESS_ALLOWED: 0x00,
  ACCESS_DENIED: 0x01,
  SYSTEM_AUDIT: 0x02,
  ACCESS_ALLOWED_OBJECT: 0x05,
  ACCESS_DENIED_OBJECT: 0x06,
  SYSTEM_AUDIT_OBJECT: 0x07,
} as const;

export const ACCESS_MASK = {
  DELETE_TREE: 0x40,
  CONTROL_ACCESS: 0x100,
  DELETE: 0x10000,
  READ_CONTROL: 0x20000,
  WRITE_DAC: 0x40000,
} as const;

/** Extended right "Send As". */
export const SEND_AS_RIGHT = 'ab721a54-1e2f-11d0-9819-00aa0040529b';

const ACE_OBJECT_TYPE_PRESENT = 0x1;
const ACE_INHERITED_OBJECT_TYPE_PRESENT = 0x2;
const SE_DACL_PRESENT = 0x0004;
const SE_SELF_RELATIVE = 0x8000;

export interface Ace {
  type: number;
  flags: number;
  mask: number;
  sid: string;
  /** Object-specific ACEs: the right / property set / child class GUID. */
  objectType?: string;
  inheritedObjectType?: string;
}

export interface SecurityDescriptor {
  revision: number;
  control: number;
  owner?: string;
  group?: string;
  /** undefined when the DACL was not returned (e.g. the SD flags control asked for owner only). */
  dacl?: Ace[];
  /** The SACL is kept opaque; we never need to read audit entries. */
  sacl?: Buffer;
}

export function parseSecurityDescriptor(bytes: Buffer): SecurityDescriptor {
  if (bytes.length < 20)
    throw new AdError('AD_OPERATION_FAILED', `Security descriptor too short (${bytes.length} bytes).`);
  const revision = bytes.readUInt8(0);
  const control = bytes.readUInt16LE(2);
  const ownerOff = bytes.readUInt32LE(4);
  const groupOff = bytes.readUInt32LE(8);
  const saclOff = bytes.readUInt32LE(12);
  const daclOff = bytes.readUInt32LE(16);
  const sd: SecurityDescriptor = { revision, control };
  if (ownerOff) sd.owner = readSid(bytes, ownerOff).sid;
  if (groupOff) sd.group = readSid(bytes, groupOff).sid;
  if (saclOff) sd.sacl = Buffer.from(bytes.subarray(saclOff, saclOff + bytes.readUInt16LE(saclOff + 2)));
  if (daclOff && control & SE_DACL_PRESENT) sd.dacl = parseAcl(bytes, daclOff);
  return sd;
}

function parseAcl(bytes: Buffer, offset: number): Ace[] {
  const aclSize = bytes.readUInt16LE(offset + 2);
  const count = bytes.readUInt16LE(offset + 4);
  if (offset + aclSize > bytes.length)
    throw new AdError('AD_OPERATION_FAILED', 'Truncated ACL in security descriptor.');
  const aces: Ace[] = [];
  let p = offset + 8;
  for (let i = 0; i < count; i++) {
    const type = bytes.readUInt8(p);
    const flags = bytes.readUInt8(p + 1);
    const size = bytes.readUInt16LE(p + 2);
    if (size < 8 || p + size > offset + aclSize)
      throw new AdError('AD_OPERATION_FAILED', 'Malformed ACE in security descriptor.');
    const mask = bytes.readUInt32LE(p + 4);
    let q = p + 8;
    const ace: Ace = { type, flags, mask, sid: '' };
    if (
      type === ACE_TYPE.ACCESS_ALLOWED_OBJECT ||
      type === ACE_TYPE.ACCESS_DENIED_OBJECT ||
      type === ACE_TYPE.SYSTEM_AUDIT_OBJECT
    ) {
      const objFlags = bytes.readUInt32LE(q);
      q += 4;
      if (objFlags & ACE_OBJECT_TYPE_PRESENT) {
        ace.objectType = guidToString(bytes.subarray(q, q + 16));
        q += 16;
      }
      if (objFlags & ACE_INHERITED_OBJECT_TYPE_PRESENT) {
        ace.inheritedObjectType = guidToString(bytes.subarray(q, q + 16));
        q += 16;
      }
    }
    ace.sid = readSid(bytes, q).sid;
    aces.push(ace);
    p += size;
  }
  return aces;
}

function encodeAce(ace: Ace): Buffer {
  const isObject =
    ace.type === ACE_TYPE.ACCESS_ALLOWED_OBJECT ||
    ace.type === ACE_TYPE.ACCESS_DENIED_OBJECT ||
    ace.type === ACE_TYPE.SYSTEM_AUDIT_OBJECT;
  const parts: Buffer[] = [];
  if (isObject) {
    const objFlags =
      (ace.objectType ? ACE_OBJECT_TYPE_PRESENT : 0) |
      (ace.inheritedObjectType ? ACE_INHERITED_OBJECT_TYPE_PRESENT : 0);
    const f = Buffer.alloc(4);
    f.writeUInt32LE(objFlags);
    parts.push(f);
    if (ace.objectType) parts.push(guidToBuffer(ace.objectType));
    if (ace.inheritedObjectType) parts.push(guidToBuffer(ace.inheritedObjectType));
  }
  parts.push(sidToBuffer(ace.sid));
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt8(ace.type, 0);
  header.writeUInt8(ace.flags, 1);
  header.writeUInt16LE(8 + body.length, 2);
  header.writeUInt32LE(ace.mask >>> 0, 4);
  return Buffer.concat([header, body]);
}

function encodeAcl(aces: Ace[]): Buffer {
  const body = Buffer.concat(aces.map(encodeAce));
  const header = Buffer.alloc(8);
  // Revision 4 is required as soon as object ACEs are present; 2 otherwise.
  header.writeUInt8(aces.some((a) => a.objectType || a.inheritedObjectType || a.type >= 5) ? 4 : 2, 0);
  header.writeUInt16LE(8 + body.length, 2);
  header.writeUInt16LE(aces.length, 4);
  return Buffer.concat([header, body]);
}

/** Encode a self-relative SD (owner, group, DACL, opaque SACL — whichever are set). */
export function encodeSecurityDescriptor(sd: SecurityDescriptor): Buffer {
  const chunks: Buffer[] = [];
  const header = Buffer.alloc(20);
  let offset = 20;
  const place = (buf: Buffer | undefined, at: number) => {
    if (!buf) return;
    header.writeUInt32LE(offset, at);
    chunks.push(buf);
    offset += buf.length;
  };
  place(sd.sacl, 12);
  place(sd.dacl ? encodeAcl(sd.dacl) : undefined, 16);
  place(sd.owner ? sidToBuffer(sd.owner) : undefined, 4);
  place(sd.group ? sidToBuffer(sd.group) : undefined, 8);
  header.writeUInt8(sd.revision || 1, 0);
  const control = (sd.control | SE_SELF_RELATIVE | (sd.dacl ? SE_DACL_PRESENT : 0)) & 0xffff;
  header.writeUInt16LE(control, 2);
  return Buffer.concat([header, ...chunks]);
}

/** SIDs granted Send-As (allowed object ACE for the Send-As right with control-access). */
export function sendAsSids(sd: SecurityDescriptor): string[] {
  const sids = new Set<string>();
  for (const ace of sd.dacl ?? []) {
    if (ace.type !== ACE_TYPE.ACCESS_ALLOWED_OBJECT) continue;
    if ((ace.mask & ACCESS_MASK.CONTROL_ACCESS) === 0) continue;
    if (ace.objectType?.toLowerCase() !== SEND_AS_RIGHT) continue;
    sids.add(ace.sid);
  }
  return [...sids];
}

/** "Protect object from accidental deletion": Everyone is denied DELETE and/or DELETE_TREE on the object. */
export function isProtectedFromAccidentalDeletion(sd: SecurityDescriptor): boolean {
  return (sd.dacl ?? []).some(
    (ace) =>
      ace.type === ACE_TYPE.ACCESS_DENIED &&
      ace.sid === SID_EVERYONE &&
      (ace.mask & (ACCESS_MASK.DELETE | ACCESS_MASK.DELETE_TREE)) !== 0,
  );
}
