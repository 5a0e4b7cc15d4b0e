import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hostKeyAlgorithmsFor, matchesPin, parseHostKeyPin, sha256Fingerprint } from './ssh-host-key.js';

// An ssh-ed25519 public key blob (RFC 8709): string "ssh-ed25519", string <32-byte key>.
function ed25519Blob(): Buffer {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32);
  const field = (data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length, 0);
    return Buffer.concat([length, data]);
  };
  return Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
}

describe('host key pins', () => {
  const blob = ed25519Blob();
  const b64 = blob.toString('base64');

  it('reads a known_hosts line, a public key line and a SHA256 fingerprint', () => {
    for (const line of [
      `[connect01.contoso.com]:22,10.0.0.5 ssh-ed25519 ${b64}`,
      `|1|abc=|def= ssh-ed25519 ${b64}`,
      `ssh-ed25519 ${b64} root@connect01`,
    ]) {
      const pin = parseHostKeyPin(line);
      expect(pin).toMatchObject({ kind: 'key', keyType: 'ssh-ed25519' });
      expect(matchesPin(pin, blob)).toBe(true);
      expect(matchesPin(pin, ed25519Blob())).toBe(false);
      expect(hostKeyAlgorithmsFor(pin)).toEqual(['ssh-ed25519']);
    }
    const fingerprint = parseHostKeyPin(`  ${sha256Fingerprint(blob)}  `);
    expect(matchesPin(fingerprint, blob)).toBe(true);
    expect(matchesPin(fingerprint, ed25519Blob())).toBe(false);
    expect(hostKeyAlgorithmsFor(fingerprint)).toBeUndefined();
  });

  it('offers the RSA signature algorithms for a pinned RSA key', () => {
    const rsa = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.alloc(8)]);
    expect(hostKeyAlgorithmsFor(parseHostKeyPin(`host ssh-rsa ${rsa.toString('base64')}`))).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
  });

  it('refuses what it cannot pin exactly', () => {
    expect(() => parseHostKeyPin('connect01.contoso.com')).toThrow(/known_hosts line/);
    expect(() => parseHostKeyPin('MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48')).toThrow(/MD5/);
    expect(() => parseHostKeyPin(`@cert-authority *.contoso.com ssh-ed25519 ${b64}`)).toThrow(/markers/);
    // the base64 claims ssh-rsa but holds an ed25519 key
    expect(() => parseHostKeyPin(`host ssh-rsa ${b64}`)).toThrow(/not a valid ssh-rsa/);
    expect(() => parseHostKeyPin('SHA256:tooShort')).toThrow(/known_hosts line/);
  });
});
