// Changing the primary address of a DL migrated with hybrid mail flow (docs/reference-behaviour.md#hybrid-address-update): Exchange Online first (it
// validates that the address is free and in an accepted domain), then the on-prem dynamic DL that holds the addresses
// for on-prem senders. Two journaled steps: a crash between them is finished by resume. Both are idempotent.
import { cloudIdentity } from '@dlmigrate/exo';
import { normalizeSmtpAddress, parseProxyAddress } from '@dlmigrate/ad';
import type { RecordKind } from '@dlmigrate/state';
import { CoreError } from '../errors/core-error.js';
import type { MigrationContext } from '../engine/context.js';
import { finding, FindingsError } from '../findings/finding.js';
import type { Strategy } from '../options.js';
import type { SagaStep } from '../saga/runner.js';
import { parseStored } from '../stored/parse.js';
import { z } from 'zod';

/**
 * An address update is an operation of its own, not a migration: its own steps (UPDATE_ADDRESS_STEPS), never resumed,
 * aborted or restored as a migration. The state store keeps it as a record of the migrations table of its own kind
 * (strategy 'address-update', packages/state/src/types.ts RECORD_KINDS; schema version 5 rewrote the ones written
 * before as 'recreate' records flagged in their options, packages/state/src/address-update-kind.ts).
 */
const ADDRESS_UPDATE = 'address-update' satisfies RecordKind;

/** Whether a stored record is an address update rather than a migration. */
export function isAddressUpdate(record: { readonly strategy: RecordKind }): boolean {
  return record.strategy === ADDRESS_UPDATE;
}

/** The strategy of a record that is a migration; an address update is refused (CORE_NOT_A_MIGRATION), nothing changed. */
export function migrationStrategy(record: { readonly id: string; readonly strategy: RecordKind }): Strategy {
  if (record.strategy === ADDRESS_UPDATE)
    throw new CoreError(
      'CORE_NOT_A_MIGRATION',
      `${record.id} is an address update, not a migration; nothing was changed`,
    );
  return record.strategy;
}

export interface UpdateAddressOptions {
  readonly newAddress: string;
  readonly newAlias?: string;
}

const updateAddressSchema = z.object({
  newAddress: z.string().min(1),
  newAlias: z.string().optional(),
});

function parameters(ctx: MigrationContext): UpdateAddressOptions {
  return parseStored(updateAddressSchema, ctx.migration.options, `address update ${ctx.migration.id}`);
}

const updateCloudAddress: SagaStep<MigrationContext> = {
  name: 'update-address-cloud',
  async run(ctx) {
    const { exchange } = ctx.deps;
    const { newAddress, newAlias } = parameters(ctx);
    // After a crash the DL may already answer to the new address.
    const dl =
      (await exchange.getDistributionGroup(ctx.migration.group.address)) ??
      (await exchange.getDistributionGroup(newAddress));
    if (dl === null)
      throw new FindingsError([
        finding(
          'CLOUD_GROUP_NOT_FOUND',
          ctx.migration.group.address,
          'no distribution group has this address',
        ),
      ]);
    if (dl.isDirSynced)
      throw new FindingsError([
        finding(
          'CLOUD_GROUP_WRONG_TYPE',
          ctx.migration.group.address,
          'the group is synced from on-premises: change the address there',
        ),
      ]);
    if (dl.primarySmtpAddress.toLowerCase() !== newAddress.toLowerCase()) {
      await exchange.setDistributionGroup(cloudIdentity(dl), { PrimarySmtpAddress: newAddress });
    }
    if (newAlias !== undefined && dl.alias !== newAlias)
      await exchange.setDistributionGroup(cloudIdentity(dl), { Alias: newAlias });
    return { cloudId: cloudIdentity(dl) };
  },
};

const updateOnPremAddress: SagaStep<MigrationContext> = {
  name: 'update-address-onprem',
  async run(ctx) {
    const { ad } = ctx.deps;
    const { newAddress, newAlias } = parameters(ctx);
    const old = ctx.migration.group.address;
    const matches = [...(await ad.findByAddress(old)), ...(await ad.findByAddress(newAddress))];
    const dynamic = matches.find((m) => m.objectClass.toLowerCase() === 'msexchdynamicdistributionlist');
    if (dynamic === undefined) {
      throw new FindingsError([
        finding(
          'GROUP_NOT_FOUND',
          old,
          'no on-prem dynamic DL of hybrid mail flow holds this address; enable hybrid mail flow first',
        ),
      ]);
    }
    const entry = (await ad.connection.read(dynamic.dn, {
      attributes: ['proxyAddresses', 'mail', 'mailNickname'],
    }))!;
    // The old primary stays as a secondary address (mail to it keeps arriving); the new one becomes the primary.
    const proxies = new Map<string, string>();
    proxies.set(`smtp:${newAddress.toLowerCase()}`, `SMTP:${newAddress}`);
    for (const raw of entry.strings('proxyAddresses')) {
      const p = parseProxyAddress(raw);
      const key = `${p.prefix.toLowerCase()}:${p.address.toLowerCase()}`;
      if (!proxies.has(key)) proxies.set(key, p.prefix === 'SMTP' ? `smtp:${p.address}` : raw);
    }
    await ad.modifyAttributes(dynamic.dn, [
      { operation: 'replace', attribute: 'proxyAddresses', values: [...proxies.values()] },
      { operation: 'replace', attribute: 'mail', values: [newAddress] },
      ...(newAlias === undefined
        ? []
        : [{ operation: 'replace' as const, attribute: 'mailNickname', values: [newAlias] }]),
    ]);
    return { dn: dynamic.dn };
  },
};

export const UPDATE_ADDRESS_STEPS: readonly SagaStep<MigrationContext>[] = [
  updateCloudAddress,
  updateOnPremAddress,
];

export function updateAddressOptions(newAddress: string, newAlias?: string): UpdateAddressOptions {
  return {
    newAddress: normalizeSmtpAddress(newAddress),
    ...(newAlias === undefined ? {} : { newAlias }),
  };
}
