// Test helpers: raw HTTPS calls (node:https, trusting the sim's CA) and hand-made client assertions,
// so the contract tests exercise the wire protocol, not any client library.
import { createPrivateKey, randomUUID } from 'node:crypto';
import https from 'node:https';
import http from 'node:http';
import type { CloudSim, SeedRecipient } from '../src/index.js';
import { generateClientCertificate, type ClientCertificate } from '../src/index.js';
import { signJwt, type JwtAlgorithm } from '../src/auth/jwt.js';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function request(
  sim: CloudSim,
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method,
        headers: {
          ...(options.body !== undefined
            ? { 'content-length': Buffer.byteLength(options.body).toString() }
            : {}),
          ...options.headers,
        },
        ...(u.protocol === 'https:' ? { ca: sim.caPem } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export interface AssertionOptions {
  alg?: JwtAlgorithm;
  /** 'sha1' → x5t, 'sha256' → x5t#S256 */
  thumbprint?: 'sha1' | 'sha256';
  aud?: string;
  iss?: string;
  sub?: string;
  exp?: number;
  nbf?: number;
  signWith?: string; // PEM private key to sign with (default: the cert's)
  thumbprintHex?: string;
}

export function clientAssertion(
  cert: ClientCertificate,
  clientId: string,
  tokenUrl: string,
  o: AssertionOptions = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const header: Record<string, unknown> = { typ: 'JWT' };
  if ((o.thumbprint ?? 'sha256') === 'sha256')
    header['x5t#S256'] = Buffer.from(o.thumbprintHex ?? cert.thumbprintSha256, 'hex').toString('base64url');
  else header['x5t'] = Buffer.from(o.thumbprintHex ?? cert.thumbprintSha1, 'hex').toString('base64url');
  return signJwt(
    header,
    {
      aud: o.aud ?? tokenUrl,
      iss: o.iss ?? clientId,
      sub: o.sub ?? clientId,
      jti: randomUUID(),
      nbf: o.nbf ?? now,
      iat: now,
      exp: o.exp ?? now + 600,
    },
    createPrivateKey(o.signWith ?? cert.keyPem),
    o.alg ?? (o.thumbprint === 'sha1' ? 'RS256' : 'PS256'),
  );
}

export function tokenForm(clientId: string, assertion: string, scope: string): string {
  return new URLSearchParams({
    client_id: clientId,
    scope,
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }).toString();
}

export async function requestToken(
  sim: CloudSim,
  tenant: string,
  clientId: string,
  assertion: string,
  scope: string,
): Promise<HttpResult> {
  return request(sim, 'POST', `${sim.url}/${tenant}/oauth2/v2.0/token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenForm(clientId, assertion, scope),
  });
}

export interface TestTenant {
  sim: CloudSim;
  tenantId: string;
  clientId: string;
  cert: ClientCertificate;
  exoToken: string;
  graphToken: string;
  invoke: (
    cmdlet: string,
    parameters?: Record<string, unknown>,
    opts?: { url?: string; headers?: Record<string, string>; token?: string },
  ) => Promise<HttpResult>;
  invokeAll: (
    cmdlet: string,
    parameters?: Record<string, unknown>,
    pageSize?: number,
  ) => Promise<{ value: any[]; pages: number }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  graph: (method: string, path: string, body?: unknown, token?: string) => Promise<HttpResult>;
}

let sharedCert: ClientCertificate | undefined;
export function appCertificate(): ClientCertificate {
  sharedCert ??= generateClientCertificate({ subject: 'cloud-sim contract tests' });
  return sharedCert;
}

export async function tokenFor(
  sim: CloudSim,
  tenantId: string,
  clientId: string,
  cert: ClientCertificate,
  resource: string,
): Promise<string> {
  const tokenUrl = `${sim.url}/${tenantId}/oauth2/v2.0/token`;
  const res = await requestToken(
    sim,
    tenantId,
    clientId,
    clientAssertion(cert, clientId, tokenUrl),
    `${resource}/.default`,
  );
  if (res.status !== 200) throw new Error(`token request failed: ${res.text}`);
  return res.json.access_token as string;
}

/**
 * The contoso recipients the contract tests seed, by identity only: each file adds the members, settings and addresses
 * its cases need (`{ ...contoso.marketing, members: ['alice'] }`).
 */
export const contoso = {
  alice: {
    type: 'UserMailbox',
    name: 'Alice Anders',
    alias: 'alice',
    primarySmtpAddress: 'alice@contoso.com',
  },
  bob: { type: 'UserMailbox', name: 'Bob Berg', alias: 'bob', primarySmtpAddress: 'bob@contoso.com' },
  erin: {
    type: 'MailUser',
    name: 'Erin Evans',
    alias: 'erin',
    primarySmtpAddress: 'erin@contoso.com',
    externalEmailAddress: 'erin@fabrikam.example',
  },
  paul: {
    type: 'MailContact',
    name: 'Paul Partner',
    alias: 'paul',
    primarySmtpAddress: 'paul@fabrikam.example',
    externalEmailAddress: 'paul@fabrikam.example',
  },
  marketing: {
    type: 'MailUniversalDistributionGroup',
    name: 'Marketing',
    alias: 'marketing',
    primarySmtpAddress: 'marketing@contoso.com',
  },
  execs: {
    type: 'MailUniversalSecurityGroup',
    name: 'Execs',
    alias: 'execs',
    primarySmtpAddress: 'execs@contoso.com',
  },
  salesPeople: {
    type: 'DynamicDistributionGroup',
    name: 'All Sales People',
    alias: 'salespeople',
    primarySmtpAddress: 'salespeople@contoso.com',
    recipientFilter: "CustomAttribute1 -eq 'Sales'",
  },
  projectX: {
    type: 'GroupMailbox',
    name: 'Project X',
    alias: 'projectx',
    primarySmtpAddress: 'projectx@contoso.com',
  },
} satisfies Record<string, SeedRecipient>;

/** A tenant "contoso" with contoso.com, one app holding every role, and tokens for both APIs. */
export async function setupTenant(
  sim: CloudSim,
  name = 'contoso',
  directoryRoles: ('Exchange Administrator' | 'Global Reader')[] = ['Exchange Administrator'],
): Promise<TestTenant> {
  const tenant = sim.createTenant({
    name,
    domains: [`${name}.com`],
    outboundConnectors: [
      {
        Name: 'To on-premises',
        RecipientDomains: [`${name}.com`],
        SmartHosts: ['mail.contoso.com'],
        RouteAllMessagesViaOnPremises: false,
      },
    ],
  });
  const cert = appCertificate();
  const app = sim.registerApp(tenant.id, {
    certificates: [cert.certPem],
    displayName: 'dlmigrate tests',
    directoryRoles,
  });
  const exoToken = await tokenFor(sim, tenant.id, app.clientId, cert, 'https://outlook.office365.com');
  const graphToken = await tokenFor(sim, tenant.id, app.clientId, cert, 'https://graph.microsoft.com');
  const anchor = `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenant.id}`;
  const invoke: TestTenant['invoke'] = (cmdlet, parameters = {}, opts = {}) =>
    request(sim, 'POST', opts.url ?? `${sim.url}/adminapi/beta/${tenant.id}/InvokeCommand`, {
      headers: {
        authorization: `Bearer ${opts.token ?? exoToken}`,
        'content-type': 'application/json',
        'x-anchormailbox': anchor,
        ...opts.headers,
      },
      body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
    });
  const invokeAll: TestTenant['invokeAll'] = async (cmdlet, parameters = {}, pageSize) => {
    let url: string | undefined = `${sim.url}/adminapi/beta/${tenant.id}/InvokeCommand`;
    const value = [];
    let pages = 0;
    while (url) {
      const res = await invoke(cmdlet, parameters, {
        url,
        headers: pageSize ? { prefer: `odata.maxpagesize=${pageSize}` } : {},
      });
      if (res.status !== 200) throw new Error(`${cmdlet} failed: ${res.text}`);
      value.push(...res.json.value);
      pages++;
      url = res.json['@odata.nextLink'];
    }
    return { value, pages };
  };
  const graph: TestTenant['graph'] = (method, path, body, token) =>
    request(sim, method, `${sim.url}${path}`, {
      headers: {
        authorization: `Bearer ${token ?? graphToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  return {
    sim,
    tenantId: tenant.id,
    clientId: app.clientId,
    cert,
    exoToken,
    graphToken,
    invoke,
    invokeAll,
    graph,
  };
}

/** Exchange's "ErrorId|ExceptionType|Message", split. */
export function cmdletError(res: HttpResult): { id: string; type: string; message: string } {
  const detail = res.json?.error?.details?.[0]?.message as string;
  const [id, type, ...rest] = detail.split('|');
  return { id: id!, type: type!, message: rest.join('|') };
}
