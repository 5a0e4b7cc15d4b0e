// When a sync cycle's changes reach the tenant. Entra Connect's trigger (Start-ADSyncSyncCycle) returns at once; the
// cycle then imports, synchronises and exports, and a deletion exported to Entra ID shows in Graph first and in
// Exchange Online only after Exchange's own forward sync from the directory — seconds to minutes later, per object.
// 'inline' keeps the older, simpler model (the whole cycle, deletions included, inside the trigger call) for tests
// that want it; 'async' is the realistic one. A straggler is an object whose deletion takes much longer (replication
// lag to the DC Connect imports from, a slow forward sync): rules give chosen objects their own delays.
import type { Recipient } from '../exchange/recipient.js';

export interface StragglerRule {
  /** Which objects: every given field must match (case-insensitive). */
  readonly match: {
    /** A substring of the on-premises distinguished name. */
    readonly dn?: string;
    /** One of the object's SMTP addresses (primary or proxy). */
    readonly address?: string;
    readonly externalDirectoryObjectId?: string;
  };
  /** Replaces `graphDelayMs` for these objects (jitter still added). */
  readonly graphDelayMs?: number;
  /** Replaces `exchangeDelayMs` for these objects (jitter still added). */
  readonly exchangeDelayMs?: number;
}

export interface SyncTiming {
  /** 'inline': the trigger runs the cycle and its deletions before answering; 'async': as Entra Connect. */
  readonly mode: 'inline' | 'async';
  /** async: from the trigger to the export (import + synchronisation + export of the cycle). */
  readonly cycleMs: number;
  /** async: after the export, until Graph no longer shows a deleted object … */
  readonly graphDelayMs: number;
  /** … plus a uniform random extra of up to this. */
  readonly graphJitterMs: number;
  /** async: after Graph, until Exchange Online no longer shows it … */
  readonly exchangeDelayMs: number;
  /** … plus a uniform random extra of up to this. */
  readonly exchangeJitterMs: number;
  /** async: a trigger while a cycle runs is queued ('queue', a sim choice) or refused as "busy" ('refuse'). */
  readonly whenBusy: 'queue' | 'refuse';
  readonly stragglers: readonly StragglerRule[];
}

export const inlineTiming: SyncTiming = {
  mode: 'inline',
  cycleMs: 0,
  graphDelayMs: 0,
  graphJitterMs: 0,
  exchangeDelayMs: 0,
  exchangeJitterMs: 0,
  whenBusy: 'queue',
  stragglers: [],
};

/**
 * Small realistic delays for tests and benchmarks: a cycle of 0.3 s, Graph 0.2–0.5 s after it, Exchange 0.3–1 s
 * after Graph (a real tenant: a cycle of tens of seconds, Exchange minutes behind at times).
 */
export const quickAsyncTiming: SyncTiming = {
  mode: 'async',
  cycleMs: 300,
  graphDelayMs: 200,
  graphJitterMs: 300,
  exchangeDelayMs: 300,
  exchangeJitterMs: 700,
  whenBusy: 'queue',
  stragglers: [],
};

/** Fills in and checks a timing given as JSON (control plane, --setup); throws on bad input. */
export function parseTiming(input: unknown, base: SyncTiming = inlineTiming): SyncTiming {
  if (input === undefined) return base;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('sync timing must be an object');
  const t = input as Record<string, unknown>;
  const mode = t['mode'] ?? base.mode;
  if (mode !== 'inline' && mode !== 'async') throw new Error('timing.mode must be "inline" or "async"');
  const whenBusy = t['whenBusy'] ?? base.whenBusy;
  if (whenBusy !== 'queue' && whenBusy !== 'refuse')
    throw new Error('timing.whenBusy must be "queue" or "refuse"');
  const ms = (key: keyof SyncTiming): number => {
    const v = t[key] ?? base[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`timing.${key} must be a non-negative number of milliseconds`);
    return v;
  };
  const rules = t['stragglers'] ?? base.stragglers;
  if (!Array.isArray(rules)) throw new Error('timing.stragglers must be an array');
  return {
    mode,
    whenBusy,
    cycleMs: ms('cycleMs'),
    graphDelayMs: ms('graphDelayMs'),
    graphJitterMs: ms('graphJitterMs'),
    exchangeDelayMs: ms('exchangeDelayMs'),
    exchangeJitterMs: ms('exchangeJitterMs'),
    stragglers: rules.map(parseStraggler),
  };
}

export function parseStraggler(input: unknown): StragglerRule {
  if (typeof input !== 'object' || input === null) throw new Error('a straggler rule must be an object');
  const r = input as Record<string, unknown>;
  const match = r['match'] as Record<string, unknown> | undefined;
  if (typeof match !== 'object' || match === null) throw new Error('a straggler rule needs "match"');
  const fields = ['dn', 'address', 'externalDirectoryObjectId'] as const;
  const given = fields.filter((f) => match[f] !== undefined);
  if (given.length === 0) throw new Error('straggler match needs dn, address or externalDirectoryObjectId');
  for (const f of given)
    if (typeof match[f] !== 'string' || match[f] === '')
      throw new Error(`straggler match.${f} must be a string`);
  const delay = (key: 'graphDelayMs' | 'exchangeDelayMs'): number | undefined => {
    const v = r[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`straggler ${key} must be a non-negative number`);
    return v;
  };
  const graphDelayMs = delay('graphDelayMs');
  const exchangeDelayMs = delay('exchangeDelayMs');
  if (graphDelayMs === undefined && exchangeDelayMs === undefined)
    throw new Error('a straggler rule needs graphDelayMs or exchangeDelayMs');
  return {
    match: Object.fromEntries(given.map((f) => [f, match[f] as string])),
    ...(graphDelayMs !== undefined ? { graphDelayMs } : {}),
    ...(exchangeDelayMs !== undefined ? { exchangeDelayMs } : {}),
  };
}

function matches(rule: StragglerRule, r: Recipient): boolean {
  const { dn, address, externalDirectoryObjectId } = rule.match;
  if (dn !== undefined && !(r.dir.onPremisesDistinguishedName ?? '').toLowerCase().includes(dn.toLowerCase()))
    return false;
  if (address !== undefined) {
    const wanted = address.toLowerCase();
    const addresses = [r.PrimarySmtpAddress, ...r.EmailAddresses.map((a) => a.replace(/^smtp:/i, ''))];
    if (!addresses.some((a) => a.toLowerCase() === wanted)) return false;
  }
  if (
    externalDirectoryObjectId !== undefined &&
    r.ExternalDirectoryObjectId.toLowerCase() !== externalDirectoryObjectId.toLowerCase()
  )
    return false;
  return true;
}

/** When a deleted object leaves Graph and then Exchange, in ms after the export. */
export function deletionDelays(
  timing: SyncTiming,
  r: Recipient,
  random: () => number = Math.random,
): { graphMs: number; exchangeMs: number } {
  const rule = timing.stragglers.find((s) => matches(s, r));
  const graphMs = (rule?.graphDelayMs ?? timing.graphDelayMs) + random() * timing.graphJitterMs;
  const exchangeMs =
    graphMs + (rule?.exchangeDelayMs ?? timing.exchangeDelayMs) + random() * timing.exchangeJitterMs;
  return { graphMs: Math.round(graphMs), exchangeMs: Math.round(exchangeMs) };
}
