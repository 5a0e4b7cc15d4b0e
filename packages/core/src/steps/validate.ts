// validate: every blocker gathered from the snapshot and reported together. Changes nothing; any blocking
// finding stops the migration here (status "blocked"), which is the last moment nothing has been touched.
import { addressHolderFindings } from '../engine/address-holders.js';
import { loadAddressHolders, loadSnapshot, loadUnresolvedDependants } from '../engine/snapshot.js';
import { unresolvedDependantFindings, validate as validateSnapshot } from '../engine/validation.js';
import { memberFindings, memberPages, readMembers } from '../engine/member-pages.js';
import { blocking, finding, FindingsError, type Finding } from '../findings/finding.js';
import { loadReferences } from '../references/capture.js';
import { referenceFindings } from '../references/plan.js';
import type { MigrationStep } from './results.js';
import type { NewFinding } from '@dlmigrate/state';

export interface ValidateResult {
  readonly cloudType: 'Distribution' | 'Security';
  readonly routingDomain: string;
  readonly warnings: number;
}

/** The findings as the state store records them, with the step that found them. */
export function toNewFindings(step: string, findings: readonly Finding[]): NewFinding[] {
  return findings.map((f) => ({
    code: f.code,
    severity: f.severity,
    message: f.message,
    attribute: f.attribute ?? null,
    subject: f.subject,
    step,
  }));
}

export const validate: MigrationStep<'validate'> = {
  name: 'validate',
  async run(ctx): Promise<ValidateResult> {
    const { state } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const [members] = await readMembers(
      memberPages(state, ctx.migration.id, snapshot, ctx.options.skipNestedGroupCheck),
      memberFindings(),
    );
    const result = validateSnapshot(ctx.migration.group.address, snapshot, ctx.options, members);
    const findings = [...result.findings];
    const group = snapshot.onPrem.group;
    if (
      group !== null &&
      result.cloudType === 'Security' &&
      !group.groupType.security &&
      ctx.options.groupTypeOverride !== 'Security'
    ) {
      findings.push(
        finding(
          'GROUP_TYPE_FORCED_SECURITY',
          group.dn,
          (snapshot.permissions?.held.length ?? 0) > 0
            ? 'the group holds mailbox rights (permission collection) or cloud objects give it Send-As or ownership rights'
            : 'cloud objects give the group Send-As or ownership rights',
        ),
      );
    }
    findings.push(...unresolvedDependantFindings(await loadUnresolvedDependants(state, ctx.migration.id)));
    findings.push(...addressHolderFindings(await loadAddressHolders(state, ctx.migration.id)));
    const collectedAt = snapshot.permissions?.collectedAt;
    if (collectedAt !== null && collectedAt !== undefined) {
      const hours = (ctx.clock.now() - Date.parse(collectedAt)) / 3_600_000;
      if (hours > ctx.options.permissionsMaxAgeHours)
        findings.push(
          finding(
            'PERMISSIONS_COLLECTION_STALE',
            ctx.migration.group.address,
            `the permission collection was read ${Math.floor(hours)} hours ago (more than ${ctx.options.permissionsMaxAgeHours})`,
          ),
        );
    }
    if (group !== null)
      findings.push(
        ...referenceFindings(
          await loadReferences(state, ctx.migration.id),
          ctx.migration.group.address,
          ctx.options,
        ),
      );
    await state.clearFindings(ctx.migration.id, 'validate');
    if (findings.length > 0) await state.addFindings(ctx.migration.id, toNewFindings('validate', findings));
    const blockers = blocking(findings);
    if (blockers.length > 0 || result.cloudType === null || result.routingDomain === null)
      throw new FindingsError(blockers);
    return { cloudType: result.cloudType, routingDomain: result.routingDomain, warnings: findings.length };
  },
};
