// Phase 7 done in bulk: thousands of DNs → classified recipients in a few round trips. DLConversionV2
// issues one `Get-ADObject -Properties *` per DN with sleeps; here DNs are batched into OR filters
// on distinguishedName (one paged search per batch and domain), or read by base reads with bounded
// concurrency. The bench compares both; 'filter' is the default because it is far cheaper.
import pLimit, { type LimitFunction } from 'p-limit';
import type { AdConnection } from './connection.js';
import { RECIPIENT_ATTRIBUTES } from './attributes.js';
import { domainDnOf, normalizeDn } from './dn.js';
import type { AdEntry } from './entry.js';
import { isAdError } from './errors.js';
import { eq, or } from './filter.js';
import { guidToString, sidToString } from './ids.js';
import { classifyRecipient, decodeGroupType, MIGRATION_TAG, structuralClass } from './recipient.js';
import type { AdRecipient, ExchangeSchemaFacts, ResolveResult } from './types.js';

export interface ResolveOptions {
  /** 'filter' (default): OR-filters of `batchSize` DNs; 'base': one base read per DN. */
  strategy?: 'filter' | 'base';
  batchSize?: number;
  /** Concurrency of base reads / batches (default: the connection's maxConcurrency). */
  concurrency?: number;
  tag?: string;
}

export function resolveRecipients(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dns: readonly string[],
  options: ResolveOptions = {},
): Promise<ResolveResult> {
  return resolveRecipientsAs(conn, schema, dns, options, (r) => r);
}

/**
 * resolveRecipients, each recipient turned into R as its entry arrives: a caller that keeps a few fields of 100,000
 * members never holds their whole records at once (issue 17).
 */
export async function resolveRecipientsAs<R>(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dns: readonly string[],
  options: ResolveOptions,
  project: (recipient: AdRecipient) => R,
): Promise<ResolveResult<R>> {
  const attributes = await schema.present(RECIPIENT_ATTRIBUTES);
  const wanted = new Map<string, string>();
  const missing: string[] = [];
  for (const dn of dns) {
    try {
      wanted.set(normalizeDn(dn), dn);
    } catch {
      missing.push(dn);
    }
  }
  const recipients = new Map<string, R>();
  const limit = pLimit(options.concurrency ?? conn.maxConcurrency);
  const tag = options.tag ?? MIGRATION_TAG;
  const keep = (e: AdEntry) => {
    const key = normalizeDn(e.dn);
    if (wanted.has(key)) recipients.set(key, project(toRecipient(e, tag)));
  };
  if ((options.strategy ?? 'filter') === 'base') {
    await Promise.all(
      [...wanted.values()].map((dn) =>
        limit(async () => {
          const e = await conn.read(dn, { attributes, gc: true });
          if (e) keep(e);
        }),
      ),
    );
  } else {
    // With a GC one forest-wide search covers every domain; without, each domain's DC answers for its own DNs.
    await searchInBatches(conn, wanted.values(), {
      perDomain: !conn.hasGlobalCatalog,
      options,
      attributes,
      limit,
      keep,
    });
    // What the GC did not know (not replicated to it yet, or outside its partial replicas) is asked of the DC of each
    // DN's domain: the authority for its own objects. A DN of a domain no DC answers for stays missing.
    if (conn.hasGlobalCatalog) {
      const unknown = [...wanted].filter(([key]) => !recipients.has(key)).map(([, dn]) => dn);
      if (unknown.length > 0)
        await searchInBatches(conn, unknown, { perDomain: true, options, attributes, limit, keep });
    }
  }
  for (const [key, dn] of wanted) if (!recipients.has(key)) missing.push(dn);
  return { recipients, missing };
}

/** OR-filter searches of `batchSize` DNs, forest-wide on the GC or on the DC of each DN's domain. */
async function searchInBatches(
  conn: AdConnection,
  dns: Iterable<string>,
  how: {
    perDomain: boolean;
    options: ResolveOptions;
    attributes: string[];
    limit: LimitFunction;
    keep: (e: AdEntry) => void;
  },
): Promise<void> {
  // 100 DNs per OR filter: Samba's cost grows faster than linearly with the filter (bench/ad.bench.ts), AD caps requests too.
  const batchSize = Math.max(1, how.options.batchSize ?? 100);
  const byBase = new Map<string, string[]>();
  for (const dn of dns) {
    const base = how.perDomain ? domainDnOf(dn) : '';
    // Pushed, not copied: a copy per DN made 100,000 members' resolve quadratic (issue 17).
    const list = byBase.get(base);
    if (list === undefined) byBase.set(base, [dn]);
    else list.push(dn);
  }
  const jobs: Promise<void>[] = [];
  for (const [base, list] of byBase) {
    // A domain no DC is known for: its DNs stay missing (a lingering domain, or one the configuration leaves out).
    if (how.perDomain && !(await conn.hasDomainControllerFor(base))) continue;
    for (let i = 0; i < list.length; i += batchSize) {
      const batch = list.slice(i, i + batchSize);
      jobs.push(
        how.limit(async () => {
          try {
            const entries = await conn.search(base, {
              gc: !how.perDomain,
              filter: or(...batch.map((dn) => eq('distinguishedName', dn))),
              attributes: how.attributes,
              // One more than the batch can match: a page that holds every entry comes without a cookie, so the
              // search is one round trip (a page of exactly batchSize entries makes the server send a cookie and
              // the client ask again for an empty last page).
              pageSize: batchSize + 1,
            });
            entries.forEach(how.keep);
          } catch (error) {
            // A domain this server does not hold (no GC, no DC configured for it): its DNs stay missing.
            if (!(
              isAdError(error, 'AD_NO_SUCH_OBJECT') ||
              (isAdError(error) && error.details.ldapCode === 10)
            ))
              throw error;
          }
        }),
      );
    }
  }
  await Promise.all(jobs);
}

function toRecipient(e: AdEntry, tag = MIGRATION_TAG): AdRecipient {
  const objectClasses = e.strings('objectClass');
  const groupType = e.has('groupType') ? decodeGroupType(e.string('groupType') as string) : undefined;
  const facts = {
    objectClasses,
    mail: e.string('mail'),
    userPrincipalName: e.string('userPrincipalName'),
    targetAddress: e.string('targetAddress'),
    recipientDisplayType: e.number('msExchRecipientDisplayType'),
    recipientTypeDetails: e.number('msExchRecipientTypeDetails'),
    groupType,
    extensionAttribute1: e.string('extensionAttribute1'),
    extensionAttribute2: e.string('extensionAttribute2'),
  };
  const { kind, lookupAddress, marker } = classifyRecipient(facts, tag);
  const r: AdRecipient = {
    dn: e.dn,
    objectGuid: guidToString(e.buffer('objectGUID') ?? Buffer.alloc(16)),
    objectClass: structuralClass(objectClasses),
    kind,
    name: e.string('name') ?? '',
  };
  const set = <K extends keyof AdRecipient>(k: K, v: AdRecipient[K] | undefined) => {
    if (v !== undefined) r[k] = v;
  };
  set('objectSid', e.has('objectSid') ? sidToString(e.buffer('objectSid') as Buffer) : undefined);
  set('displayName', e.string('displayName'));
  set('mail', facts.mail);
  set('mailNickname', e.string('mailNickname'));
  set('userPrincipalName', facts.userPrincipalName);
  set('sAMAccountName', e.string('sAMAccountName'));
  set('targetAddress', facts.targetAddress);
  set('externalDirectoryObjectId', e.string('msDS-ExternalDirectoryObjectId'));
  set('recipientDisplayType', facts.recipientDisplayType);
  set('recipientTypeDetails', facts.recipientTypeDetails);
  set('groupType', groupType);
  set('lookupAddress', lookupAddress);
  set('marker', marker);
  return r;
}
