import { createRequire } from 'node:module';

// Read from package.json so the version has one source.
const require = createRequire(import.meta.url);
export const VERSION: string = (require('../package.json') as { version: string }).version;
