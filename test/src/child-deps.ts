// Engine dependencies from a ChildConfig: the lab (LDAPS, its CA trusted), the simulated tenant (HTTPS with
// certificate auth, its CA trusted) and the state file — for a test's world and for its child processes alike.
import { ActiveDirectory, type ActiveDirectoryOptions } from '@dlmigrate/ad';
import { createSyncTrigger, type EngineDeps } from '@dlmigrate/core';
import { CloudConnection, customCloud } from '@dlmigrate/exo';
import { certificateFromPem } from '@dlmigrate/exo/testing';
import { bigGroupsFixture, Lab } from '@dlmigrate/lab';
import { openStateStore } from '@dlmigrate/state';
import type { ChildConfig } from './world.js';

export interface ChildDeps {
  readonly deps: EngineDeps;
  readonly ad: ActiveDirectory;
  readonly cloud: CloudConnection;
  close(): Promise<void>;
}

export async function childDeps(
  config: ChildConfig,
  ad: Partial<ActiveDirectoryOptions> = {},
): Promise<ChildDeps> {
  const env = (await Lab.ensure({ name: config.labName, ...labFixture(config.bigGroups) })).env();
  const directory = new ActiveDirectory({
    url: env.url,
    caPem: env.caPem,
    bindDn: env.bindDn,
    password: env.bindPassword,
    ...ad,
  });
  const cloud = await CloudConnection.open({
    cloud: customCloud({ url: config.simUrl, caPem: config.simCaPem }),
    tenantId: config.tenantId,
    clientId: config.clientId,
    certificate: certificateFromPem(config.certPem, config.keyPem),
    ...(config.maxCallsPerSecond !== undefined ? { maxCallsPerSecond: config.maxCallsPerSecond } : {}),
  });
  const state = await openStateStore(config.statePath);
  const sync = createSyncTrigger({
    kind: 'http',
    url: `${config.simUrl}/_sim/sync/run`,
    caPem: config.simCaPem,
  });
  return {
    deps: { ad: directory, exchange: cloud.exchange, graph: cloud.graph, state, sync },
    ad: directory,
    cloud,
    async close() {
      await state.close();
      await directory.close();
      cloud.close();
    },
  };
}

/** The lab's fixture: contoso (the default), or the big-groups fixture of these sizes. */
export function labFixture(bigGroups: readonly number[] | undefined) {
  return bigGroups === undefined ? {} : { fixture: bigGroupsFixture(bigGroups) };
}
