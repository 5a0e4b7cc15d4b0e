// What a run changed, derived from the journaled results of its steps (for the report).
import type { MigrationResults } from '../steps/results.js';
import type { ReportChange } from './report.js';

export function changesFrom(results: MigrationResults): ReportChange[] {
  const changes: ReportChange[] = [];
  const stage = results.get('stage');
  if (stage)
    changes.push({
      side: 'cloud',
      object: stage.name,
      attribute: 'created',
      before: null,
      after: stage.identity,
    });
  const park = results.get('park');
  if (park)
    changes.push({
      side: 'on-premises',
      object: park.originalDn,
      attribute: 'location',
      before: park.originalDn,
      after: park.parkedDn,
    });
  const takeOver = results.get('take-over');
  if (takeOver && stage) {
    changes.push({
      side: 'cloud',
      object: stage.identity,
      attribute: 'EmailAddresses',
      before: [stage.initialAddress],
      after: takeOver.addresses,
    });
    changes.push({
      side: 'cloud',
      object: stage.identity,
      attribute: 'Name',
      before: stage.name,
      after: takeOver.name,
    });
  }
  const config = results.get('rewire-config');
  for (const o of config?.outcomes ?? [])
    if (o.outcome === 'rewired')
      changes.push({
        side: 'cloud',
        object: o.reference.container.name,
        attribute: o.reference.property,
        before: o.before ?? null,
        after: o.after ?? null,
      });
  const dispose = results.get('dispose');
  if (dispose && park) {
    changes.push({
      side: 'on-premises',
      object: park.originalDn,
      attribute: dispose.disposition === 'delete' ? 'deleted' : 'retained (renamed, mail-disabled)',
      before: park.parkedDn,
      after: dispose.retainedDn ?? null,
    });
  }
  const contact = results.get('routing-contact');
  if (contact?.created)
    changes.push({
      side: 'on-premises',
      object: contact.dn,
      attribute: 'created',
      before: null,
      after: contact.mail,
    });
  const hybrid = results.get('hybrid-mail-flow');
  if (hybrid?.created)
    changes.push({
      side: 'on-premises',
      object: hybrid.dn,
      attribute: 'created',
      before: null,
      after: 'dynamic DL',
    });
  const onPrem = results.get('rewire-onprem');
  if (onPrem)
    changes.push({
      side: 'on-premises',
      object: 'dependants',
      attribute: 'rewired',
      before: null,
      after: onPrem.rewired,
    });
  const cloud = results.get('rewire-cloud');
  if (cloud)
    changes.push({
      side: 'cloud',
      object: 'dependants',
      attribute: 'rewired',
      before: null,
      after: cloud.rewired,
    });
  return changes;
}
