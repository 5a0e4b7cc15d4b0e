// Connection: LDAPS / StartTLS, the three bind forms, TLS verification, actionable typed errors,
// reconnect after a dropped connection, bounded concurrency and the operation counter.
import { createServer, type Server } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdConnection, isAdError } from '../src/index.js';
import { failure, openLab, type TestLab } from './helpers.js';

let t: TestLab;
beforeAll(async () => {
  t = await openLab();
});
afterAll(async () => {
  await t?.close();
  await t?.lab.reset(); // a user was created and deleted here
});

describe('binding', () => {
  it.each([
    ['UPN', () => t.env.bindDn],
    ['DOMAIN\\user', () => `${t.env.domain}\\Administrator`],
    ['DN', () => `CN=Administrator,CN=Users,${t.env.baseDn}`],
  ])('binds over LDAPS as %s with verification on', async (_form, bindDn) => {
    const ad = t.ad({ bindDn: bindDn() });
    expect(await ad.defaultNamingContext()).toBe(t.env.baseDn);
    expect(ad.counts.binds).toBe(1);
  });

  it('binds over ldap:// + StartTLS, repeatedly (ldapts must not keep a mutated options object)', async () => {
    const ad = t.ad({ url: t.env.startTlsUrl, startTls: true, maxConcurrency: 3 });
    const dns = await Promise.all([1, 2, 3, 4, 5, 6].map(() => ad.exists(t.obj('groups.sales').dn)));
    expect(dns).toEqual([true, true, true, true, true, true]);
    expect(ad.counts.binds).toBeGreaterThanOrEqual(2);
    expect(ad.counts.binds).toBeLessThanOrEqual(3);
  });

  it('reads forest-wide through the global catalog', async () => {
    const ad = t.ad({ gcUrl: t.env.gcUrl });
    const matches = await ad.findByAddress('sales@contoso.com');
    expect(matches.map((m) => m.dn)).toEqual([t.obj('groups.sales').dn]);
  });
});

describe('errors that say what to fix', () => {
  it('bad credentials → AD_INVALID_CREDENTIALS without the password anywhere', async () => {
    const secret = 'Wr0ng!Secret#Value';
    const e = await failure(t.ad({ password: secret }).defaultNamingContext());
    expect(e.code).toBe('AD_INVALID_CREDENTIALS');
    expect(e.details.ldapCode).toBe(49);
    expect(e.message).toMatch(/password/);
    const everything = JSON.stringify({
      m: e.message,
      s: e.stack,
      d: e.details,
      c: String((e as { cause?: unknown }).cause),
    });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(t.env.bindPassword);
  });

  it('never exposes the password when the client object is logged or serialised', async () => {
    const ad = t.ad();
    await ad.defaultNamingContext();
    expect(inspect(ad, { depth: 8, showHidden: true })).not.toContain(t.env.bindPassword);
    expect(JSON.stringify(ad.connection.counts)).not.toContain(t.env.bindPassword);
    let json = '';
    try {
      json = JSON.stringify(ad);
    } catch {
      json = ''; // circular structures cannot be serialised at all, which is fine too
    }
    expect(json).not.toContain(t.env.bindPassword);
  });

  it('unknown CA → AD_TLS_UNKNOWN_CA', async () => {
    const e = await failure(t.ad({ caPem: undefined }).defaultNamingContext());
    expect(e.code).toBe('AD_TLS_UNKNOWN_CA');
    expect(e.message).toMatch(/caFile/);
  });

  it('certificate name mismatch → AD_TLS_NAME_MISMATCH', async () => {
    const e = await failure(t.ad({ tlsServerName: 'not-the-dc.example' }).defaultNamingContext());
    expect(e.code).toBe('AD_TLS_NAME_MISMATCH');
  });

  it('verification can be disabled only explicitly, and then warns', async () => {
    const warnings: string[] = [];
    const ad = t.ad({ caPem: undefined, rejectUnauthorized: false, onWarning: (w) => warnings.push(w) });
    expect(await ad.defaultNamingContext()).toBe(t.env.baseDn);
    expect(warnings.join()).toMatch(/verification is DISABLED/);
  });

  it('unreachable → AD_UNREACHABLE naming the server', async () => {
    const e = await failure(t.ad({ url: `ldaps://${t.env.host}:1` }).defaultNamingContext());
    expect(e.code).toBe('AD_UNREACHABLE');
    expect(e.message).toContain(`${t.env.host}:1`);
  });

  it('a server that never answers → AD_TIMEOUT (connect and operation timeouts)', async () => {
    const silent: Server = createServer(() => undefined); // accepts, never speaks
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const tls = await failure(
        t
          .ad({ url: `ldaps://127.0.0.1:${port}`, connectTimeoutMs: 200, timeoutMs: 200 })
          .defaultNamingContext(),
      );
      expect(tls.code).toBe('AD_TIMEOUT');
      const op = await failure(
        t
          .ad({ url: `ldap://127.0.0.1:${port}`, startTls: true, connectTimeoutMs: 200, timeoutMs: 200 })
          .defaultNamingContext(),
      );
      expect(op.code).toBe('AD_TIMEOUT');
      expect(op.message).toContain(`127.0.0.1:${port}`);
    } finally {
      silent.close();
    }
  });

  it('bad options are refused before connecting', () => {
    const base = { url: t.env.url, bindDn: t.env.bindDn, password: 'x' };
    expect(() => new AdConnection({ ...base, url: t.env.startTlsUrl })).toThrow(/startTls/);
    expect(() => new AdConnection({ ...base, password: '' })).toThrow(/anonymously/);
    expect(() => new AdConnection({ ...base, url: 'http://x' })).toThrow(/ldaps/);
    expect(() => new AdConnection({ ...base, caFile: '/nonexistent/ca.pem' })).toThrow(/CA file/);
  });

  it('insufficient rights → AD_INSUFFICIENT_RIGHTS; no such object → AD_NO_SUCH_OBJECT', async () => {
    const admin = t.ad();
    const ou = t.obj('ous.users').dn;
    const userDn = `CN=Limited Larry,${ou}`;
    const password = 'Limited!Passw0rd#1';
    await admin.deleteObject(userDn);
    await admin.connection.add(userDn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: ['limited.larry'],
      userPrincipalName: [`limited.larry@${t.env.realm.toLowerCase()}`],
      unicodePwd: [Buffer.from(`"${password}"`, 'utf16le')],
      userAccountControl: ['512'],
    });
    try {
      const limited = t.ad({ bindDn: `limited.larry@${t.env.realm.toLowerCase()}`, password });
      const e = await failure(
        limited.modifyAttributes(t.obj('groups.sales').dn, [
          { operation: 'replace', attribute: 'extensionAttribute9', values: ['x'] },
        ]),
      );
      expect(e.code).toBe('AD_INSUFFICIENT_RIGHTS');
      expect(e.details.ldapCode).toBe(50);
      const missing = await failure(
        admin.modifyAttributes(`CN=Nobody,${ou}`, [
          { operation: 'replace', attribute: 'description', values: ['x'] },
        ]),
      );
      expect(missing.code).toBe('AD_NO_SUCH_OBJECT');
      expect(missing.details.dn).toBe(`CN=Nobody,${ou}`);
    } finally {
      await admin.deleteObject(userDn);
    }
  });

  it('constraint violations are typed (duplicate sAMAccountName)', async () => {
    const ad = t.ad();
    const e = await failure(
      ad.renameObject(t.obj('groups.company').dn, {
        sAMAccountName: t.obj('groups.sales').samAccountName as string,
      }),
    );
    expect(e.code).toBe('AD_CONSTRAINT_VIOLATION');
    expect(e.message).toMatch(/already used/);
    expect(isAdError(e)).toBe(true);
  });
});

describe('resilience and accounting', () => {
  it('reconnects after the server side of a pooled connection is gone', async () => {
    const ad = t.ad({ maxConcurrency: 1 });
    const dn = t.obj('groups.sales').dn;
    expect(await ad.exists(dn)).toBe(true);
    // Kill every pooled socket behind the client's back, as an idle timeout or a DC restart would.
    const servers = (
      ad.connection as unknown as {
        servers: Map<string, { idle: { client: { socket?: { destroy(): void } } }[] }>;
      }
    ).servers;
    for (const s of servers.values()) for (const p of s.idle) p.client.socket?.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(await ad.exists(dn)).toBe(true);
    expect(ad.counts.binds).toBe(2);
  });

  it('retries once when the connection drops mid-operation', async () => {
    const ad = t.ad({ maxConcurrency: 1 });
    await ad.exists(t.obj('groups.sales').dn);
    const servers = (
      ad.connection as unknown as {
        servers: Map<string, { idle: { client: { socket?: { destroy(): void } } }[] }>;
      }
    ).servers;
    const pooled = [...servers.values()][0]?.idle[0];
    const pending = ad.connection.search(t.obj('ous.bulk').dn, {
      scope: 'one',
      attributes: ['cn'],
      pageSize: 50,
    });
    setImmediate(() => pooled?.client.socket?.destroy());
    expect((await pending).length).toBe(3000);
    expect(ad.counts.binds).toBe(2);
  });

  it('close() during an operation lets it finish and leaves no open connection; later use reopens lazily', async () => {
    const ad = t.ad();
    const pending = ad.connection.search(t.obj('ous.bulk').dn, {
      scope: 'one',
      attributes: ['cn'],
      pageSize: 500,
    });
    await new Promise((r) => setImmediate(r));
    await ad.close();
    expect(await pending).toHaveLength(3000);
    const servers = (ad.connection as unknown as { servers: Map<string, { idle: unknown[] }> }).servers;
    expect([...servers.values()].every((s) => s.idle.length === 0)).toBe(true);
    expect(await ad.exists(t.obj('groups.sales').dn)).toBe(true);
    await ad.close();
  });

  it('counts searches, pages and ranged reads', async () => {
    const ad = t.ad({ pageSize: 100, rangeSize: 1000 });
    ad.connection.resetCounts();
    const users = await ad.connection.search(t.obj('ous.bulk').dn, { scope: 'one', attributes: ['cn'] });
    expect(users).toHaveLength(3000);
    expect(ad.counts.searches).toBe(1);
    expect(ad.counts.extraPages).toBeGreaterThanOrEqual(29);
    const big = await ad.connection.read(t.obj('groups.big').dn, {
      attributes: ['member'],
      ranged: ['member'],
    });
    expect(big?.strings('member')).toHaveLength(3001);
    expect(ad.counts.rangedReads).toBe(3);
  });
});
