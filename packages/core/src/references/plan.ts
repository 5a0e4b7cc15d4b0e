// What the captured references mean for a recreate (issue 16), as findings and planned changes; pure. Entra
// references cannot be rewired by Exchange cmdlets: each is a finding (blocking or needs-action, the
// entraReferences option) recommending `convert`, with the Graph command that redoes it. Exchange configuration is
// rewired by the rewire-config step: each container is a planned change; what could not be read is a finding with
// the command to check it by hand.
import type { PlannedChange } from '../engine/plan.js';
import { finding, type Finding } from '../findings/finding.js';
import type { MigrationOptions } from '../options.js';
import type { ReferencesCapture } from './capture.js';
import { describeEntraReference, describeExchangeReference, entraCommandAfterMigration } from './commands.js';
import { onePerContainer } from './rewire.js';

export const REWIRE_CONFIG_STEP = 'rewire-config';

export function referenceFindings(
  captured: ReferencesCapture,
  address: string,
  options: Pick<MigrationOptions, 'strategy' | 'entraReferences'>,
): Finding[] {
  if (options.strategy !== 'recreate') return [];
  const findings: Finding[] = [];
  const code =
    options.entraReferences === 'needs-action'
      ? 'ENTRA_REFERENCE_NOT_CARRIED'
      : 'ENTRA_REFERENCE_BLOCKS_RECREATE';
  for (const reference of captured.entra?.references ?? [])
    findings.push(
      finding(
        code,
        address,
        `${describeEntraReference(reference)}: held by object id ${captured.entra!.objectId}, which a recreate replaces; recommended: strategy "convert" (keeps the object id). After a recreate: ${entraCommandAfterMigration(reference, address)}`,
        reference.kind,
      ),
    );
  for (const part of [...(captured.entra?.notChecked ?? []), ...(captured.config?.notChecked ?? [])])
    findings.push(
      finding(
        'CONFIG_NOT_CHECKED',
        address,
        `${part.what} not checked (${part.why}); check: ${part.command}`,
      ),
    );
  return findings;
}

/** One planned change per container and property that names the group. */
export function plannedReferenceChanges(captured: ReferencesCapture): PlannedChange[] {
  return onePerContainer(captured.config?.references ?? []).map((reference) => ({
    step: REWIRE_CONFIG_STEP,
    side: 'cloud',
    object: reference.container.name,
    action: `${describeExchangeReference(reference)}: point it at the new group, re-read to confirm`,
    detail: { kind: reference.kind, property: reference.property, value: reference.value },
  }));
}
