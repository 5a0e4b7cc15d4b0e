// What the simulated tenant costs per operation on this machine: tokens, identity lookups, OPATH
// filters, a 10,000-member replace, paging 10,000 recipients, and sync cycles over the contoso lab.
// Run: node --import tsx --conditions=dlmigrate-source bench/cloud-sim.bench.ts
// Uses (and afterwards resets) the `cloud-sim` lab instance; prints figures, asserts nothing.
import { createPrivateKey, createSign, randomUUID } from 'node:crypto';
import https from 'node:https';
import { CloudSim, generateClientCertificate } from '@dlmigrate/cloud-sim';
import { Lab } from '@dlmigrate/lab';

const sim = await CloudSim.start();
const agent = new https.Agent({ ca: sim.caPem, keepAlive: true });

function post(
  path: string,
  body: string,
  headers: Record<string, string>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, sim.url),
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function assertion(
  clientId: string,
  tokenUrl: string,
  cert: ReturnType<typeof generateClientCertificate>,
): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'RS256', typ: 'JWT', x5t: Buffer.from(cert.thumbprintSha1, 'hex').toString('base64url') })}.${b64({ aud: tokenUrl, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now, exp: now + 600 })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(createPrivateKey(cert.keyPem)).toString('base64url')}`;
}

const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

const tenant = sim.createTenant({ name: 'contoso', domains: ['contoso.com'] });
const cert = generateClientCertificate();
const app = sim.registerApp(tenant.id, { certificates: [cert.certPem] });
const tokenPath = `/${tenant.id}/oauth2/v2.0/token`;
const form = () =>
  new URLSearchParams({
    client_id: app.clientId,
    scope: 'https://outlook.office365.com/.default',
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion(app.clientId, `${sim.url}${tokenPath}`, cert),
  }).toString();

const tokenTimes: number[] = [];
let token = '';
for (let i = 0; i < 50; i++)
  tokenTimes.push(
    await time(
      async () =>
        (token = (await post(tokenPath, form(), { 'content-type': 'application/x-www-form-urlencoded' })).json
          .access_token),
    ),
  );
console.log(`token endpoint: median ${ms(median(tokenTimes))} per certificate-assertion token (50 requests)`);

const headers = {
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  'x-anchormailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenant.id}`,
};
const invoke = (
  cmdlet: string,
  parameters: Record<string, unknown>,
  path = `/adminapi/beta/${tenant.id}/InvokeCommand`,
) => post(path, JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }), headers);

const N = 10_000;
let t = await time(async () =>
  sim.seedRecipients(
    tenant.id,
    Array.from({ length: N }, (_, i) => ({
      type: 'MailContact' as const,
      name: `Contact ${i}`,
      primarySmtpAddress: `c${i}@fabrikam.example`,
    })),
  ),
);
console.log(`seeding ${N} contacts in process: ${ms(t)}`);

const lookups: number[] = [];
for (let i = 0; i < 200; i++)
  lookups.push(await time(() => invoke('Get-Recipient', { Identity: `c${(i * 37) % N}@fabrikam.example` })));
console.log(
  `Get-Recipient -Identity <address> with ${N} recipients: median ${ms(median(lookups))} (200 calls)`,
);

const terms = Array.from(
  { length: 100 },
  (_, i) => `(EmailAddresses -eq 'c${i * 97}@fabrikam.example')`,
).join(' -or ');
const filterTimes: number[] = [];
for (let i = 0; i < 10; i++)
  filterTimes.push(await time(() => invoke('Get-Recipient', { Filter: terms, ResultSize: 'Unlimited' })));
console.log(
  `Get-Recipient -Filter with 100 OR-ed EmailAddresses terms over ${N} recipients: median ${ms(median(filterTimes))} (10 calls)`,
);

await invoke('New-DistributionGroup', { Name: 'Big' });
t = await time(() =>
  invoke('Update-DistributionGroupMember', {
    Identity: 'Big',
    Members: Array.from({ length: 10_000 }, (_, i) => `c${i}@fabrikam.example`),
    BypassSecurityGroupManagerCheck: true,
  }),
);
console.log(`Update-DistributionGroupMember with 10,000 members: ${ms(t)}`);

let pages = 0;
t = await time(async () => {
  let path: string | undefined = `/adminapi/beta/${tenant.id}/InvokeCommand`;
  while (path) {
    const res = await invoke(
      'Get-DistributionGroupMember',
      { Identity: 'Big', ResultSize: 'Unlimited' },
      path,
    );
    pages++;
    const next = res.json['@odata.nextLink'] as string | undefined;
    path = next ? new URL(next).pathname + new URL(next).search : undefined;
  }
});
console.log(`Get-DistributionGroupMember of 10,000 members in ${pages} pages: ${ms(t)}`);

const lab = await Lab.ensure({ name: 'cloud-sim' });
await lab.reset();
const env = lab.env();
const synced = sim.createTenant({ name: 'labtenant' });
sim.configureSync(synced.id, {
  ldap: { url: env.url, caPem: env.caPem, bindDn: env.bindDn, bindPassword: env.bindPassword },
  scopeOus: [lab.seeded()!.objects['ous.contoso']!.dn],
});
let first: Awaited<ReturnType<typeof sim.runSync>> | undefined;
t = await time(async () => (first = await sim.runSync(synced.id)));
console.log(
  `first sync cycle of the contoso lab (${first!.imported} objects imported, ${first!.added.length} added): ${ms(t)}`,
);
t = await time(() => sim.runSync(synced.id));
console.log(`no-change sync cycle: ${ms(t)}`);

agent.destroy();
await sim.stop();
await lab.reset();
