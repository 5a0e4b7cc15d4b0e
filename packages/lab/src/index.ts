export {
  Lab,
  type EnsureOptions,
  type LabContent,
  type LabStage,
  type LabStatus,
  type LabStep,
} from './lab.js';
export { envShellLines, type LabEnv } from './env.js';
export {
  generatedKeys,
  LINK_ATTRIBUTES,
  SINGLE_VALUED_LINKS,
  type AttributeValue,
  type ContactKind,
  type ContactSpec,
  type DynamicGroupSpec,
  type Fixture,
  type GeneratedContacts,
  type GeneratedUsers,
  type GroupKind,
  type GroupSpec,
  type LinkAttribute,
  type Links,
  type OuSpec,
  type SeededKind,
  type SeedMethod,
  type SeededObject,
  type SeedResult,
  type UserKind,
  type UserSpec,
} from './fixture.js';
export { contoso, BULK_USER_COUNT, LONG_64_NAME } from './fixtures/contoso.js';
export { bigGroupsFixture, bigGroupAddress, bigGroupKey, BIG_GROUP_SIZES } from './fixtures/big-groups.js';
export { seed, guidFromBytes, sidFromBytes, type SeedOptions } from './seed.js';
export { seedOffline, type OfflineSeedStats } from './offline.js';
export { buildSeedPlan, type PlannedObject, type SeedPlan } from './plan.js';
export { escapeRdnValue, rdn, parseDn, dnKey, realmToBaseDn, type Rdn } from './dn.js';
export { RECIPIENT_TYPE_DETAILS, RECIPIENT_DISPLAY_TYPE, GROUP_TYPE } from './recipients.js';
export { install, SAMBA_PACKAGES } from './install.js';
export { labsRoot, instancePaths, type InstancePaths } from './paths.js';
export { freeLoopbackPort, isAlive } from './local.js';
export {
  postgresClusters,
  startPostgresCluster,
  stopPostgresCluster,
  type PostgresCluster,
} from './postgres.js';
export { DEFAULT_INSTANCE } from './hosts.js';
export {
  LabForest,
  type ForestDomainEnv,
  type ForestEnsureOptions,
  type ForestEnv,
  type ForestSeedResult,
  type ReplicationLoop,
} from './forest/forest.js';
export type { ForestObject } from './forest/build.js';
export {
  splitForestKey,
  type CrossDomainLink,
  type ForestDomainSpec,
  type ForestFixture,
  type LingeringDomainSpec,
  type LingeringObject,
} from './forest/fixture.js';
export type { SyncCounts } from './forest/replica-tool.js';
export { contosoForest } from './fixtures/contoso-forest.js';
export {
  startEntraConnectSsh,
  type EntraConnectSsh,
  type EntraConnectSshOptions,
  type StandInCall,
} from './entra-connect-ssh.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out).
export type { ObjectSpecBase } from './fixture.js';
export type { InstallResult } from './install.js';
