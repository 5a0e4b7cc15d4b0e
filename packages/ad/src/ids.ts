// objectGUID and objectSid codecs. AD stores a GUID's first three fields little-endian, so the
// byte order on the wire differs from the text form; SIDs are the binary layout of MS-DTYP §2.4.2.2.
import { AdError } from './errors.js';

const GUID_TEXT =
  /^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$/;

/** 16 bytes (AD layout) → "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower case). */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16)
    throw new AdError('AD_OPERATION_FAILED', `A GUID has 16 bytes, got ${bytes.length}.`);
  const hex = (b: Buffer) => b.toString('hex');
  const rev = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).reverse();
  return `${hex(rev(0, 4))}-${hex(rev(4, 6))}-${hex(rev(6, 8))}-${hex(bytes.subarray(8, 10))}-${hex(bytes.subarray(10, 16))}`;
}

/** "xxxxxxxx-…" (braces optional) → 16 bytes in AD layout. */
export function guidToBuffer(text: string): Buffer {
  const m = GUID_TEXT.exec(text.trim());
  if (!m)
    throw new AdError(
      'AD_INVALID_OPTIONS',
      `${JSON.stringify(text)} is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`,
    );
  // The pattern has five groups and matched, so each holds a string (RegExpMatchArray types them string | undefined).
  const [, a, b, c, d, e] = m as unknown as [string, string, string, string, string, string];
  return Buffer.concat([
    Buffer.from(a, 'hex').reverse(),
    Buffer.from(b, 'hex').reverse(),
    Buffer.from(c, 'hex').reverse(),
    Buffer.from(d, 'hex'),
    Buffer.from(e, 'hex'),
  ]);
}

/** Binary SID → "S-1-5-21-…". Returns the number of bytes consumed too (SIDs are embedded in ACEs). */
export function readSid(bytes: Buffer, offset = 0): { sid: string; length: number } {
  if (bytes.length < offset + 8) throw new AdError('AD_OPERATION_FAILED', 'Truncated SID.');
  const revision = bytes.readUInt8(offset);
  const count = bytes.readUInt8(offset + 1);
  const length = 8 + 4 * count;
  if (bytes.length < offset + length) throw new AdError('AD_OPERATION_FAILED', 'Truncated SID.');
  // 48-bit big-endian identifier authority.
  const authority = bytes.readUIntBE(offset + 2, 6);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(bytes.readUInt32LE(offset + 8 + 4 * i)));
  return { sid: parts.join('-'), length };
}

export function sidToString(bytes: Buffer): string {
  return readSid(bytes).sid;
}

export function sidToBuffer(sid: string): Buffer {
  const m = /^S-(\d+)-(\d+)((?:-\d+)*)$/i.exec(sid.trim());
  if (!m) throw new AdError('AD_INVALID_OPTIONS', `${JSON.stringify(sid)} is not a SID (expected S-1-5-…).`);
  const subs = (m[3] ?? '').split('-').filter(Boolean).map(Number);
  if (subs.length > 15 || subs.some((s) => s > 0xffffffff))
    throw new AdError('AD_INVALID_OPTIONS', `${sid} is not a valid SID.`);
  const buf = Buffer.alloc(8 + 4 * subs.length);
  buf.writeUInt8(Number(m[1]), 0);
  buf.writeUInt8(subs.length, 1);
  buf.writeUIntBE(Number(m[2]), 2, 6);
  subs.forEach((s, i) => buf.writeUInt32LE(s, 8 + 4 * i));
  return buf;
}

export const SID_EVERYONE = 'S-1-1-0';
export const SID_SELF = 'S-1-5-10';

/**
 * NT AUTHORITY and other machine-independent principals (S-1-1-*, S-1-3-*, S-1-5-<n> without a
 * domain part) that have no object in the directory. BUILTIN (S-1-5-32-*) and domain SIDs
 * (S-1-5-21-*) do.
 */
export function isWellKnownSid(sid: string): boolean {
  if (/^S-1-[0-4]-/.test(sid) || /^S-1-[0-4]$/.test(sid)) return true;
  const m = /^S-1-5-(\d+)/.exec(sid);
  if (!m) return false;
  const first = Number(m[1]);
  return first !== 21 && first !== 32;
}
