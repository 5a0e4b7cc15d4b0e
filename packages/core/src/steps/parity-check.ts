// parity check (strategy convert): the synced cloud copy must already hold everything the on-prem group holds,
// because conversion freezes it. Every difference is a blocker, all reported together; nothing has changed yet.
import { memberDns, memberPages, membersNotSyncedOf, readMembers } from '../engine/member-pages.js';
import { parityFindings } from '../engine/parity.js';
import { resolveLinks } from '../engine/resolution.js';
import { loadSnapshot, loadSyncedMembers } from '../engine/snapshot.js';
import { FindingsError } from '../findings/finding.js';
import type { MigrationStep } from './results.js';

export interface ParityCheckResult {
  /** How many links were compared with the synced cloud copy. */
  readonly compared: number;
}

export const parityCheck: MigrationStep<'parity-check'> = {
  name: 'parity-check',
  async run(ctx): Promise<ParityCheckResult> {
    const { state } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const group = snapshot.onPrem.group!;
    const skip = ctx.options.skipNestedGroupCheck;
    const resolved = resolveLinks(group, snapshot.links, skip);
    const synced = await loadSyncedMembers(state, ctx.migration.id, snapshot);
    const [notSynced] = await readMembers(
      memberPages(state, ctx.migration.id, snapshot, skip),
      membersNotSyncedOf(synced),
    );
    const findings = parityFindings(snapshot, resolved, notSynced);
    if (findings.length > 0) throw new FindingsError(findings);
    // The members are not among `resolved` (engine/member-pages.ts).
    return { compared: resolved.length + memberDns(group).length };
  },
};
