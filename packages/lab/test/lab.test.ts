// The lab end to end against a real Samba DC (instance `lab-test`): TLS with verification, the
// seeded contoso fixture read back attribute by attribute, ranged retrieval, reset, and tear-down.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Attribute, Change, Client, StrongAuthRequiredError } from 'ldapts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BULK_USER_COUNT,
  dnKey,
  Lab,
  LINK_ATTRIBUTES,
  type LabEnv,
  type SeededObject,
  type SeedResult,
} from '../src/index.js';

const NAME = 'lab-test';
let lab: Lab;
let env: LabEnv;
let seeded: SeedResult;

function client(e: LabEnv = env): Client {
  return new Client({ url: e.url, timeout: 60_000, connectTimeout: 10_000, tlsOptions: { ca: [e.caPem] } });
}

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = client();
  try {
    await c.bind(env.bindDn, env.bindPassword);
    return await fn(c);
  } finally {
    await c.unbind().catch(() => undefined);
  }
}

/**
 * A pid still runs unless /proc has no entry for it or it is a zombie: a dead worker stays a zombie
 * until init reaps it, which this machine's init does lazily; it holds no port, file or memory.
 */
function stillRuns(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The TCP endpoints (ip:port) on which any of `pids` listens, from /proc (IPv4 and IPv6). */
function listeningEndpoints(pids: number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1]) inodes.add(m[1]);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  const endpoints = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/net/${table}`, 'utf8').trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const [local, state, inode] = [f[1] ?? '', f[3], f[9] ?? ''];
      if (state !== '0A' || !inodes.has(inode)) continue; // 0A = LISTEN
      const [hexIp = '', hexPort = ''] = local.split(':');
      const ip =
        table === 'tcp'
          ? (hexIp.match(/../g) ?? [])
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.')
          : `[${hexIp}]`;
      endpoints.add(`${ip}:${parseInt(hexPort, 16)}`);
    }
  }
  return [...endpoints].sort();
}

function obj(key: string): SeededObject {
  const o = seeded.objects[key];
  if (!o) throw new Error(`fixture key ${key} not seeded`);
  return o;
}

function asStrings(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

const ENSURE_CHILD = fileURLToPath(new URL('./helpers/ensure-child.ts', import.meta.url));
let childView: { host: string; pid: number; salesGuid: string };

beforeAll(async () => {
  // Another process calls ensure at the same moment: the instance lock must make both end up with
  // one and the same lab (whichever provisions, the other waits and reuses).
  const child = promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=dlmigrate-source', ENSURE_CHILD, NAME],
    {
      timeout: 900_000,
    },
  );
  lab = await Lab.ensure({ name: NAME });
  childView = JSON.parse((await child).stdout) as typeof childView;
  env = lab.env();
  const s = lab.seeded();
  if (!s) throw new Error('lab-test was not seeded');
  seeded = s;
}, 900_000);

describe('TLS', () => {
  it('binds over LDAPS with certificate verification on, on the instance address', async () => {
    expect(env.host).toMatch(/^127\.0\.0\.(\d+)$/);
    expect(env.url).toBe(`ldaps://${env.host}:636`);
    const c = client();
    await c.bind(env.bindDn, env.bindPassword);
    const { searchEntries } = await c.search(env.baseDn, {
      scope: 'base',
      attributes: ['distinguishedName'],
    });
    expect(dnKey(searchEntries[0]?.dn ?? '')).toBe(dnKey(env.baseDn));
    await c.unbind();
  });

  it('listens on its own loopback address only: 389, 636, 3268, 3269 and nothing else', async () => {
    const { pids } = await lab.status();
    expect(listeningEndpoints(pids)).toEqual(
      [389, 636, 3268, 3269].map((port) => `${env.host}:${port}`).sort(),
    );
  });

  it('refuses the server with a CA that did not sign its certificate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-wrong-ca-'));
    try {
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=Wrong CA',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'ca.pem'),
      ]);
      const wrong = client({ ...env, caPem: readFileSync(path.join(dir, 'ca.pem'), 'utf8') });
      await expect(wrong.bind(env.bindDn, env.bindPassword)).rejects.toThrow(
        /certificate|self.signed|verify/i,
      );
      await wrong.unbind().catch(() => undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('presents a certificate for the DC name and localhost too, and for no other name', async () => {
    const named = (servername: string) =>
      new Client({
        url: env.url,
        timeout: 30_000,
        connectTimeout: 10_000,
        tlsOptions: { ca: [env.caPem], servername },
      });
    for (const name of [`dc1.${env.realm.toLowerCase()}`, 'localhost']) {
      const c = named(name);
      await c.bind(env.bindDn, env.bindPassword);
      await c.unbind();
    }
    const wrong = named('not-the-dc.example');
    await expect(wrong.bind(env.bindDn, env.bindPassword)).rejects.toThrow(
      /altnames|not in the cert|does not match/i,
    );
    await wrong.unbind().catch(() => undefined);
  });

  it('upgrades with StartTLS on 389, and refuses a simple bind without TLS', async () => {
    const plain = new Client({ url: env.startTlsUrl, timeout: 30_000, connectTimeout: 10_000 });
    await expect(plain.bind(env.bindDn, env.bindPassword)).rejects.toBeInstanceOf(StrongAuthRequiredError);
    await plain.unbind().catch(() => undefined);

    const c = new Client({ url: env.startTlsUrl, timeout: 30_000, connectTimeout: 10_000 });
    // startTLS mutates its options object: always hand it a fresh one
    await c.startTLS({ ca: [env.caPem] });
    await c.bind(env.bindDn, env.bindPassword);
    const { searchEntries } = await c.search(obj('groups.sales').dn, { scope: 'base', attributes: ['mail'] });
    expect(searchEntries[0]?.mail).toBe('sales@contoso.com');
    await c.unbind();
  });

  it('serves the global catalog over TLS', async () => {
    const gc = new Client({
      url: env.gcUrl,
      timeout: 30_000,
      connectTimeout: 10_000,
      tlsOptions: { ca: [env.caPem] },
    });
    await gc.bind(env.bindDn, env.bindPassword);
    const { searchEntries } = await gc.search(env.baseDn, {
      scope: 'sub',
      filter: '(mail=sales@contoso.com)',
      attributes: ['cn'],
    });
    expect(searchEntries.map((e) => e.cn)).toEqual(['Sales']);
    await gc.unbind();
  });
});

describe('the seeded contoso fixture', () => {
  it('reads back every attribute and link written, for every object', async () => {
    const objects = Object.values(seeded.objects);
    const written = new Set<string>();
    const byDn = await withClient(async (c) => {
      const map = new Map<string, Record<string, unknown>>();
      for (const top of ['ous.contoso', 'ous.nonSync']) {
        const { searchEntries } = await c.search(obj(top).dn, {
          scope: 'sub',
          filter: '(objectClass=*)',
          attributes: ['*'],
          paged: { pageSize: 1000 },
        });
        for (const e of searchEntries) map.set(dnKey(e.dn), e);
      }
      return map;
    });
    for (const o of objects) {
      const entry = byDn.get(dnKey(o.dn));
      expect(entry, o.key).toBeDefined();
      const lower = new Map(Object.entries(entry ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      for (const [attr, values] of Object.entries(o.attributes)) {
        written.add(attr);
        expect({ key: o.key, attr, values: asStrings(lower.get(attr.toLowerCase())).sort() }).toEqual({
          key: o.key,
          attr,
          values: [...values].sort(),
        });
      }
      for (const [attr, dns] of Object.entries(o.links)) {
        written.add(attr);
        const got = asStrings(lower.get(attr.toLowerCase())).map(dnKey).sort();
        expect({ key: o.key, attr, dns: got.length }).toEqual({ key: o.key, attr, dns: dns.length });
        expect(got).toEqual(dns.map(dnKey).sort());
      }
    }
    // the fixture uses every Exchange attribute the migration carries
    const carried = [
      ...LINK_ATTRIBUTES,
      ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
      ...Array.from({ length: 5 }, (_, i) => `msExchExtensionCustomAttribute${i + 1}`),
      'mail',
      'mailNickname',
      'proxyAddresses',
      'legacyExchangeDN',
      'targetAddress',
      'displayName',
      'msExchRecipientDisplayType',
      'msExchRecipientTypeDetails',
      'msExchHideFromAddressLists',
      'msExchGroupJoinRestriction',
      'msExchGroupDepartRestriction',
      'msExchRequireAuthToSendTo',
      'msExchEnableModeration',
      'msExchModerationFlags',
      'reportToOriginator',
      'reportToOwner',
      'oOFReplyToOriginator',
      'msExchSenderHintTranslations',
      'msDS-ExternalDirectoryObjectId',
      'msExchDynamicDLFilter',
      'msExchDynamicDLBaseDN',
    ];
    expect(carried.filter((a) => !written.has(a))).toEqual([]);
  });

  it('has the Exchange schema extension, with the schema version marker of a modern Exchange', async () => {
    const schemaDn = `CN=Schema,CN=Configuration,${env.baseDn}`;
    await withClient(async (c) => {
      const marker = await c.search(`CN=ms-Exch-Schema-Version-Pt,${schemaDn}`, {
        scope: 'base',
        attributes: ['rangeUpper'],
      });
      expect(Number(marker.searchEntries[0]?.rangeUpper)).toBeGreaterThanOrEqual(15317);
      const { searchEntries } = await c.search(schemaDn, {
        scope: 'one',
        filter:
          '(|(lDAPDisplayName=msExchBypassModerationLink)(lDAPDisplayName=msExchBypassModerationBL)(lDAPDisplayName=msExchMasterAccountSid))',
        attributes: ['lDAPDisplayName', 'linkID'],
      });
      const byName = Object.fromEntries(searchEntries.map((e) => [String(e.lDAPDisplayName), e.linkID]));
      expect(Object.keys(byName).sort()).toEqual([
        'msExchBypassModerationBL',
        'msExchBypassModerationLink',
        'msExchMasterAccountSid',
      ]);
      expect(Number(byName.msExchBypassModerationBL)).toBe(Number(byName.msExchBypassModerationLink) + 1);
    });
  });

  it('maintains the back links of the seeded links (memberOf, authOrigBL, altRecipientBL, ...)', async () => {
    const sales = obj('groups.sales');
    const entry = await withClient(async (c) => {
      const { searchEntries } = await c.search(sales.dn, {
        scope: 'base',
        attributes: [
          'memberOf',
          'altRecipientBL',
          'authOrigBL',
          'dLMemSubmitPermsBL',
          'unauthOrigBL',
          'dLMemRejectPermsBL',
          'msExchBypassModerationFromDLMembersBL',
        ],
      });
      return (searchEntries[0] ?? {}) as Record<string, unknown>;
    });
    expect(asStrings(entry.memberOf).map(dnKey)).toEqual([dnKey(obj('groups.allStaff').dn)]);
    expect(asStrings(entry.altRecipientBL).map(dnKey)).toEqual([dnKey(obj('users.grace').dn)]);
    expect(asStrings(entry.authOrigBL).map(dnKey)).toEqual([dnKey(obj('groups.board').dn)]);
    expect(asStrings(entry.dLMemSubmitPermsBL).map(dnKey).sort()).toEqual(
      [obj('groups.board').dn, obj('users.mallory').dn].map(dnKey).sort(),
    );
    expect(asStrings(entry.unauthOrigBL).map(dnKey)).toEqual([dnKey(obj('groups.partners').dn)]);
    expect(asStrings(entry.dLMemRejectPermsBL).map(dnKey)).toEqual([dnKey(obj('groups.partners').dn)]);
    expect(asStrings(entry.msExchBypassModerationFromDLMembersBL).map(dnKey)).toEqual([
      dnKey(obj('groups.board').dn),
    ]);
  });

  it('finds hostile names by the DN the seeder built and by the cn the fixture gave', async () => {
    const names: Record<string, string> = {
      'groups.obrienTeam': `O'Brien "Team"`,
      'groups.salesWest': '#Sales, West',
      'groups.slashes': 'A/B+C\\D',
      'groups.unicode': 'Zürich Ünïcödé 東京',
      'groups.research': 'Research',
    };
    await withClient(async (c) => {
      for (const [key, cn] of Object.entries(names)) {
        const { searchEntries } = await c.search(obj(key).dn, {
          scope: 'base',
          attributes: ['cn', 'objectGUID'],
        });
        expect(searchEntries[0]?.cn, key).toBe(cn);
      }
    });
    expect(obj('groups.long64').attributes.cn?.[0]).toHaveLength(64);
  });

  it('reads the >1,500-member group with ranged retrieval, and in full with a plain read', async () => {
    const big = obj('groups.big');
    const expected = (big.links.member ?? []).map(dnKey).sort();
    expect(expected.length).toBe(BULK_USER_COUNT + 1);
    const { ranged, plain } = await withClient(async (c) => {
      const collected: string[] = [];
      let low = 0;
      for (let guard = 0; guard < 100; guard++) {
        const { searchEntries } = await c.search(big.dn, {
          scope: 'base',
          attributes: [`member;range=${low}-${low + 999}`],
        });
        const entry = (searchEntries[0] ?? {}) as Record<string, unknown>;
        const rangeKey = Object.keys(entry).find((k) => k.toLowerCase().startsWith('member;range='));
        if (!rangeKey) throw new Error('server returned no ranged member attribute');
        collected.push(...asStrings(entry[rangeKey]));
        const m = /^member;range=(\d+)-(\d+|\*)$/i.exec(rangeKey);
        if (!m) throw new Error(`unexpected range key ${rangeKey}`);
        if (m[2] === '*') return collected;
        low = Number(m[2]) + 1;
      }
      throw new Error('ranged retrieval did not terminate');
    }).then(async (ranged) => ({
      ranged,
      plain: await withClient(async (c) => {
        const { searchEntries } = await c.search(big.dn, { scope: 'base', attributes: ['member'] });
        return asStrings(searchEntries[0]?.member);
      }),
    }));
    expect(ranged.map(dnKey).sort()).toEqual(expected);
    // Samba has no MaxValRange: the plain read is complete (AD would cut it at 1,500)
    expect(plain.map(dnKey).sort()).toEqual(expected);
  });
});

describe('reuse and reset', () => {
  it('two processes ensuring at once got the same lab', async () => {
    expect(childView).toEqual({
      host: env.host,
      pid: (await lab.status()).pid,
      salesGuid: obj('groups.sales').objectGUID,
    });
  });

  it('ensure reuses the running lab (same address, same process, same seed)', async () => {
    const before = await lab.status();
    const again = await Lab.ensure({ name: NAME });
    const after = await again.status();
    expect(after.pid).toBe(before.pid);
    expect(again.env().host).toBe(env.host);
    expect(again.seeded()?.objects['groups.sales']?.objectGUID).toBe(obj('groups.sales').objectGUID);
  });

  it('refuses to reuse a lab for a different fixture', async () => {
    await expect(Lab.ensure({ name: NAME, fixture: null })).rejects.toThrow(
      /holds fixture contoso .* no fixture was asked for/,
    );
  });

  it('reset brings a modified lab back to the golden state', async () => {
    const sales = obj('groups.sales');
    const newUserDn = `CN=Reset Probe,${obj('ous.users').dn}`;
    await withClient(async (c) => {
      await c.modify(sales.dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'extensionAttribute1', values: ['changed'] }),
        }),
        new Change({
          operation: 'delete',
          modification: new Attribute({ type: 'member', values: [obj('users.bob').dn] }),
        }),
      ]);
      await c.add(newUserDn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: 'resetprobe',
      });
      await c.del(obj('users.ivan').dn);
    });
    await lab.reset();
    await withClient(async (c) => {
      const { searchEntries } = await c.search(sales.dn, {
        scope: 'base',
        attributes: ['extensionAttribute1', 'member', 'unauthOrig'],
      });
      expect(searchEntries[0]?.extensionAttribute1).toBe('sales-ext1');
      expect(asStrings(searchEntries[0]?.member).map(dnKey).sort()).toEqual(
        (sales.links.member ?? []).map(dnKey).sort(),
      );
      expect(asStrings(searchEntries[0]?.unauthOrig).map(dnKey)).toEqual([dnKey(obj('users.ivan').dn)]);
      const probe = await c.search(obj('ous.users').dn, {
        scope: 'one',
        filter: '(sAMAccountName=resetprobe)',
        attributes: ['cn'],
      });
      expect(probe.searchEntries).toEqual([]);
    });
  });
});

describe('the lab command', () => {
  const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const cli = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=dlmigrate-source', CLI, ...args],
      { timeout: 120_000 },
    );

  it('env prints shell lines that reach this lab', async () => {
    const { stdout } = await cli('env', '--name', NAME);
    const vars = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => {
          const m = /^export (LAB_[A-Z_]+)='(.*)'$/.exec(line);
          if (!m) throw new Error(`not an export line: ${line.replace(/PASSWORD=.*/, 'PASSWORD=…')}`);
          return [m[1], m[2]];
        }),
    );
    expect(vars).toMatchObject({
      LAB_URL: env.url,
      LAB_CA_FILE: env.caFile,
      LAB_BASE_DN: env.baseDn,
      LAB_BIND_DN: env.bindDn,
    });
    expect(vars.LAB_BIND_PASSWORD).toBe(env.bindPassword);
  });

  it('status reports the running instance without printing its password', async () => {
    const { stdout } = await cli('status', '--name', NAME);
    expect(stdout).not.toContain(env.bindPassword);
    const status = JSON.parse(stdout) as { running: boolean; host: string; stage: string; content: unknown };
    expect(status).toMatchObject({
      running: true,
      host: env.host,
      stage: 'golden',
      content: { fixture: 'contoso' },
    });
  });

  it('fails clearly for an unknown instance or command', async () => {
    await expect(cli('reset', '--name', 'no-such-lab')).rejects.toMatchObject({
      stderr: expect.stringMatching(/no lab named no-such-lab/),
    });
    await expect(cli('explode')).rejects.toMatchObject({
      stderr: expect.stringMatching(/unknown command explode/),
    });
    await expect(cli('up', '--name', 'Bad Name!')).rejects.toMatchObject({
      stderr: expect.stringMatching(/invalid lab name/),
    });
  });
});

describe('tear-down', () => {
  let pids: number[] = [];

  it('stop leaves no process of the lab behind, start brings it back', async () => {
    const status = await lab.status();
    pids = status.pids;
    expect(pids.length).toBeGreaterThan(1);
    await lab.stop();
    expect(pids.filter(stillRuns)).toEqual([]);
    expect((await lab.status()).running).toBe(false);
    await lab.start();
    expect((await lab.status()).running).toBe(true);
  });

  it('destroy stops every process by pid and removes the folder', async () => {
    pids = (await lab.status()).pids;
    const folder = lab.folder;
    await lab.destroy();
    expect(pids.filter(stillRuns)).toEqual([]);
    expect(existsSync(folder)).toBe(false);
    expect(await Lab.open(NAME)).toBeNull();
  });
});
