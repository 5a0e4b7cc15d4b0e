// @dlmigrate/ad/testing — what tests and benchmarks use of this package beyond its product API (src/index.ts):
// a connection of its own (AdConnection), the Exchange version stamps, SID and security-descriptor
// coding (the tests read and write ntSecurityDescriptor to check Send-As), filter escaping and the schema version read.
// Imported as '@dlmigrate/ad/testing' (package.json "exports", same dlmigrate-source condition as the main entry).
export { DYNAMIC_DL_EXCHANGE_VERSION, MAIL_CONTACT_EXCHANGE_VERSION } from './exchange-stamp.js';
export { escapeFilterValue } from './filter.js';
export { sidToString } from './ids.js';
export {
  parseSecurityDescriptor,
  encodeSecurityDescriptor,
  ACE_TYPE,
  ACCESS_MASK,
  SEND_AS_RIGHT,
  type Ace,
} from './security-descriptor.js';
export { SdFlagsControl } from './sd-flags.js';
export { readSchemaVersion, MODERN_SCHEMA_VERSION } from './schema.js';
// parseSecurityDescriptor's result (scripts/api-report.mjs requires it). Tagged @public for knip
// (includeEntryExports): exported for that signature; the tests read its fields without naming it.
/** @public */
export type { SecurityDescriptor } from './security-descriptor.js';
