// Binary objectSid / objectGUID values as hex, for samba/replica.py (which writes them as stored bytes).
import { randomBytes, randomInt } from 'node:crypto';

/** `S-1-5-21-1-2-3-1104` → the binary SID as hex (revision, count, 48-bit authority big-endian, sub-authorities LE). */
export function sidToHex(sid: string): string {
  const parts = sid.split('-');
  if (parts[0] !== 'S' || parts.length < 4) throw new Error(`not a SID: ${sid}`);
  const subs = parts.slice(3).map(Number);
  const b = Buffer.alloc(8 + 4 * subs.length);
  b[0] = Number(parts[1]);
  b[1] = subs.length;
  b.writeUIntBE(Number(parts[2]), 2, 6);
  subs.forEach((s, i) => b.writeUInt32LE(s, 8 + 4 * i));
  return b.toString('hex');
}

/** A fresh domain SID (`S-1-5-21-a-b-c`), as a DC picks one when a domain is created. */
export function randomDomainSid(): string {
  const sub = () => randomInt(1, 2 ** 31);
  return `S-1-5-21-${sub()}-${sub()}-${sub()}`;
}

/** 16 random bytes as hex: a new objectGUID in its stored (little-endian) layout. */
export function randomGuidHex(): string {
  const b = randomBytes(16);
  // version 4, RFC 4122 variant, in the byte positions of AD's little-endian layout
  b[7] = ((b[7] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  return b.toString('hex');
}
