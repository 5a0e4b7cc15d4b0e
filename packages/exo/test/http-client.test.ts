// The shared HTTP layer against a real local HTTPS server: an extra CA is trusted per client
// (never process-wide), an unknown CA is refused, timeouts fire, and MSAL's network module and the
// Graph final middleware both ride on it.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpNetworkError, HttpTimeoutError } from '../src/http/client.js';
import { MsalNetworkModule } from '../src/http/msal-network.js';
import { makeCertificate } from './helpers/certs.js';

const serverCert = makeCertificate({ cn: '127.0.0.1', serverIp: '127.0.0.1' });
let server: https.Server;
let base: string;
let connections = 0;
const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/text') {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' })
        .end(JSON.stringify({ ok: true, url: req.url }));
    });
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('HttpClient', () => {
  it('trusts the extra CA given to this client', async () => {
    const http = new HttpClient({ caPem: serverCert.certPem });
    const res = await http.request({
      method: 'POST',
      url: `${base}/x?y=1`,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-test']).toBe('yes');
    expect(JSON.parse(res.body)).toEqual({ ok: true, url: '/x?y=1' });
    expect(seen.at(-1)?.body).toBe('{"a":1}');
    http.close();
  });

  it('refuses a server whose CA it was not given (verification is on by default)', async () => {
    const http = new HttpClient();
    const error = await http.request({ method: 'GET', url: `${base}/x` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpNetworkError);
    expect((error as Error).message).not.toContain('?');
    http.close();
  });

  it('an extra CA is trusted in addition to the roots, not instead of verification: another CA is refused', async () => {
    const other = makeCertificate({ cn: 'another CA', serverIp: '127.0.0.1' });
    const http = new HttpClient({ caPem: other.certPem });
    const error = await http.request({ method: 'GET', url: `${base}/x` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpNetworkError);
    http.close();
  });

  it('keeps one pooled connection for sequential requests with an extra CA (the trust store is built once)', async () => {
    const http = new HttpClient({ caPem: serverCert.certPem });
    const before = connections;
    for (let i = 0; i < 5; i++)
      expect((await http.request({ method: 'GET', url: `${base}/x` })).status).toBe(200);
    expect(connections - before).toBe(1);
    http.close();
  });

  it('can skip verification only when asked, and warns', async () => {
    const warnings: string[] = [];
    const http = new HttpClient({ insecureSkipTlsVerify: true, onWarning: (w) => warnings.push(w) });
    expect((await http.request({ method: 'GET', url: `${base}/x` })).status).toBe(200);
    expect(warnings[0]).toMatch(/DISABLED/);
    http.close();
  });

  it('times out a request that gets no answer', async () => {
    const http = new HttpClient({ caPem: serverCert.certPem });
    await expect(http.request({ method: 'GET', url: `${base}/slow`, timeoutMs: 200 })).rejects.toBeInstanceOf(
      HttpTimeoutError,
    );
    http.close();
  });
});

describe('MsalNetworkModule', () => {
  it('returns MSAL-shaped responses and counts token POSTs', async () => {
    const http = new HttpClient({ caPem: serverCert.certPem });
    const net = new MsalNetworkModule(http);
    const res = await net.sendPostRequestAsync<{ ok: boolean }>(`${base}/token`, {
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(net.tokenRequests).toBe(1);
    const html = await net.sendGetRequestAsync<{ error: string }>(`${base}/text`);
    expect(html.status).toBe(502);
    expect(html.body.error).toBe('invalid_response');
    http.close();
  });
});
