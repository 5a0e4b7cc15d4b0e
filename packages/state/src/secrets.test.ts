import { describe, expect, it } from 'vitest';

import { SecretInStateError } from './errors.js';
import { assertNoSecrets, findSecrets, isSecretKey, stripSecrets } from './secrets.js';

describe('secret guard', () => {
  it('recognises secret-looking keys whatever their spelling', () => {
    for (const key of [
      'password',
      'bindPassword',
      'client_secret',
      'Client-Secret',
      'passphrase',
      'privateKey',
      'private_key_pem',
      'accessToken',
      'refresh_token',
      'apiKey',
      'credentials',
      'certificatePfx',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of [
      'tokenEndpoint',
      'certificatePath',
      'thumbprint',
      'address',
      'members',
      'keyVaultName',
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('finds secrets deep inside objects and arrays, and PEM private keys under any key', () => {
    const value = {
      ldap: { url: 'ldaps://dc1', bindPassword: 'x' },
      clouds: [{ name: 'a' }, { clientSecret: 'y' }],
      note: '-----BEGIN PRIVATE KEY-----\nabc',
      certificate: '-----BEGIN CERTIFICATE-----\nabc',
    };
    expect(findSecrets(value)).toEqual(['ldap.bindPassword', 'clouds[1].clientSecret', 'note']);
    expect(() => assertNoSecrets('options', value)).toThrow(SecretInStateError);
    expect(() => assertNoSecrets('options', { ldap: { url: 'ldaps://dc1' } })).not.toThrow();
  });

  it('never repeats the secret in its error message', () => {
    try {
      assertNoSecrets('options', { password: 'hunter2' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('password');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('strips secrets from a copy and leaves the rest', () => {
    const value = {
      a: 1,
      token: 't',
      nested: [{ secret: 's', keep: true }],
      pem: '-----BEGIN EC PRIVATE KEY-----',
    };
    expect(stripSecrets(value)).toEqual({ a: 1, nested: [{ keep: true }], pem: '[redacted]' });
    expect(value.token).toBe('t');
  });
});

describe('generated ids as keys', () => {
  it('a migration id that happens to end in a secret suffix is a record key, not a secret', () => {
    expect(findSecrets({ deletionsSeen: { '01m8wawf73hw5gkmtxdpfx': { at: 1 } } })).toEqual([]);
    expect(findSecrets({ clientSecret: 'x', accessToken: 'y' })).toEqual(['clientSecret', 'accessToken']);
  });
});
