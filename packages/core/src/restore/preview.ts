// What `restore` will change, read before it changes anything (issue 13: "restore first shows the changes it will
// make, as plan does"). Each change names the object, the attribute and the value before and after, worked out from
// the capture and from what the directory and the tenant hold now, step by step in the order of RESTORE_STEPS
// (steps.ts). Steps an interrupted restore already completed are left out: running it again does not repeat them.
// Reads only.
import { cloudIdentity } from '@dlmigrate/exo';
import { routingContactNames } from '@dlmigrate/ad';
import type { MigrationContext } from '../engine/context.js';
import { loadSnapshot } from '../engine/snapshot.js';
import type { PlannedChange } from '../engine/plan.js';
import { lastEntryByStep } from '../saga/journal.js';
import { StateJournal } from '../saga/state-journal.js';
import { captured, capturedAttributeChanges } from './captured-attributes.js';

type JsonScalar = string | null;

/** One change a restore will make: the plan's change with the attribute and its value before and after. */
export interface RestoreChange extends PlannedChange {
  readonly attribute: string;
  readonly before: JsonScalar | readonly string[];
  readonly after: JsonScalar | readonly string[];
}

export interface RestorePreview {
  readonly migrationId: string;
  readonly group: string;
  readonly strategy: 'recreate' | 'convert';
  readonly changes: readonly RestoreChange[];
}

type Deps = Pick<MigrationContext['deps'], 'ad' | 'exchange' | 'state'>;

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort(); // once, not once per value of a
  return [...a].sort().every((v, i) => v === sortedB[i]);
}

export async function restorePreview(
  deps: Deps,
  migration: { id: string; group: { address: string }; strategy: 'recreate' | 'convert' },
  options: { allowNonSyncedGroup: boolean },
): Promise<RestorePreview> {
  const { ad, exchange, state } = deps;
  const done = new Set(
    [...lastEntryByStep(await new StateJournal(state).read(migration.id))]
      .filter(([, e]) => e.event === 'completed')
      .map(([step]) => step),
  );
  const snapshot = await loadSnapshot(state, migration.id);
  const group = snapshot.onPrem.group!;
  const mail = group.mail ?? migration.group.address;
  const changes: RestoreChange[] = [];
  const add = (change: Omit<RestoreChange, 'action'> & { action?: string }) => {
    if (done.has(change.step)) return;
    const action = change.action ?? `${change.attribute}: ${show(change.before)} → ${show(change.after)}`;
    changes.push({ ...change, action });
  };

  // restore-remove-hybrid: the objects the migration made on-premises.
  for (const m of await ad.findByAddress(mail)) {
    if (m.objectClass.toLowerCase() === 'msexchdynamicdistributionlist')
      add({
        step: 'restore-remove-hybrid',
        side: 'on-premises',
        object: m.dn,
        attribute: 'object',
        before: 'dynamic DL',
        after: null,
        action: 'delete the dynamic DL holding the address',
      });
  }
  const contact = routingContactNames({ cn: group.cn, mail });
  for (const m of await ad.findByAddress(contact.mail)) {
    if (!m.isGroup)
      add({
        step: 'restore-remove-hybrid',
        side: 'on-premises',
        object: m.dn,
        attribute: 'object',
        before: 'routing contact',
        after: null,
        action: 'delete the routing contact',
      });
  }

  // restore-remove-cloud: the cloud-managed DL (after a conversion the cloud object is the original and stays).
  if (migration.strategy === 'recreate') {
    const dl = await exchange.getDistributionGroup(migration.group.address);
    if (dl !== null && !dl.isDirSynced)
      add({
        step: 'restore-remove-cloud',
        side: 'cloud',
        object: cloudIdentity(dl),
        attribute: 'EmailAddresses',
        before: [...dl.emailAddresses],
        after: null,
        action: `delete the cloud DL (its ${dl.emailAddresses.length} addresses go back to the synced group)`,
      });
  }

  // restore-group: the retained group renamed back, its attributes written back, moved home; or re-created.
  const where = await ad.findByGuid(group.objectGuid);
  if (where !== undefined) {
    const now = await ad.readGroup(where.dn);
    if (now.cn !== group.cn)
      add({
        step: 'restore-group',
        side: 'on-premises',
        object: now.dn,
        attribute: 'cn',
        before: now.cn,
        after: group.cn,
      });
    if (now.sAMAccountName !== group.sAMAccountName)
      add({
        step: 'restore-group',
        side: 'on-premises',
        object: now.dn,
        attribute: 'sAMAccountName',
        before: now.sAMAccountName,
        after: group.sAMAccountName,
      });
    for (const change of await capturedAttributeChanges(ad, group)) {
      const before = captured(now.raw, change.attribute);
      const after = captured(group.raw, change.attribute); // the values restore-group writes (steps.ts)
      if (!sameValues(before, after))
        add({
          step: 'restore-group',
          side: 'on-premises',
          object: now.dn,
          attribute: change.attribute,
          before,
          after,
        });
    }
    if (now.parentDn.toLowerCase() !== group.parentDn.toLowerCase())
      add({
        step: 'restore-group',
        side: 'on-premises',
        object: now.dn,
        attribute: 'location',
        before: now.parentDn,
        after: group.parentDn,
      });
  } else {
    add({
      step: 'restore-group',
      side: 'on-premises',
      object: group.dn,
      attribute: 'object',
      before: null,
      after: 'group',
      action: 're-create the deleted group from the capture, with its Exchange attributes',
    });
  }
  for (const d of snapshot.dependants)
    add({
      step: 'restore-group',
      side: 'on-premises',
      object: d.dn,
      attribute: d.attribute,
      before: null,
      after: group.dn,
      action: `${d.attribute}: names the group again`,
    });

  // restore-hand-back: after a conversion, the cloud object goes back to the directory, last.
  if (migration.strategy === 'convert' && snapshot.cloud.group !== null)
    add({
      step: 'restore-hand-back',
      side: 'cloud',
      object: snapshot.cloud.group.externalDirectoryObjectId,
      attribute: 'isCloudManaged',
      before: 'true',
      after: 'false',
    });

  if (!options.allowNonSyncedGroup) {
    add({
      step: 'restore-resync',
      side: 'sync',
      object: migration.group.address,
      attribute: 'sync',
      before: null,
      after: 'synced',
      action: 'trigger the sync and wait until the group is a synced cloud group again',
    });
    const cloud = snapshot.cloudDependants;
    for (const d of cloud.dependants)
      add({
        step: 'restore-rewire-cloud',
        side: 'cloud',
        object: d.recipient.primarySmtpAddress || d.recipient.name,
        attribute: d.link,
        before: null,
        after: migration.group.address,
        action: `${d.link}: names the synced group again`,
      });
    for (const p of cloud.sendAsOnGroup.filter((p) => !p.isInherited && p.accessRights.includes('SendAs')))
      add({
        step: 'restore-rewire-cloud',
        side: 'cloud',
        object: migration.group.address,
        attribute: 'SendAs',
        before: null,
        after: p.trustee,
        action: `SendAs: granted to ${p.trustee} again`,
      });
  }
  return { migrationId: migration.id, group: migration.group.address, strategy: migration.strategy, changes };
}

function show(value: JsonScalar | readonly string[]): string {
  if (value === null) return '(none)';
  if (typeof value === 'string') return value;
  return value.length === 0 ? '(none)' : value.join('; ');
}
