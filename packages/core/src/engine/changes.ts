// What a run changed, derived from the journaled results of its steps (for the report).
import type { StepResults } from '../saga/runner.js';
import type { DisposeResult } from '../steps/dispose.js';
import type { HybridMailFlowResult } from '../steps/hybrid-mail-flow.js';
import type { ParkResult } from '../steps/park.js';
import type { RewireCloudResult } from '../steps/rewire-cloud.js';
import type { RewireOnPremResult } from '../steps/rewire-onprem.js';
import type { RoutingContactResult } from '../steps/routing-contact.js';
import type { StageResult } from '../steps/stage.js';
import type { TakeOverResult } from '../steps/take-over.js';
import type { ReportChange } from './report.js';

export function changesFrom(results: StepResults): ReportChange[] {
  const changes: ReportChange[] = [];
  const stage = results.get('stage') as StageResult | undefined;
  if (stage)
    changes.push({
      side: 'cloud',
      object: stage.name,
      attribute: 'created',
      before: null,
      after: stage.identity,
    });
  const park = results.get('park') as ParkResult | undefined;
  if (park)
    changes.push({
      side: 'on-premises',
      object: park.originalDn,
      attribute: 'location',
      before: park.originalDn,
      after: park.parkedDn,
    });
  const takeOver = results.get('take-over') as TakeOverResult | undefined;
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
  const dispose = results.get('dispose') as DisposeResult | undefined;
  if (dispose && park) {
    changes.push({
      side: 'on-premises',
      object: park.originalDn,
      attribute: dispose.disposition === 'delete' ? 'deleted' : 'retained (renamed, mail-disabled)',
      before: park.parkedDn,
      after: dispose.retainedDn ?? null,
    });
  }
  const contact = results.get('routing-contact') as RoutingContactResult | undefined;
  if (contact?.created)
    changes.push({
      side: 'on-premises',
      object: contact.dn,
      attribute: 'created',
      before: null,
      after: contact.mail,
    });
  const hybrid = results.get('hybrid-mail-flow') as HybridMailFlowResult | undefined;
  if (hybrid?.created)
    changes.push({
      side: 'on-premises',
      object: hybrid.dn,
      attribute: 'created',
      before: null,
      after: 'dynamic DL',
    });
  const onPrem = results.get('rewire-onprem') as RewireOnPremResult | undefined;
  if (onPrem)
    changes.push({
      side: 'on-premises',
      object: 'dependants',
      attribute: 'rewired',
      before: null,
      after: onPrem.rewired,
    });
  const cloud = results.get('rewire-cloud') as RewireCloudResult | undefined;
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
