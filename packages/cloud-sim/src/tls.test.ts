import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateClientCertificate, randomSerial } from './tls.js';

describe('certificates', () => {
  it('serials are positive and minimally encoded (first byte 0x01-0x7f)', () => {
    for (let i = 0; i < 2000; i++) {
      const first = parseInt(randomSerial().slice(0, 2), 16);
      expect(first).toBeGreaterThanOrEqual(1);
      expect(first).toBeLessThanOrEqual(0x7f);
    }
  });

  it('OpenSSL parses generated certificates, with the thumbprints it computes', () => {
    for (let i = 0; i < 20; i++) {
      const c = generateClientCertificate();
      const x = new X509Certificate(c.certPem);
      expect(x.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(c.thumbprintSha256);
      expect(x.fingerprint.replace(/:/g, '').toLowerCase()).toBe(c.thumbprintSha1);
    }
  });
});
