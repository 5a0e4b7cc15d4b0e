// Milliseconds per phase of a seeding run (LDAP seeding, seed.ts; offline seeding, offline.ts), for the figures the lab
// prints and its benchmark reads: each lap(name) charges the time since the previous lap (or since the start) to name.

export interface PhaseTimer<K extends string> {
  /** Milliseconds charged to each phase so far. */
  readonly phases: Record<K, number>;
  /** Ends the phase `name` now: the time since the last lap is added to it. */
  lap(name: K): void;
}

export function phaseTimer<K extends string>(names: readonly K[]): PhaseTimer<K> {
  const phases = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  let mark = performance.now();
  return {
    phases,
    lap(name) {
      const now = performance.now();
      phases[name] += Math.round(now - mark);
      mark = now;
    },
  };
}
