// Fault hooks at the engine's dependency boundaries that the simulated tenant cannot reach: the directory (the real
// Samba DC behind it answers every call that is not faulted), the state store and the sync trigger. A fault is armed
// for a method, fails its next `count` calls with the error the real dependency would give, and can be armed or
// cleared from an engine event, so a test picks the exact moment. Exchange, Graph and token faults are cloud-sim
// knobs (CloudSim.injectFault / injectGraphFault / injectTokenFault).
import { AdError, type ActiveDirectory } from '@dlmigrate/ad';
import type { SyncTrigger } from '@dlmigrate/core';

interface ArmedFault {
  readonly method: string;
  /** Calls that fail; Infinity = until cleared. */
  count: number;
  /** The error the call fails with; undefined = the call is accepted and silently does nothing (a lost request). */
  readonly error: (() => Error) | undefined;
  /** Only the calls whose arguments match fail (e.g. the journal entry of one step); absent = every call. */
  readonly when?: ((args: readonly unknown[]) => boolean) | undefined;
}

export interface FaultHook<T> {
  /** The dependency to hand the engine: every call goes to the real one unless a fault is armed for its method. */
  readonly target: T;
  arm(method: string, error: () => Error, count?: number, when?: (args: readonly unknown[]) => boolean): void;
  /** The next `count` calls are accepted and do nothing (e.g. a sync request the server drops). */
  swallow(method: string, count?: number): void;
  clear(): void;
  /** How many calls of each method failed by a fault. */
  readonly fired: Map<string, number>;
}

export function faultHook<T extends object>(real: T): FaultHook<T> {
  const armed: ArmedFault[] = [];
  const fired = new Map<string, number>();
  const target = new Proxy(real, {
    get(inner, key) {
      const value = Reflect.get(inner, key, inner) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const fault = armed.find(
          (f) => f.method === key && f.count > 0 && (f.when === undefined || f.when(args)),
        );
        if (fault !== undefined) {
          fault.count--;
          fired.set(key, (fired.get(key) ?? 0) + 1);
          return fault.error === undefined ? Promise.resolve(undefined) : Promise.reject(fault.error());
        }
        return (value as (...a: unknown[]) => unknown).apply(inner, args);
      };
    },
  });
  return {
    target,
    fired,
    arm: (method, error, count = 1, when) => void armed.push({ method, count, error, when }),
    swallow: (method, count = 1) => void armed.push({ method, count, error: undefined }),
    clear: () => void armed.splice(0),
  };
}

/** What Samba answers to a write the bind account may not make (LDAP 50). */
export const insufficientRights = (): Error =>
  new AdError('AD_INSUFFICIENT_RIGHTS', 'insufficient access rights (LDAP 50)', { ldapCode: 50 });
/** A connection to the DC dropped in the middle of a call. */
export const connectionLost = (): Error =>
  new AdError('AD_CONNECTION_LOST', 'the connection to the domain controller was lost', {
    systemCode: 'ECONNRESET',
  });

export const directoryFaults = (ad: ActiveDirectory): FaultHook<ActiveDirectory> => faultHook(ad);
export const syncFaults = (sync: SyncTrigger): FaultHook<SyncTrigger> => faultHook(sync);
