// parity check (strategy convert): the synced cloud copy must already hold everything the on-prem group holds,
// because conversion freezes it. Every difference is a blocker, all reported together; nothing has changed yet.
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
    const snapshot = await loadSnapshot(ctx.deps.state, ctx.migration.id);
    const resolved = resolveLinks(snapshot.onPrem.group!, snapshot.links, ctx.options.skipNestedGroupCheck);
    const findings = parityFindings(
      snapshot,
      resolved,
      await loadSyncedMembers(ctx.deps.state, ctx.migration.id, snapshot),
    );
    if (findings.length > 0) throw new FindingsError(findings);
    return { compared: resolved.length };
  },
};
