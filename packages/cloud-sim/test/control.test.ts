// Control plane over HTTP, snapshot/restore/reset, and the standalone server process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { appCertificate, clientAssertion, request, requestToken } from './helpers.js';

let sim: CloudSim;
const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  sim = await CloudSim.start({ https: false });
});
afterAll(async () => sim.stop());

describe('control plane over HTTP (plain http mode)', () => {
  it('creates a tenant, registers an app, seeds recipients, and the token + API work', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await request(sim, 'GET', `${sim.url}/_sim/health`);
    expect(health.json).toEqual({ ok: true, url: sim.url });
    const tenant = await request(
      sim,
      'POST',
      `${sim.url}/_sim/tenants`,
      json({ name: 'woodgrove', domains: ['woodgrove.com'] }),
    );
    expect(tenant.status, tenant.text).toBe(200);
    expect(tenant.json).toMatchObject({
      name: 'woodgrove',
      initialDomain: 'woodgrove.onmicrosoft.com',
      routingDomain: 'woodgrove.mail.onmicrosoft.com',
    });
    const id = tenant.json.id as string;
    const app = await request(
      sim,
      'POST',
      `${sim.url}/_sim/tenants/${id}/apps`,
      json({ certificates: [appCertificate().certPem] }),
    );
    expect(app.json.certificates[0].thumbprintSha256).toBe(appCertificate().thumbprintSha256.toUpperCase());
    const seeded = await request(
      sim,
      'POST',
      `${sim.url}/_sim/tenants/woodgrove.com/recipients`,
      json({ recipients: [{ type: 'UserMailbox', name: 'Zoe', primarySmtpAddress: 'zoe@woodgrove.com' }] }),
    );
    expect(seeded.json.created).toHaveLength(1);
    // A bad seed (unknown member) changes nothing, not even the valid objects before it.
    const bad = await request(
      sim,
      'POST',
      `${sim.url}/_sim/tenants/${id}/recipients`,
      json({
        recipients: [
          { type: 'MailContact', name: 'Fine', primarySmtpAddress: 'fine@fabrikam.example' },
          {
            type: 'MailUniversalDistributionGroup',
            name: 'Broken',
            primarySmtpAddress: 'broken@woodgrove.com',
            members: ['nobody'],
          },
        ],
      }),
    );
    expect(bad.status).toBe(400);
    expect(Object.values(sim.tenant(id).recipients).map((r) => r.Name)).toEqual(['Zoe']);
    const badType = await request(
      sim,
      'POST',
      `${sim.url}/_sim/tenants/${id}/recipients`,
      json({ recipients: [{ type: 'Printer', name: 'P', primarySmtpAddress: 'p@woodgrove.com' }] }),
    );
    expect(badType.json.error.message).toContain('unknown type');
    const meta = await request(sim, 'GET', `${sim.url}/_sim/tenants/${id}/authority-metadata`);
    expect(meta.json.token_endpoint).toBe(`${sim.url}/${id}/oauth2/v2.0/token`);
    const token = await requestToken(
      sim,
      id,
      app.json.clientId,
      clientAssertion(appCertificate(), app.json.clientId, meta.json.token_endpoint),
      'https://outlook.office365.com/.default',
    );
    expect(token.status, token.text).toBe(200);
    const res = await request(sim, 'POST', `${sim.url}/adminapi/beta/${id}/InvokeCommand`, {
      headers: {
        authorization: `Bearer ${token.json.access_token}`,
        'content-type': 'application/json',
        'x-anchormailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${id}`,
      },
      body: JSON.stringify({
        CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { Identity: 'zoe@woodgrove.com' } },
      }),
    });
    expect(res.json.value[0].Name).toBe('Zoe');

    // knobs over HTTP
    expect(
      (
        await request(
          sim,
          'PUT',
          `${sim.url}/_sim/tenants/${id}/throttling`,
          json({ requestsPerWindow: 10, windowSeconds: 5, maxConcurrent: 2 }),
        )
      ).status,
    ).toBe(200);
    expect(
      (await request(sim, 'PUT', `${sim.url}/_sim/latency`, json({ exchange: { fixedMs: 1, jitterMs: 1 } })))
        .status,
    ).toBe(200);
    expect(
      (
        await request(
          sim,
          'POST',
          `${sim.url}/_sim/tenants/${id}/faults`,
          json({
            cmdlet: 'Get-Mailbox',
            errorId: 'ExF00D',
            exceptionType: 'X.Y',
            message: 'boom',
            status: 500,
          }),
        )
      ).status,
    ).toBe(200);
    const faulted = await request(sim, 'POST', `${sim.url}/adminapi/beta/${id}/InvokeCommand`, {
      headers: { authorization: `Bearer ${token.json.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: {} } }),
    });
    expect(faulted.status).toBe(500);
    expect(faulted.json.error).toMatchObject({
      code: 'InternalServerError',
      details: [{ message: 'ExF00D|X.Y|boom' }],
    });
    const calls = await request(sim, 'GET', `${sim.url}/_sim/tenants/${id}/calls`);
    expect(calls.json.cmdlets['Get-Mailbox']).toBe(2);
    expect(calls.json.tokens).toBe(1);
    expect((await request(sim, 'DELETE', `${sim.url}/_sim/tenants/${id}/calls`)).json).toEqual({ ok: true });
    expect((await request(sim, 'PUT', `${sim.url}/_sim/latency`, json({ mail: {} }))).status).toBe(400);
    expect(
      (
        await request(
          sim,
          'POST',
          `${sim.url}/_sim/tenants/nope/faults`,
          json({ cmdlet: 'x', errorId: 'a', exceptionType: 'b', message: 'c' }),
        )
      ).status,
    ).toBe(400);
    expect((await request(sim, 'POST', `${sim.url}/_sim/sync/run`, json({}))).status).toBe(409);
  });

  it('snapshots, restores, dumps and resets', async () => {
    const snap = await request(sim, 'POST', `${sim.url}/_sim/snapshots`);
    const id = Object.keys(sim.dump().tenants)[0]!;
    sim.seedRecipients(id, [
      { type: 'MailContact', name: 'Later', primarySmtpAddress: 'later@fabrikam.example' },
    ]);
    expect(Object.values(sim.dump().tenants[id]!.recipients).map((r) => r.Name)).toContain('Later');
    expect((await request(sim, 'POST', `${sim.url}/_sim/snapshots/${snap.json.id}/restore`)).status).toBe(
      200,
    );
    const state = await request(sim, 'GET', `${sim.url}/_sim/state`);
    expect(Object.values(state.json.tenants[id].recipients).map((r) => (r as { Name: string }).Name)).toEqual(
      ['Zoe'],
    );
    expect(state.text).not.toContain('PRIVATE KEY');
    expect((await request(sim, 'POST', `${sim.url}/_sim/reset`)).status).toBe(200);
    expect(sim.dump().tenants).toEqual({});
    expect((await request(sim, 'POST', `${sim.url}/_sim/snapshots/unknown/restore`)).status).toBe(400);
  });
});

describe('standalone server process', () => {
  it('starts from a setup file, writes its state file (0600), serves, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloud-sim-'));
    const stateFile = path.join(dir, 'state.json');
    const setup = path.join(dir, 'setup.json');
    writeFileSync(
      setup,
      JSON.stringify({
        tenants: [
          {
            tenant: { name: 'contoso', domains: ['contoso.com'] },
            apps: [
              { clientId: '11111111-2222-4333-8444-555555555555', certificates: [appCertificate().certPem] },
            ],
            recipients: [{ type: 'UserMailbox', name: 'Alice', primarySmtpAddress: 'alice@contoso.com' }],
          },
        ],
      }),
      { mode: 0o600 },
    );
    const server = fileURLToPath(new URL('../src/server.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=dlmigrate-source',
        server,
        '--port',
        '0',
        '--state-file',
        stateFile,
        '--setup',
        setup,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    try {
      for (let i = 0; i < 300 && !existsSync(stateFile); i++) await new Promise((r) => setTimeout(r, 100));
      const info = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        url: string;
        caPem: string;
        pid: number;
        tenants: { id: string }[];
      };
      expect(statSync(stateFile).mode & 0o777).toBe(0o600);
      expect(info.pid).toBe(child.pid);
      expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const remote = { caPem: info.caPem, url: info.url } as CloudSim;
      const health = await request(remote, 'GET', `${info.url}/_sim/health`);
      expect(health.json.ok).toBe(true);
      const tenantId = info.tenants[0]!.id;
      const tokenUrl = `${info.url}/${tenantId}/oauth2/v2.0/token`;
      const token = await requestToken(
        remote,
        tenantId,
        '11111111-2222-4333-8444-555555555555',
        clientAssertion(appCertificate(), '11111111-2222-4333-8444-555555555555', tokenUrl),
        'https://outlook.office365.com/.default',
      );
      expect(token.status, token.text).toBe(200);
      expect(stdout).toContain(`cloud-sim listening on ${info.url}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(existsSync(stateFile)).toBe(false);
  }, 60_000);
});
