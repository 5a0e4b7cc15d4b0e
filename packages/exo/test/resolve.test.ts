// Bulk recipient resolution: 5,000 identities checked with OR-chained -Filter calls, not 5,000 calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudConnection } from '../src/connection.js';
import { resolveRecipients, resolveRecipientsAs, resolveUsers } from '../src/exchange/resolve.js';
import { mailboxSeeds, startSimTenant, type SimTenant } from './helpers/sim.js';

const COUNT = 5_000;
let t: SimTenant;
let conn: CloudConnection;
let edoids: string[];

beforeAll(async () => {
  t = await startSimTenant('contoso');
  t.sim.seedRecipients(t.tenantId, [
    ...mailboxSeeds('contoso', COUNT),
    {
      type: 'MailContact',
      name: "Pat O'Hara",
      primarySmtpAddress: "pat.o'hara@partner.example",
      externalEmailAddress: "pat.o'hara@partner.example",
    },
    {
      type: 'User',
      name: 'Plain Frank',
      primarySmtpAddress: 'frank@contoso.com',
      userPrincipalName: 'frank@contoso.com',
    },
    {
      type: 'UserMailbox',
      name: 'Alias Holder',
      primarySmtpAddress: 'holder@contoso.com',
      emailAddresses: ['SMTP:holder@contoso.com', 'smtp:old.name@contoso.com'],
    },
  ]);
  edoids = Object.values(t.sim.tenant(t.tenantId).recipients)
    .filter((r) => r.Name.startsWith('user'))
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((r) => r.ExternalDirectoryObjectId);
  conn = await t.connect();
});
afterAll(async () => {
  conn.close();
  await t.sim.stop();
});

describe('resolveRecipients', () => {
  it(`resolves ${COUNT} identities (half by ExternalDirectoryObjectId, half by address) in a few dozen calls`, async () => {
    const identities = [
      ...edoids.slice(0, COUNT / 2),
      ...Array.from(
        { length: COUNT / 2 },
        (_, i) => `user${String(COUNT / 2 + i).padStart(5, '0')}@contoso.com`,
      ),
    ];
    t.sim.resetCalls(t.tenantId);
    const result = await resolveRecipients(conn.exchange, identities);
    expect(result.found.size).toBe(COUNT);
    expect(result.missing).toEqual([]);
    expect(result.found.get(edoids[0]!)?.name).toBe('user00000');
    expect(result.found.get('user04999@contoso.com')?.name).toBe('user04999');
    expect(result.calls).toBe(t.sim.calls(t.tenantId).cmdlets['Get-Recipient']);
    expect(result.calls).toBeLessThan(COUNT / 50);
    console.log(`resolveRecipients: ${COUNT} identities → ${result.calls} Get-Recipient calls`);
  });

  it('reports the missing, matches secondary addresses, survives quotes, and uses the identity fallback only when asked', async () => {
    const identities = [
      'smtp:OLD.NAME@contoso.com',
      "pat.o'hara@partner.example",
      'ghost@contoso.com',
      '00000000-0000-4000-8000-00000000dead',
      'user00007',
    ];
    const plain = await resolveRecipients(conn.exchange, identities);
    expect(plain.found.get('smtp:OLD.NAME@contoso.com')?.name).toBe('Alias Holder');
    expect(plain.found.get("pat.o'hara@partner.example")?.name).toBe("Pat O'Hara");
    expect([...plain.missing].sort()).toEqual([
      '00000000-0000-4000-8000-00000000dead',
      'ghost@contoso.com',
      'user00007',
    ]);
    const withFallback = await resolveRecipients(conn.exchange, identities, { fallbackToIdentity: true });
    expect(withFallback.found.get('user00007')?.primarySmtpAddress).toBe('user00007@contoso.com');
    expect([...withFallback.missing].sort()).toEqual([
      '00000000-0000-4000-8000-00000000dead',
      'ghost@contoso.com',
    ]);
  });

  it('resolveRecipientsAs keeps the projection of each recipient found, with the same found, missing and calls', async () => {
    const identities = [
      ...edoids.slice(0, 1_500),
      'holder@contoso.com',
      'old.name@contoso.com',
      'nobody@contoso.com',
    ];
    const whole = await resolveRecipients(conn.exchange, identities);
    const projected = await resolveRecipientsAs(conn.exchange, identities, {}, (r) => ({
      id: r.externalDirectoryObjectId,
      name: r.name,
    }));
    expect(projected.calls).toBe(whole.calls);
    expect(projected.missing).toEqual(['nobody@contoso.com']);
    expect(projected.ambiguous).toEqual([]);
    expect([...projected.found.keys()].sort()).toEqual([...whole.found.keys()].sort());
    for (const [identity, r] of whole.found)
      expect(projected.found.get(identity)).toEqual({ id: r.externalDirectoryObjectId, name: r.name });
    // Both addresses of one mailbox name the same object: found under each, not ambiguous.
    expect(projected.found.get('old.name@contoso.com')).toEqual(projected.found.get('holder@contoso.com'));
  });

  it('users, plain (non-mail) users included: getUser and resolveUsers over Get-User', async () => {
    expect(await conn.exchange.getRecipient('frank@contoso.com')).toBeNull();
    const frank = await conn.exchange.getUser('frank@contoso.com');
    expect(frank?.recipientTypeDetails).toBe('User');
    expect(await conn.exchange.getUser('ghost@contoso.com')).toBeNull();
    t.sim.resetCalls(t.tenantId);
    const result = await resolveUsers(conn.exchange, [
      frank!.externalDirectoryObjectId,
      'FRANK@contoso.com',
      'user00001@contoso.com',
      'ghost@contoso.com',
    ]);
    expect(result.found.get(frank!.externalDirectoryObjectId)?.name).toBe('Plain Frank');
    expect(result.found.get('FRANK@contoso.com')?.guid).toBe(frank!.guid);
    expect(result.found.get('user00001@contoso.com')?.recipientTypeDetails).toBe('UserMailbox');
    expect(result.missing).toEqual(['ghost@contoso.com']);
    expect(result.calls).toBe(2);
    expect(t.sim.calls(t.tenantId).cmdlets['Get-User']).toBe(2);
  });
});

describe('answers of many pages', () => {
  it('a 2,500-member group is read page by page into the same compact records', async () => {
    const dl = await conn.exchange.newDistributionGroup({
      name: 'Paged Members',
      managedBy: [edoids[0]!],
    });
    await conn.exchange.replaceMembers(dl.guid, edoids.slice(0, 2_500));
    const pagesBefore = conn.transport.stats().pages;
    const records = await conn.exchange.getDistributionGroupMemberRecords(dl.guid);
    // 1,000 per page (the transport asks for that many, as the service allows): three pages, each mapped as it came.
    expect(conn.transport.stats().pages - pagesBefore).toBe(3);
    expect(records).toHaveLength(2_500);
    expect(new Set(records.map((r) => r.externalDirectoryObjectId))).toEqual(new Set(edoids.slice(0, 2_500)));
    expect(Object.keys(records[2_499]!).sort()).toEqual(
      ['externalDirectoryObjectId', 'guid', 'name', 'primarySmtpAddress', 'recipientTypeDetails'].sort(),
    );
  });
});
