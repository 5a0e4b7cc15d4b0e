import { describe, expect, it } from 'vitest';

import { SecretInStateError } from './errors.js';
import { assertNoSecrets, findSecrets, isSecretKey } from './secrets.js';

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

  it('in settings, finds secret names deep inside objects and arrays, and PEM private keys under any key', () => {
    const value = {
      ldap: { url: 'ldaps://dc1', bindPassword: 'x' },
      clouds: [{ name: 'a' }, { clientSecret: 'y' }],
      note: '-----BEGIN PRIVATE KEY-----\nabc',
      certificate: '-----BEGIN CERTIFICATE-----\nabc',
    };
    expect(findSecrets(value, 'settings')).toEqual(['ldap.bindPassword', 'clouds[1].clientSecret', 'note']);
    expect(() => assertNoSecrets('options', value, 'settings')).toThrow(SecretInStateError);
    expect(() => assertNoSecrets('options', { ldap: { url: 'ldaps://dc1' } }, 'settings')).not.toThrow();
  });

  it('in a record, judges values only: keys are data (ids, addresses), a private key or bearer token is refused', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJl';
    expect(findSecrets({ deletionsSeen: { '01m8wawf73hw5gkmtxdpfx': { at: 1 } } }, 'record')).toEqual([]);
    expect(findSecrets({ 'svc-token': 'CN=svc-token,OU=Groups' }, 'record')).toEqual([]);
    expect(
      findSecrets(
        { calls: [{ authorization: `Bearer ${jwt}` }], pem: '-----BEGIN EC PRIVATE KEY-----' },
        'record',
      ),
    ).toEqual(['calls[0].authorization', 'pem']);
    // The same id-shaped key in settings is judged by name: settings keys are names, never data.
    expect(findSecrets({ certificatePfx: 'x' }, 'settings')).toEqual(['certificatePfx']);
    expect(findSecrets({ header: jwt }, 'settings')).toEqual(['header']);
  });

  it('never repeats the secret in its error message', () => {
    try {
      assertNoSecrets('options', { password: 'hunter2' }, 'settings');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('password');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
