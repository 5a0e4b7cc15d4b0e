// The Entra Connect server's SSH host key, pinned in the configuration. The trigger never learns a key on
// first use (no trust-on-first-use, no user known_hosts file): the server must present exactly the pinned
// key, or nothing is sent to it. Two ways to pin, both as OpenSSH prints them:
//   - a known_hosts line or a public key line: `[host]:port ssh-ed25519 AAAA…` / `ssh-ed25519 AAAA… comment`
//     (the key itself is compared; host patterns in the line are not needed, the config names the host);
//   - a fingerprint: `SHA256:…` as `ssh-keygen -lf <host key>.pub` prints it.
import { createHash } from 'node:crypto';
import { CoreError } from '../errors/core-error.js';

export type HostKeyPin =
  | { readonly kind: 'key'; readonly keyType: string; readonly blob: Buffer }
  | { readonly kind: 'fingerprint'; readonly sha256: string };

class HostKeyPinError extends CoreError {
  declare readonly code: 'SYNC_SSH_HOST_KEY_INVALID';
  constructor(message: string) {
    super('SYNC_SSH_HOST_KEY_INVALID', message);
  }
}

// The host key types the SSH library verifies (security keys and DSA are not host key types in practice).
const KEY_TYPE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521))$/;

/** Reads a pin; throws HostKeyPinError with what is wrong (never guesses). */
export function parseHostKeyPin(text: string): HostKeyPin {
  const trimmed = text.trim();
  const fingerprint = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(trimmed);
  if (fingerprint) return { kind: 'fingerprint', sha256: fingerprint[1]! };
  if (/^(MD5:)?([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(trimmed))
    throw new HostKeyPinError('MD5 host key fingerprints are not accepted; give the SHA256:… fingerprint');
  const fields = trimmed.split(/\s+/);
  if (fields[0]?.startsWith('@'))
    throw new HostKeyPinError(`known_hosts markers (${fields[0]}) are not supported; pin the host's own key`);
  const at = fields.findIndex((field) => KEY_TYPE.test(field));
  if (at === -1 || fields[at + 1] === undefined)
    throw new HostKeyPinError(
      'expected a known_hosts line ("host ssh-ed25519 AAAA…"), a public key line or a SHA256:… fingerprint',
    );
  const keyType = fields[at]!;
  const blob = Buffer.from(fields[at + 1]!, 'base64');
  // An SSH public key blob starts with its own type name (RFC 4253 §6.6): a cheap check that the base64 is
  // a key of the type the line claims, and not a truncated or mistyped paste.
  if (blob.length < 4 + keyType.length || blob.subarray(4, 4 + blob.readUInt32BE(0)).toString() !== keyType)
    throw new HostKeyPinError(`the ${keyType} key in the pinned line is not a valid ${keyType} public key`);
  return { kind: 'key', keyType, blob };
}

/** OpenSSH's SHA256 fingerprint of a public key blob, without the trailing "=". */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function matchesPin(pin: HostKeyPin, blob: Buffer): boolean {
  return pin.kind === 'key' ? pin.blob.equals(blob) : sha256Fingerprint(blob) === `SHA256:${pin.sha256}`;
}

/** The type name at the start of a public key blob (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa…). */
export function keyTypeOf(blob: Buffer): string {
  return blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString() : 'unknown';
}

/**
 * The host key algorithms to offer, so that a server with several host keys presents the pinned one:
 * an RSA key signs with rsa-sha2-512/256 (RFC 8332) or the old ssh-rsa. A fingerprint does not say the
 * key's type, so every algorithm stays on offer (undefined = the library's default order).
 */
export function hostKeyAlgorithmsFor(pin: HostKeyPin): string[] | undefined {
  if (pin.kind === 'fingerprint') return undefined;
  return pin.keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [pin.keyType];
}
