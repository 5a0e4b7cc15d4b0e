// A lab with another realm and no fixture: the realm shapes the base DN, bind name and certificate;
// reset works on an unseeded golden copy; destroy frees everything.
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type LabEnv } from '../src/index.js';

const NAME = 'lab-test-realm';
let lab: Lab;
let env: LabEnv;

beforeAll(async () => {
  const old = await Lab.open(NAME);
  if (old) await old.destroy();
  lab = await Lab.ensure({ name: NAME, fixture: null, realm: 'CORP.EXAMPLE', domain: 'CORP' });
  env = lab.env();
}, 900_000);

afterAll(async () => {
  await lab?.destroy();
}, 120_000);

async function bind(): Promise<Client> {
  const c = new Client({
    url: env.url,
    timeout: 30_000,
    connectTimeout: 10_000,
    tlsOptions: { ca: [env.caPem], servername: 'dc1.corp.example' },
  });
  await c.bind(env.bindDn, env.bindPassword);
  return c;
}

describe('a lab with realm CORP.EXAMPLE and no fixture', () => {
  it('derives the base DN, bind name and certificate from the realm', async () => {
    expect(env).toMatchObject({
      realm: 'CORP.EXAMPLE',
      domain: 'CORP',
      baseDn: 'DC=corp,DC=example',
      bindDn: 'Administrator@corp.example',
    });
    expect(lab.seeded()).toBeNull();
    const c = await bind();
    const { searchEntries } = await c.search(env.baseDn, {
      scope: 'one',
      filter: '(objectClass=organizationalUnit)',
      attributes: ['ou'],
    });
    expect(searchEntries.map((e) => e.ou)).toEqual(['Domain Controllers']);
    // the Exchange schema was applied with this base DN
    const marker = await c.search(`CN=ms-Exch-Schema-Version-Pt,CN=Schema,CN=Configuration,${env.baseDn}`, {
      scope: 'base',
      attributes: ['rangeUpper'],
    });
    expect(marker.searchEntries).toHaveLength(1);
    await c.unbind();
  });

  it('accepts a NetBIOS-style bind name', async () => {
    const c = new Client({
      url: env.url,
      timeout: 30_000,
      connectTimeout: 10_000,
      tlsOptions: { ca: [env.caPem] },
    });
    await c.bind(`${env.domain}\\Administrator`, env.bindPassword);
    await c.unbind();
  });

  it('resets to the empty golden copy', async () => {
    const c = await bind();
    await c.add(`OU=Scratch,${env.baseDn}`, { objectClass: ['top', 'organizationalUnit'] });
    await c.unbind();
    await lab.reset();
    const after = await bind();
    const { searchEntries } = await after.search(env.baseDn, {
      scope: 'one',
      filter: '(ou=Scratch)',
      attributes: ['ou'],
    });
    expect(searchEntries).toEqual([]);
    await after.unbind();
  });

  it('refuses to be reused with another realm or with a fixture', async () => {
    await expect(Lab.ensure({ name: NAME, fixture: null, realm: 'LAB.TEST' })).rejects.toThrow(
      /has realm CORP.EXAMPLE/,
    );
    await expect(Lab.ensure({ name: NAME, realm: 'CORP.EXAMPLE' })).rejects.toThrow(
      /holds no fixture, but fixture contoso v\d+ was asked for/,
    );
  });
});
