// Writes: move (park / move back), rename, modify, clear (mail-disable), delete, and rewiring a
// dependant's link attribute. Every write is idempotent where it can be (a crash-and-resume must be
// able to run it again), goes to a DC of the object's domain, and never names an attribute the
// schema lacks.
import type { AdConnection } from './connection.js';
import { MAIL_DISABLE_ATTRIBUTES, MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES } from './attributes.js';
import { childDn, dnEquals, parentDn, rdnType, rdnValue } from './dn.js';
import { AdError, isAdError } from './errors.js';
import { assertCn, assertSamAccountName } from './naming.js';
import { MIGRATION_TAG } from './recipient.js';
import type { AttributeChange, ExchangeSchemaFacts } from './types.js';

export interface RetryPolicy {
  attempts: number;
  delayMs: number;
}
export const DEFAULT_MOVE_RETRY: RetryPolicy = { attempts: 5, delayMs: 5000 };

// Errors a later attempt cannot fix: retrying only delays the report.
const PERMANENT = new Set([
  'AD_INSUFFICIENT_RIGHTS',
  'AD_ALREADY_EXISTS',
  'AD_INVALID_DN',
  'AD_INVALID_OPTIONS',
  'AD_INVALID_CREDENTIALS',
  'AD_NAME_TOO_LONG',
]);

async function withRetry<T>(policy: RetryPolicy, op: (attempt: number) => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= Math.max(1, policy.attempts); attempt++) {
    try {
      return await op(attempt);
    } catch (error) {
      last = error;
      if (isAdError(error) && PERMANENT.has(error.code)) throw error;
      if (attempt < policy.attempts) await new Promise((r) => setTimeout(r, policy.delayMs));
    }
  }
  throw last;
}

async function exists(conn: AdConnection, dn: string): Promise<boolean> {
  return (await conn.read(dn, { attributes: ['objectClass'] })) !== undefined;
}

/**
 * Move an object under `newParentDn`, keeping its RDN and objectGUID (modifyDN + newSuperior).
 * Retries (5 × 5 s by default) cover replication lag and transient DC errors. Already moved (the
 * object is at the target and no longer at the source) counts as done. Returns the new DN.
 */
export async function moveObject(
  conn: AdConnection,
  dn: string,
  newParentDn: string,
  retry: RetryPolicy = DEFAULT_MOVE_RETRY,
): Promise<string> {
  const rdn = `${rdnType(dn)}=${rdnValue(dn)}`;
  const target = childDn(rdnType(dn), rdnValue(dn), newParentDn);
  if (dnEquals(parentDn(dn), newParentDn)) return dn;
  return withRetry(retry, async (attempt) => {
    try {
      await conn.modifyDn(dn, childDn(rdnType(dn), rdnValue(dn), ''), newParentDn);
      return target;
    } catch (error) {
      // A previous attempt (or run) may have succeeded after the connection dropped.
      if (attempt > 1 || isAdError(error, 'AD_NO_SUCH_OBJECT')) {
        if (!(await exists(conn, dn)) && (await exists(conn, target))) return target;
      }
      // AD answers 32, Samba 80 ("parent does not exist"): say plainly which container is missing.
      if (!(await exists(conn, newParentDn))) {
        throw new AdError(
          'AD_NO_SUCH_OBJECT',
          `Cannot move ${rdn}: the target container ${newParentDn} does not exist (or is not replicated to ${conn.serverUrlFor(dn)} yet).`,
          { dn: newParentDn },
          { cause: error },
        );
      }
      throw new AdError(
        isAdError(error) ? error.code : 'AD_OPERATION_FAILED',
        `Moving ${rdn} to ${newParentDn} failed: ${(error as Error).message}`,
        { dn },
        { cause: error },
      );
    }
  });
}

/**
 * Rename: a new CN (modifyDN in place, so `name` follows) and/or a new sAMAccountName.
 * Returns the object's DN after the rename.
 */
export async function renameObject(
  conn: AdConnection,
  dn: string,
  change: { cn?: string; sAMAccountName?: string },
): Promise<string> {
  if (change.cn !== undefined) assertCn(change.cn);
  if (change.sAMAccountName !== undefined) assertSamAccountName(change.sAMAccountName);
  // sAMAccountName first: it is unique domain-wide, so it is the change most likely to be refused,
  // and a refusal then leaves the object untouched. Both steps are idempotent on a re-run.
  if (change.sAMAccountName !== undefined) {
    await conn.modify(dn, [
      { operation: 'replace', attribute: 'sAMAccountName', values: [change.sAMAccountName] },
    ]);
  }
  if (change.cn !== undefined && change.cn !== rdnValue(dn)) {
    const type = rdnType(dn);
    await conn.modifyDn(dn, childDn(type, change.cn, ''));
    return childDn(type, change.cn, parentDn(dn));
  }
  return dn;
}

/** Apply changes; fails (changing nothing) if any attribute is not in the schema. */
export async function modifyAttributes(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dn: string,
  changes: AttributeChange[],
): Promise<void> {
  const names = changes.map((c) => c.attribute);
  const present = new Set((await schema.present(names)).map((n) => n.toLowerCase()));
  const lacking = names.filter((n) => !present.has(n.toLowerCase()));
  if (lacking.length > 0) {
    throw new AdError(
      'AD_ATTRIBUTE_NOT_IN_SCHEMA',
      `The directory schema has no ${lacking.join(', ')}; nothing was changed on ${dn}. Extend the schema or leave these out.`,
      { dn, attribute: lacking.join(',') },
    );
  }
  await conn.modify(dn, changes);
}

export interface ClearResult {
  /** Attributes that had values and were cleared. */
  cleared: string[];
  /** Requested attributes the schema does not have (skipped, not an error: a clear is about absence). */
  notInSchema: string[];
}

/** Remove every value of the listed attributes that the object has; attributes the schema lacks are skipped. */
export async function clearAttributes(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dn: string,
  names: readonly string[],
): Promise<ClearResult> {
  const present = await schema.present(names);
  const presentLower = new Set(present.map((n) => n.toLowerCase()));
  const notInSchema = names.filter((n) => !presentLower.has(n.toLowerCase()));
  const entry = await conn.read(dn, { attributes: present, ranged: [] });
  if (!entry) throw new AdError('AD_NO_SUCH_OBJECT', `No object ${dn}.`, { dn });
  const cleared = present.filter((n) => entry.has(n));
  if (cleared.length > 0)
    await conn.modify(
      dn,
      cleared.map((attribute) => ({ operation: 'replace' as const, attribute, values: [] })),
    );
  return { cleared, notInSchema };
}

/**
 * Appendix A: mail-disable a retained group (schema-aware clear-list, msExchGroupSecurityFlags only
 * on a modern schema), then stamp extensionAttribute1 = tag, extensionAttribute2 = original mail so
 * later migrations recognise it. Membership, managedBy, groupType and sAMAccountName stay.
 */
export async function mailDisableGroup(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dn: string,
  stamp: { originalMail: string; tag?: string },
): Promise<ClearResult> {
  const list = schema.modern
    ? [...MAIL_DISABLE_ATTRIBUTES, ...MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES]
    : MAIL_DISABLE_ATTRIBUTES;
  const result = await clearAttributes(conn, schema, dn, list);
  await modifyAttributes(conn, schema, dn, [
    { operation: 'replace', attribute: 'extensionAttribute1', values: [stamp.tag ?? MIGRATION_TAG] },
    { operation: 'replace', attribute: 'extensionAttribute2', values: [stamp.originalMail] },
  ]);
  return result;
}

/** Delete an object (already gone = done). */
export async function deleteObject(conn: AdConnection, dn: string): Promise<void> {
  try {
    await conn.del(dn);
  } catch (error) {
    if (isAdError(error, 'AD_NO_SUCH_OBJECT')) return;
    throw error;
  }
}

/** Add `valueDn` to a link attribute of another object (value already there = done). */
export async function addLinkValue(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dn: string,
  attribute: string,
  valueDn: string,
): Promise<void> {
  try {
    await modifyAttributes(conn, schema, dn, [{ operation: 'add', attribute, values: [valueDn] }]);
  } catch (error) {
    if (isAdError(error, 'AD_VALUE_EXISTS')) return;
    throw error;
  }
}

/**
 * Replace `oldDn` by `newDn` in a link attribute of another object, in one modify (delete + add),
 * so the dependant never sees neither. Single-valued links (managedBy, altRecipient) are replaced
 * outright. Idempotent: old value already gone → just add; new value already there → just delete.
 */
export async function replaceLinkValue(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dn: string,
  attribute: string,
  oldDn: string,
  newDn: string,
  options: { singleValued?: boolean } = {},
): Promise<void> {
  const single = options.singleValued ?? ['managedby', 'altrecipient'].includes(attribute.toLowerCase());
  if (single) {
    await modifyAttributes(conn, schema, dn, [{ operation: 'replace', attribute, values: [newDn] }]);
    return;
  }
  try {
    await modifyAttributes(conn, schema, dn, [
      { operation: 'delete', attribute, values: [oldDn] },
      { operation: 'add', attribute, values: [newDn] },
    ]);
  } catch (error) {
    if (isAdError(error, 'AD_NO_SUCH_ATTRIBUTE')) return addLinkValue(conn, schema, dn, attribute, newDn);
    if (isAdError(error, 'AD_VALUE_EXISTS')) {
      try {
        await conn.modify(dn, [{ operation: 'delete', attribute, values: [oldDn] }]);
      } catch (inner) {
        if (!isAdError(inner, 'AD_NO_SUCH_ATTRIBUTE')) throw inner;
      }
      return;
    }
    throw error;
  }
}
