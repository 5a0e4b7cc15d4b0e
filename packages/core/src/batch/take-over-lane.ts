// The take-over lane of one runner process (issue 15): the groups whose synced original was seen deleted and whose
// take-over has not ended. Their addresses have no recipient until their take-over converges, so while any group is
// in the lane no group of this runner starts a step that comes after its own take-over (rewire-config, dispose, the
// rewires, verify, report): the saga waits at `afterTakeOver` before each (SagaRunOptions.beforeStep, as engine.ts
// sets it). The Exchange client already serves take-over calls first (exo rate/priority.ts), but a wave's groups that
// took over early went on to their later steps at once — LDAP writes, store writes, CPU in the same event loop — while
// the rest of the wave still waited for its take-over: at 200 groups, 117 rewire-config and 44 dispose steps started
// inside one wave's 7 s take-over burst.
// A group leaves the lane when its take-over ends either way, when it reaches a later step itself (a resumed run whose
// take-over was done before), or when its run ends — it never waits for itself.

export class TakeOverLane {
  readonly #groups = new Set<string>();
  #waiting: Array<() => void> = [];

  /** The group's deletion was seen: its take-over is due. */
  enter(migrationId: string): void {
    this.#groups.add(migrationId);
  }

  /** The group's take-over ended (or is not going to run here). */
  leave(migrationId: string): void {
    if (!this.#groups.delete(migrationId) || this.#groups.size > 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }

  /**
   * The group `migrationId` is about to start a step after its take-over: it leaves the lane (its take-over is over),
   * and this resolves once no group is in it (at once when none is), or when `signal` aborts.
   */
  afterTakeOver(migrationId: string, signal?: AbortSignal): Promise<void> {
    this.leave(migrationId);
    if (this.#groups.size === 0 || signal?.aborted === true) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.#waiting.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
