import { packageTestConfig } from '../../vitest.shared.js';

const config = packageTestConfig({ serial: true });
// Vitest hands resolve.conditions to the worker as `node --conditions …`. With "import" among
// them, Node's require() inside pg picks pg-pool's ESM build and `class extends Pool` fails, so
// this package keeps only the source condition (Vite adds import/require per importer itself).
const conditions = ['dlmigrate-source', 'node'];
config.resolve!.conditions = conditions;
config.ssr!.resolve!.conditions = conditions;

export default config;
