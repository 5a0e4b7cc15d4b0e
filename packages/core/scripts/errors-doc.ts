// Writes docs/errors.md from the error-code tables (src/errors/docs.ts). Run after adding a code:
//   pnpm docs:errors
import { writeFileSync } from 'node:fs';
import { renderErrorDocs } from '../src/errors/docs.js';

const target = new URL('../../../docs/errors.md', import.meta.url);
writeFileSync(target, renderErrorDocs());
console.log(`wrote ${target.pathname}`);
