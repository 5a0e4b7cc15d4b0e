// Exchange schema facts: which attributes exist (so reads and writes only name attributes the
// schema has — DLConversionV2 #30 failed clearing an attribute an older schema lacked) and the
// Exchange schema version (rangeUpper of ms-Exch-Schema-Version-Pt; 15317+ = "modern" clear-list).
import type { AdConnection } from './connection.js';
import { childDn } from './dn.js';
import { eq, or } from './filter.js';
import { ALL_KNOWN_ATTRIBUTES } from './attributes.js';
import type { ExchangeSchemaFacts } from './types.js';
import { AdError } from './errors.js';

export const MODERN_SCHEMA_VERSION = 15317;
const CHUNK = 100;

/** rangeUpper of CN=ms-Exch-Schema-Version-Pt under `schemaNc`; 'unknown' (not an error) when Exchange never extended the schema. */
export async function readSchemaVersion(conn: AdConnection, schemaNc: string): Promise<number | 'unknown'> {
  const entry = await conn.read(childDn('CN', 'ms-Exch-Schema-Version-Pt', schemaNc), {
    attributes: ['rangeUpper'],
  });
  return entry?.number('rangeUpper') ?? 'unknown';
}

export async function readExchangeSchema(
  conn: AdConnection,
  names: readonly string[] = ALL_KNOWN_ATTRIBUTES,
): Promise<ExchangeSchemaFacts> {
  const schemaNc = (await conn.rootDse()).string('schemaNamingContext');
  if (!schemaNc) throw new AdError('AD_OPERATION_FAILED', 'The rootDSE has no schemaNamingContext.');
  const version = await readSchemaVersion(conn, schemaNc);
  const found = new Set<string>();
  const lower = new Map<string, string>();
  const checked = new Set<string>();
  /** Looks `names` up in the schema, CHUNK to a search; each one found is remembered, each one asked is checked. */
  const lookUp = async (names: readonly string[]): Promise<void> => {
    for (let i = 0; i < names.length; i += CHUNK) {
      const chunk = names.slice(i, i + CHUNK);
      const entries = await conn.search(schemaNc, {
        scope: 'one',
        filter: or(...chunk.map((n) => eq('lDAPDisplayName', n))),
        attributes: ['lDAPDisplayName'],
      });
      for (const e of entries) {
        const n = e.string('lDAPDisplayName');
        if (n) {
          found.add(n);
          lower.set(n.toLowerCase(), n);
        }
      }
      for (const n of chunk) checked.add(n.toLowerCase());
    }
  };
  await lookUp([...new Set(names)]);
  const ddl = await conn.search(schemaNc, {
    scope: 'one',
    filter: eq('lDAPDisplayName', 'msExchDynamicDistributionList'),
    attributes: ['lDAPDisplayName'],
  });
  return {
    version,
    modern: typeof version === 'number' && version >= MODERN_SCHEMA_VERSION,
    attributes: found,
    hasAttribute: (name: string) => lower.has(name.toLowerCase()),
    hasDynamicDistributionListClass: ddl.length > 0,
    async present(wanted: readonly string[]): Promise<string[]> {
      await lookUp([...new Set(wanted.filter((n) => !checked.has(n.toLowerCase())))]);
      return wanted.map((n) => lower.get(n.toLowerCase())).filter((n): n is string => n !== undefined);
    },
  };
}
