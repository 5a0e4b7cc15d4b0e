// Transport behaviour that cloud-sim (a well-behaved server) can't provoke, checked against a small
// real HTTPS server: the bearer token never follows a nextLink to another host, the request carries
// the documented headers, and odd answers become typed errors.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customCloud } from '../src/cloud.js';
import { ExchangeOnline } from '../src/exchange/exchange-online.js';
import {
  ExoError,
  ExoNoResultError,
  ExoOtherError,
  ExoThrottledError,
  ExoUnknownRecipientTypeError,
} from '../src/exchange/errors.js';
import { ExoTransport } from '../src/exchange/transport.js';
import { HttpClient, HttpUnsupportedSchemeError } from '../src/http/client.js';
import { makeCertificate } from './helpers/certs.js';

const TENANT = '8f1c2b4e-0000-4000-8000-000000000001';
const serverCert = makeCertificate({ cn: '127.0.0.1', serverIp: '127.0.0.1' });
let server: https.Server;
let base: string;
let answer: (url: string) => { status: number; body: string; headers?: Record<string, string> };
const seen: Array<{ url: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];

beforeAll(async () => {
  server = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const a = answer(req.url ?? '');
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function transport(http: HttpClient) {
  // A fixed token: this server checks nothing, the test is about what the transport sends.
  return new ExoTransport({
    cloud: customCloud({ url: base }),
    tenantId: TENANT,
    tokens: { token: async () => 'test-token' },
    http,
    retry: { maxAttempts: 2, baseDelayMs: 5 },
  });
}

describe('ExoTransport against a raw HTTPS server', () => {
  it('sends the documented headers and body', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ value: [{ Name: 'x' }] }) });
    const http = new HttpClient({ caPem: serverCert.certPem });
    const result = await transport(http).invoke(
      'Get-Recipient',
      { Identity: 'x' },
      { select: ['Name', 'Guid'] },
    );
    expect(result.value).toEqual([{ Name: 'x' }]);
    const req = seen.at(-1)!;
    expect(req.url).toBe(`/adminapi/beta/${TENANT}/InvokeCommand?$select=Name,Guid`);
    expect(req.headers['authorization']).toBe('Bearer test-token');
    expect(req.headers['x-anchormailbox']).toBe(
      `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${TENANT}`,
    );
    expect(req.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.headers['prefer']).toBe('odata.maxpagesize=1000');
    expect(JSON.parse(req.body)).toEqual({
      CmdletInput: { CmdletName: 'Get-Recipient', Parameters: { Identity: 'x' } },
    });
    http.close();
  });

  it('refuses to send the token to a nextLink on another host', async () => {
    answer = () => ({
      status: 200,
      body: JSON.stringify({ value: [], '@odata.nextLink': 'https://evil.example/steal' }),
    });
    const http = new HttpClient({ caPem: serverCert.certPem });
    const before = seen.length;
    await expect(transport(http).invoke('Get-Recipient', {})).rejects.toBeInstanceOf(ExoOtherError);
    expect(seen.length).toBe(before + 1);
    http.close();
  });

  it('a 200 that is not JSON is an error, not an empty result', async () => {
    answer = () => ({ status: 200, body: '<html>proxy login page</html>' });
    const http = new HttpClient({ caPem: serverCert.certPem });
    await expect(transport(http).invoke('Get-Recipient', {})).rejects.toThrow(/not JSON/);
    http.close();
  });

  it('429 with an HTTP-date Retry-After is honoured and counted', async () => {
    let calls = 0;
    answer = () =>
      ++calls === 1
        ? { status: 429, body: '{}', headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } }
        : { status: 200, body: JSON.stringify({ value: [] }) };
    const http = new HttpClient({ caPem: serverCert.certPem });
    const t = transport(http);
    await t.invoke('Get-Recipient', {});
    expect(t.stats()).toMatchObject({ retries: 1, throttles: 1, requests: 2 });
    calls = 0;
    answer = () => ({ status: 429, body: '{}', headers: { 'retry-after': '0' } });
    await expect(t.invoke('Get-Recipient', {})).rejects.toBeInstanceOf(ExoThrottledError);
    http.close();
  });

  // Not ExoErrors on purpose (exchange/errors.ts): the steps answer an ExoError with a finding and go on, these fail
  // the step as the plain Errors they were did.
  it('a cmdlet that must return an object and returns none is EXO_NO_RESULT, not an ExoError', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ value: [] }) });
    const http = new HttpClient({ caPem: serverCert.certPem });
    const exchange = new ExchangeOnline(transport(http));
    const calendar = exchange.configuration.getCalendarProcessing('room1');
    await expect(calendar).rejects.toBeInstanceOf(ExoNoResultError);
    await expect(calendar).rejects.toMatchObject({ code: 'EXO_NO_RESULT', cmdlet: 'Get-CalendarProcessing' });
    await expect(calendar).rejects.not.toBeInstanceOf(ExoError);
    // New-DistributionGroup answered nothing and the read-back by name finds nothing either.
    await expect(exchange.newDistributionGroup({ name: 'Temp' })).rejects.toMatchObject({
      code: 'EXO_NO_RESULT',
      cmdlet: 'New-DistributionGroup',
      identity: 'Temp',
    });
    http.close();
  });

  it('a recipient type without a Set- cmdlet is EXO_UNKNOWN_RECIPIENT_TYPE before any call', async () => {
    const http = new HttpClient({ caPem: serverCert.certPem });
    const before = seen.length;
    const write = new ExchangeOnline(transport(http)).setRecipient(
      { identity: 'x', recipientTypeDetails: 'PublicFolder' },
      { HiddenFromAddressListsEnabled: true },
    );
    await expect(write).rejects.toBeInstanceOf(ExoUnknownRecipientTypeError);
    await expect(write).rejects.toMatchObject({ code: 'EXO_UNKNOWN_RECIPIENT_TYPE' });
    expect(seen.length).toBe(before);
    http.close();
  });

  it('a URL that is neither https: nor http: is HTTP_UNSUPPORTED_SCHEME', async () => {
    const http = new HttpClient({});
    const sent = http.request({ method: 'GET', url: 'ftp://127.0.0.1/x', headers: {} });
    await expect(sent).rejects.toBeInstanceOf(HttpUnsupportedSchemeError);
    await expect(sent).rejects.toMatchObject({ code: 'HTTP_UNSUPPORTED_SCHEME' });
    http.close();
  });
});
