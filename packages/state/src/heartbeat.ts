// Keeps a lease alive while a runner works: renews it periodically and tells the runner as soon as
// it was lost (taken over after expiry), so the runner stops touching the migration.
import type { StateStore } from './types.js';

interface RenewalOptions {
  intervalMs: number;
  /** Called once when a renewal answers false; renewing stops then. */
  onLost?: () => void;
  /** Called when a renewal throws (e.g. the database is briefly unreachable); renewing goes on. */
  onError?: (error: unknown) => void;
}

export interface Heartbeat {
  /** True once a renewal found the lease gone. */
  readonly lost: boolean;
  /** Stops renewing and waits for a renewal in flight. */
  stop(): Promise<void>;
}

/** Calls `renew` every intervalMs until stopped or until it answers false. */
function startRenewal(renew: () => Promise<boolean>, options: RenewalOptions): Heartbeat {
  let lost = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, options.intervalMs);
    timer.unref(); // a heartbeat alone must not keep the process alive
  };
  const tick = () => {
    inFlight = renew()
      .then((held) => {
        if (!held && !stopped) {
          lost = true;
          stopped = true;
          options.onLost?.();
        }
      })
      .catch((error: unknown) => options.onError?.(error))
      .finally(schedule);
  };
  schedule();

  return {
    get lost() {
      return lost;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

export interface HeartbeatOptions {
  migrationId: string;
  runnerId: string;
  leaseMs: number;
  /** Default: a third of the lease, so two renewals may fail before the lease runs out. */
  intervalMs?: number;
  onLost?: () => void;
  onError?: (error: unknown) => void;
}

/** Renews a migration lease held by `runnerId`. */
export function startHeartbeat(store: StateStore, options: HeartbeatOptions): Heartbeat {
  return startRenewal(() => store.renewLease(options.migrationId, options.runnerId, options.leaseMs), {
    intervalMs: options.intervalMs ?? Math.max(1, Math.floor(options.leaseMs / 3)),
    onLost: options.onLost,
    onError: options.onError,
  });
}
