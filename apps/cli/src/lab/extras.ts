// The lab (a Samba AD DC, @dlmigrate/lab) and the simulated tenant (@dlmigrate/cloud-sim) are optional extras of the
// published CLI: a production install does not pull them in (they are optional peer dependencies, see
// apps/cli/build.mjs). `dlmigrate lab …` loads them here, on demand, and says how to add them when they are absent.
import { UsageError } from '../errors.js';
import type * as LabEnvironment from './lab-environment.js';

const LAB_EXTRAS = ['@dlmigrate/lab', '@dlmigrate/cloud-sim'] as const;

export async function loadLabEnvironment(): Promise<typeof LabEnvironment> {
  const missing = LAB_EXTRAS.filter((name) => {
    try {
      import.meta.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0)
    throw new UsageError(
      `dlmigrate lab needs the optional packages ${missing.join(' and ')}; nothing was changed.`,
      [
        `install them next to dlmigrate: npm install --global ${LAB_EXTRAS.join(' ')}`,
        'the lab also needs root and Debian (it runs a Samba AD DC); it is for trying dlmigrate out, not for production',
      ],
    );
  return import('./lab-environment.js');
}
