export * from './types.js';
export * from './errors.js';
export { newId } from './ids.js';
export { assertNoSecrets, findSecrets, isSecretKey, stripSecrets } from './secrets.js';
