// What names the group beyond its own attributes (issue 16), read during capture and kept as write-once backups like
// the rest of the snapshot (engine/snapshot.ts): the Exchange configuration that names it (bulk inventory, shared by
// the groups of a batch) and what Entra holds by its object id. Only a recreate needs them: `convert` keeps the
// object, so every reference stays valid. A migration captured before these existed has neither backup; every
// reader below treats that as "nothing found".
import type { ExchangeOnline, GraphClient, RecipientRecord } from '@dlmigrate/exo';
import type { StateStore } from '@dlmigrate/state';
import { captureOnce } from '../engine/snapshot.js';
import { parseStored } from '../stored/parse.js';
import { configReferencesSchema, entraCaptureSchema } from './capture-schema.js';
import type { Clock } from '../util/poll.js';
import { readEntraReferences, type EntraReferencesCapture } from './entra.js';
import { findExchangeReferences, type ExchangeReference, type NotChecked } from './exchange.js';
import { groupIdentityOf, type GroupIdentity } from './identity.js';
import { exchangeInventory } from './inventory.js';

const REFERENCE_BACKUPS = {
  config: 'config-references',
  entra: 'entra-references',
} as const;

/** The Exchange configuration that names the synced group, with the identity it was found by. */
export interface ConfigReferencesCapture {
  /** The synced group as Exchange showed it before anything changed: what the containers name. */
  readonly old: GroupIdentity;
  readonly references: readonly ExchangeReference[];
  readonly notChecked: readonly NotChecked[];
}

export interface EntraCapture extends EntraReferencesCapture {
  /** The synced group's object id, which a recreate replaces. */
  readonly objectId: string;
}

export interface ReferencesCapture {
  readonly config: ConfigReferencesCapture | null;
  readonly entra: EntraCapture | null;
}

export interface CaptureReferencesInput {
  readonly state: StateStore;
  readonly exchange: ExchangeOnline;
  readonly graph: GraphClient;
  readonly clock: Clock;
  readonly migrationId: string;
  /** The synced group as Exchange shows it (capture's cloud recipient). */
  readonly recipient: RecipientRecord;
  readonly isSecurityGroup: boolean;
}

/**
 * Reads and keeps both parts. Entra is asked only about a security group: licences, app roles, Conditional Access
 * and directory roles are assigned to security groups only (group-assignlicense.md; the Entra objects of
 * distribution lists are not security principals), and a distribution list's owners are its ManagedBy, which stage
 * carries.
 */
export async function captureReferences(input: CaptureReferencesInput): Promise<ReferencesCapture> {
  const { state, migrationId: id, recipient } = input;
  const config = await captureOnce<ConfigReferencesCapture>(state, id, REFERENCE_BACKUPS.config, async () => {
    const old = groupIdentityOf(recipient);
    const inventory = await exchangeInventory(input.exchange, input.clock);
    return { old, references: findExchangeReferences(inventory, old), notChecked: inventory.notChecked };
  });
  const objectId = recipient.externalDirectoryObjectId;
  const entra =
    input.isSecurityGroup && objectId !== ''
      ? await captureOnce<EntraCapture>(state, id, REFERENCE_BACKUPS.entra, async () => ({
          objectId,
          ...(await readEntraReferences(input.graph, objectId, input.clock)),
        }))
      : null;
  return { config, entra };
}

/** The captured references of a migration (null parts: not captured, e.g. a convert or an older migration). */
export async function loadReferences(state: StateStore, migrationId: string): Promise<ReferencesCapture> {
  const config = await state.getBackup(migrationId, REFERENCE_BACKUPS.config);
  const entra = await state.getBackup(migrationId, REFERENCE_BACKUPS.entra);
  return {
    config:
      config === null
        ? null
        : parseStored(
            configReferencesSchema,
            config.data,
            `the Exchange references of migration ${migrationId}`,
          ),
    entra:
      entra === null
        ? null
        : parseStored(entraCaptureSchema, entra.data, `the Entra references of migration ${migrationId}`),
  };
}
