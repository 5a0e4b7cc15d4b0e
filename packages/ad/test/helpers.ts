// Shared set-up of the integration tests: the `ad` lab instance (contoso fixture) and a client for it.
import { Lab, type LabEnv, type SeededObject } from '@dlmigrate/lab';
import { expect } from 'vitest';
import { ActiveDirectory, type ActiveDirectoryOptions, AdError } from '../src/index.js';

const LAB_NAME = 'ad';

export interface TestLab {
  lab: Lab;
  env: LabEnv;
  obj(key: string): SeededObject;
  ad(extra?: Partial<ActiveDirectoryOptions>): ActiveDirectory;
  /** Close every ActiveDirectory opened through ad(). */
  close(): Promise<void>;
}

export async function openLab(): Promise<TestLab> {
  const lab = await Lab.ensure({ name: LAB_NAME });
  const env = lab.env();
  const seeded = lab.seeded();
  if (!seeded) throw new Error('The ad lab has no seeded fixture.');
  const opened: ActiveDirectory[] = [];
  return {
    lab,
    env,
    obj(key) {
      const o = seeded.objects[key];
      if (!o) throw new Error(`No fixture object ${key}.`);
      return o;
    },
    ad(extra = {}) {
      const ad = new ActiveDirectory({
        url: env.url,
        caPem: env.caPem,
        bindDn: env.bindDn,
        password: env.bindPassword,
        ...extra,
      });
      opened.push(ad);
      return ad;
    },
    async close() {
      await Promise.all(opened.splice(0).map((a) => a.close()));
    },
  };
}

/** The AdError a promise rejects with (fails the test if it resolves or rejects with something else). */
export async function failure(p: Promise<unknown>): Promise<AdError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(AdError);
    return error as AdError;
  }
  throw new Error('expected a failure');
}
