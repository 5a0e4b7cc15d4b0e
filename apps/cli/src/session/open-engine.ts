// Builds the engine's dependencies from the validated configuration: the directory (LDAPS), the tenant
// (certificate auth), the state store and the sync trigger. Everything a command opens it closes again.
import { ActiveDirectory } from '@dlmigrate/ad';
import {
  createSyncTrigger,
  MigrationEngine,
  type EngineDeps,
  type MigrationOptionsInput,
  type SyncTriggerConfig,
  type SyncTriggerHooks,
} from '@dlmigrate/core';
import { CloudConnection } from '@dlmigrate/exo';
import { openStateStore, type StateStore } from '@dlmigrate/state';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateSource, cloudOf } from '../config/tenant.js';
import type { AdConfig, DlmigrateConfig, SyncConfig, TenantConfig } from '../config/schema.js';

export interface OpenedEngine {
  readonly engine: MigrationEngine;
  readonly deps: EngineDeps;
  close(): Promise<void>;
}

export interface EngineSecrets {
  readonly adPassword: string;
  readonly pfxPassphrase?: string | undefined;
  readonly sshKeyPassphrase?: string | undefined;
}

/** The state store alone (status, report): no directory or tenant connection needed. */
export async function openState(config: DlmigrateConfig): Promise<StateStore> {
  return openStateStore(stateLocation(config));
}

export function stateLocation(config: DlmigrateConfig): string {
  if (config.state.url !== undefined) return config.state.url;
  mkdirSync(config.state.folder, { recursive: true, mode: 0o700 });
  return join(config.state.folder, 'state.db');
}

export async function openEngine(
  config: DlmigrateConfig & { ad: AdConfig; tenant: TenantConfig },
  secrets: EngineSecrets,
  options: { runnerId?: string; onWarning: (message: string) => void; syncHooks?: SyncTriggerHooks },
): Promise<OpenedEngine> {
  const ad = new ActiveDirectory({
    url: config.ad.url,
    startTls: config.ad.startTls,
    ...(config.ad.gcUrl !== undefined ? { gcUrl: config.ad.gcUrl } : {}),
    ...(config.ad.caFile !== undefined ? { caFile: config.ad.caFile } : {}),
    rejectUnauthorized: config.ad.rejectUnauthorized,
    bindDn: config.ad.bindDn,
    password: secrets.adPassword,
    timeoutMs: config.ad.timeoutSeconds * 1000,
    onWarning: options.onWarning,
  });
  let cloud: CloudConnection | undefined;
  let state: StateStore | undefined;
  try {
    cloud = await CloudConnection.open({
      cloud: cloudOf(config.tenant),
      tenantId: config.tenant.tenantId,
      clientId: config.tenant.clientId,
      certificate: certificateSource(config.tenant, secrets.pfxPassphrase),
      onWarning: options.onWarning,
      ...(config.tenant.maxCallsPerSecond === undefined
        ? {}
        : { maxCallsPerSecond: config.tenant.maxCallsPerSecond }),
    });
    state = await openState(config);
    const deps: EngineDeps = {
      ad,
      exchange: cloud.exchange,
      graph: cloud.graph,
      state,
      sync: createSyncTrigger(
        syncTriggerConfig(config.sync, secrets.sshKeyPassphrase),
        cloud.graph,
        options.syncHooks,
      ),
      ...(options.runnerId !== undefined ? { runnerId: options.runnerId } : {}),
    };
    const opened = { cloud, state };
    return {
      engine: new MigrationEngine(deps),
      deps,
      close: async () => {
        await opened.state.close().catch(() => undefined);
        await ad.close().catch(() => undefined);
        opened.cloud.close();
      },
    };
  } catch (error) {
    await state?.close().catch(() => undefined);
    cloud?.close();
    await ad.close().catch(() => undefined);
    throw error;
  }
}

export function syncTriggerConfig(sync: SyncConfig, sshKeyPassphrase?: string): SyncTriggerConfig {
  const timeoutMs = sync.timeoutSeconds * 1000;
  switch (sync.kind) {
    case 'none':
      return { kind: 'none' };
    case 'command':
      return { kind: 'command', command: sync.command!, args: sync.args ?? [], timeoutMs };
    case 'ssh':
      return {
        kind: 'ssh',
        host: sync.host!,
        port: sync.port,
        username: sync.username!,
        privateKeyFile: sync.keyFile!,
        hostKey: sync.hostKey!,
        timeoutMs,
        busyRetries: sync.busyRetries,
        busyWaitMs: sync.busyWaitSeconds * 1000,
        ...(sync.remoteCommand !== undefined ? { command: sync.remoteCommand } : {}),
        ...(sshKeyPassphrase !== undefined ? { privateKeyPassphrase: sshKeyPassphrase } : {}),
      };
    case 'graph-cloud-sync':
      return { kind: 'graph-cloud-sync', servicePrincipalId: sync.servicePrincipalId!, jobId: sync.jobId! };
    case 'http':
      return {
        kind: 'http',
        url: sync.url!,
        timeoutMs,
        ...(sync.caFile !== undefined ? { caPem: readFileSync(sync.caFile, 'utf8') } : {}),
      };
  }
}

/** The engine's options from the configuration's migration defaults (flags already merged in). */
export function migrationOptions(config: DlmigrateConfig): MigrationOptionsInput {
  const m = config.migration;
  const customRoutingDomain = m.customRoutingDomain ?? config.tenant?.routingDomain;
  return {
    strategy: m.strategy,
    ...(config.ad?.nonSyncOu !== undefined ? { nonSyncOu: config.ad.nonSyncOu } : {}),
    retainOriginalGroup: m.retainOriginalGroup,
    routingContact: m.routingContact,
    hybridMailFlow: m.hybridMailFlow,
    skipNestedGroupCheck: m.skipNestedGroupCheck,
    allowNonSyncedGroup: m.allowNonSyncedGroup,
    overrideCentralizedMailTransport: m.overrideCentralizedMailTransport,
    finalSync: m.finalSync,
    onDeletionDeadline: m.onDeletionDeadline,
    entraReferences: m.entraReferences,
    permissionHolder: m.permissionHolder,
    permissionsMaxAgeHours: m.permissionsMaxAgeHours,
    deadlines: m.deadlines,
    ...(m.groupTypeOverride !== undefined ? { groupTypeOverride: m.groupTypeOverride } : {}),
    ...(m.namePrefix !== undefined ? { namePrefix: m.namePrefix } : {}),
    ...(m.nameSuffix !== undefined ? { nameSuffix: m.nameSuffix } : {}),
    ...(customRoutingDomain !== undefined ? { customRoutingDomain } : {}),
    ...(m.fallbackOwner !== undefined ? { fallbackOwner: m.fallbackOwner } : {}),
  };
}
