// Schema version 3 adds a unique index allowing one open migration per group (schema.ts). A store written before it
// may already hold two open migrations of one group (the double admission issue 13 describes: two runs started 0.3 s
// apart both staged and parked). Creating the index over such rows would fail and leave the store unopenable, so the
// upgrade resolves them first: the newest open migration keeps the group; every older one is set aside as `failed`
// with a needs-action finding naming the one that kept it, so nothing is lost and an administrator sees what to check.
import type { SqlExecutor } from './driver.js';

/** The finding code of a migration set aside by the upgrade (listed in core's findings catalogue with its action). */
const SUPERSEDED_AT_UPGRADE = 'SUPERSEDED_AT_UPGRADE';

/** Statuses that held a group before version 3 (undo_failed came with it). */
const HOLDING_BEFORE_V3 = ['running', 'parked'] as const;

interface OpenRow {
  id: string;
  group_address: string;
  status: string;
  created_at: number | string;
}

export interface SetAside {
  id: string;
  group: string;
  status: string;
  keptId: string;
}

/** The older open migrations of each group that has several, each with the newest one that keeps the group. */
function olderOpenMigrations(rows: readonly OpenRow[]): SetAside[] {
  const byGroup = new Map<string, OpenRow[]>();
  for (const row of rows) {
    const key = row.group_address.toLowerCase();
    byGroup.set(key, [...(byGroup.get(key) ?? []), row]);
  }
  const setAside: SetAside[] = [];
  for (const group of byGroup.values()) {
    if (group.length < 2) continue;
    // Newest first: created_at, then the id (ids are sortable by creation time, ids.ts) for two in one millisecond.
    const [kept, ...older] = [...group].sort(
      (a, b) => Number(b.created_at) - Number(a.created_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    for (const row of older) {
      setAside.push({ id: row.id, group: row.group_address, status: row.status, keptId: kept!.id });
    }
  }
  return setAside;
}

function supersededMessage(m: SetAside): string {
  return (
    `migration ${m.id} (${m.status}) and ${m.keptId} were both open on ${m.group} when the state store was upgraded ` +
    `to one open migration per group: ${m.keptId}, the newer, keeps the group and ${m.id} was set aside as failed. ` +
    `${m.id} may have left changes (its temporary cloud DL, the group parked in the non-sync OU): check them with ` +
    `\`dlmigrate status ${m.id}\` before ${m.keptId} goes on`
  );
}

/**
 * Runs inside the upgrade's transaction, on the version 2 tables, before version 3 rebuilds them: the findings table
 * was still named `errors` and its subject column `target` (version 6 renamed them), hence those names below.
 */
export async function setAsideOlderOpenMigrations(tx: SqlExecutor): Promise<SetAside[]> {
  const rows = await tx.query<OpenRow & Record<string, unknown>>(
    `SELECT id, group_address, status, created_at FROM migrations WHERE status IN (${HOLDING_BEFORE_V3.map(() => '?').join(', ')})`,
    [...HOLDING_BEFORE_V3],
  );
  const setAside = olderOpenMigrations(rows);
  for (const m of setAside) {
    await tx.run(
      "UPDATE migrations SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, updated_at = {now} WHERE id = ?",
      [m.id],
    );
    await tx.run(
      `INSERT INTO errors (migration_id, seq, code, severity, attribute, target, message, step, at)
       VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM errors WHERE migration_id = ?), ?, 'needs-action', NULL, ?, ?, NULL, {now})`,
      [m.id, m.id, SUPERSEDED_AT_UPGRADE, m.group, supersededMessage(m)],
    );
  }
  return setAside;
}
