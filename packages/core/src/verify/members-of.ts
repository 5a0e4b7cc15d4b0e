// "Members of" restrictions (MEMBERS_OF_RESTRICTION_CHANGED, steps/rewire-onprem.ts) are re-assessed by every verify of
// a migration — the verify step, which a resumed migration reaches too, and `dlmigrate verify` on demand — instead of
// standing for ever once reported. A report stands while its dependant exists and still names the routing contact as
// the single sender rewire-onprem made it name (its synced copy can name nothing that expands to the group's
// members). It is dropped once the administrator has dealt with it: the dependant migrated too (its on-premises object
// deleted, or retained and mail-disabled, which clears the list), deleted, or its restriction set by hand (the routing
// contact taken out of it). The other findings of rewire-onprem are left untouched (state's dropFindings).
import { dnEquals, type AdDependant } from '@dlmigrate/ad';
import type { MigrationContext } from '../engine/context.js';
import type { Snapshot } from '../engine/snapshot.js';
import { rewireAttribute } from '../steps/rewire-onprem.js';
import type { VerifyResults } from './sources.js';

const STEP = 'rewire-onprem';
const CODE = 'MEMBERS_OF_RESTRICTION_CHANGED';

/** Whether the dependant still names the routing contact where rewire-onprem put it. */
async function stillChanged(
  ctx: MigrationContext,
  dependant: AdDependant,
  contactDn: string,
): Promise<boolean> {
  const attribute = rewireAttribute(dependant);
  if (attribute === undefined) return true;
  const now = await ctx.deps.ad.findByGuid(dependant.objectGuid);
  if (now === undefined) return false;
  const entry = await ctx.deps.ad.connection.read(now.dn, { attributes: [attribute] });
  return (entry?.strings(attribute) ?? []).some((v) => dnEquals(v, contactDn));
}

/** Drops the members-of reports whose condition no longer holds; returns how many were dropped. */
export async function reassessMembersOf(
  ctx: MigrationContext,
  results: VerifyResults,
  snapshot: Snapshot,
): Promise<number> {
  const contact = results.get('routing-contact');
  if (contact === undefined) return 0;
  const { state } = ctx.deps;
  const id = ctx.migration.id;
  const ofStep = (await state.listFindings(id)).filter((f) => f.step === STEP);
  const resolved = new Set<number>();
  for (const f of ofStep) {
    if (f.code !== CODE) continue;
    const dependant = snapshot.dependants.find(
      (d) =>
        dnEquals(d.dn, f.subject ?? '') && d.attribute.toLowerCase() === (f.attribute ?? '').toLowerCase(),
    );
    if (dependant !== undefined && !(await stillChanged(ctx, dependant, contact.dn))) resolved.add(f.seq);
  }
  // Only the findings that no longer hold go, in one statement: the step's others are never taken out and put back.
  return state.dropFindings(id, [...resolved]);
}
