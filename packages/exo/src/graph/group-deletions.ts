// Seeing a whole wave's deletions with one Graph call per poll. Graph's delta query on groups reports a deleted group
// as {id, "@removed": {"reason": "deleted"}} (group: delta, microsoft-graph-docs-contrib
// api-reference/v1.0/api/group-delta.md; concepts/delta-query-overview.md). A watch takes a "sync from now" deltaLink
// ($deltatoken=latest, $select=id: only creations and deletions are tracked) *before* it checks which of its groups
// still exist, so a deletion is either already visible in that check or reported by a later poll — never missed.
// Graph is only the first half of a deletion: Exchange Online drops the recipient (and frees its addresses) later,
// so a caller checks Exchange (existingRecipientIds) for the groups a poll reports.

/** One delta round (every page followed), reduced to what deletion tracking needs. */
export interface GroupDeltaRound {
  /** Ids present in the answer without @removed (new, changed, or — in an initial round — existing groups). */
  readonly present: readonly string[];
  /** Ids reported with @removed (reason "deleted" for synced groups; "changed" for a restorable one). */
  readonly removed: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
  /** The deltaLink for the next round. */
  readonly deltaLink: string;
  /** HTTP requests the round took (pages). */
  readonly calls: number;
}

/** The Graph calls a watch needs (GraphClient has them). */
export interface GroupDeltaReader {
  /** Starts a round: `latest` = sync from now (no data); `ids` = only these groups (≤ 50). */
  startGroupDelta(options: {
    readonly ids?: readonly string[];
    readonly latest?: boolean;
  }): Promise<GroupDeltaRound>;
  /** Continues from a deltaLink. */
  followGroupDelta(deltaLink: string): Promise<GroupDeltaRound>;
}

/** Graph's limit of ids in one delta `$filter`. */
const MAX_DELTA_FILTER_IDS = 50;

/** Which of `ids` Graph still shows as groups: one call per 50 ids (a filtered initial delta round). */
export async function existingGroupIds(
  reader: GroupDeltaReader,
  ids: readonly string[],
): Promise<Set<string>> {
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const present = new Set<string>();
  for (let i = 0; i < wanted.length; i += MAX_DELTA_FILTER_IDS) {
    const round = await reader.startGroupDelta({ ids: wanted.slice(i, i + MAX_DELTA_FILTER_IDS) });
    for (const id of round.present) present.add(id.toLowerCase());
  }
  return new Set(ids.filter((id) => present.has(id.toLowerCase())));
}

export interface GroupDeletionPoll {
  /** Watched groups seen deleted by this poll (in the order reported). */
  readonly deleted: readonly string[];
  /** Watched groups not seen deleted yet. */
  readonly remaining: readonly string[];
  /** HTTP requests this poll took (1 unless the changes spanned pages, or the state had to be rebuilt). */
  readonly calls: number;
}

export class GroupDeletionWatch {
  private constructor(
    private readonly reader: GroupDeltaReader,
    private deltaLink: string,
    /** lower-case id → the id as given */
    private readonly waiting: Map<string, string>,
    /** Deleted before the watch started: handed out by the first poll. */
    private alreadyGone: string[],
  ) {}

  /** Starts watching `ids` (groups expected to be deleted). Costs 1 + ⌈n / 50⌉ calls. */
  static async start(reader: GroupDeltaReader, ids: readonly string[]): Promise<GroupDeletionWatch> {
    const { deltaLink, present } = await GroupDeletionWatch.baseline(reader, ids);
    const waiting = new Map<string, string>();
    const alreadyGone: string[] = [];
    for (const id of new Set(ids)) {
      if (present.has(id)) waiting.set(id.toLowerCase(), id);
      else alreadyGone.push(id);
    }
    return new GroupDeletionWatch(reader, deltaLink, waiting, alreadyGone);
  }

  /** Watched groups not seen deleted yet. */
  get remaining(): string[] {
    return [...this.waiting.values()];
  }

  /** Follows the deltaLink: which watched groups Graph has deleted since the last poll. */
  async poll(): Promise<GroupDeletionPoll> {
    const deleted = this.alreadyGone;
    this.alreadyGone = [];
    if (this.waiting.size === 0) return { deleted, remaining: [], calls: 0 };
    let round: GroupDeltaRound;
    let calls = 0;
    try {
      round = await this.reader.followGroupDelta(this.deltaLink);
    } catch (error) {
      if (!isSyncReset(error)) throw error;
      // The service dropped the delta state (410 Gone): start over from now and look the rest up once.
      const rebuilt = await GroupDeletionWatch.baseline(this.reader, this.remaining);
      this.deltaLink = rebuilt.deltaLink;
      calls += 1 + Math.ceil(this.waiting.size / MAX_DELTA_FILTER_IDS);
      for (const [key, id] of [...this.waiting]) {
        if (!rebuilt.present.has(id)) {
          this.waiting.delete(key);
          deleted.push(id);
        }
      }
      return { deleted, remaining: this.remaining, calls };
    }
    this.deltaLink = round.deltaLink;
    calls += round.calls;
    for (const { id } of round.removed) {
      const key = id.toLowerCase();
      const given = this.waiting.get(key);
      if (given === undefined) continue;
      this.waiting.delete(key);
      deleted.push(given);
    }
    return { deleted, remaining: this.remaining, calls };
  }

  private static async baseline(
    reader: GroupDeltaReader,
    ids: readonly string[],
  ): Promise<{ deltaLink: string; present: Set<string> }> {
    // Token first, existence second: a deletion between the two shows in both, never in neither.
    const { deltaLink } = await reader.startGroupDelta({ latest: true });
    const present = await existingGroupIds(reader, ids);
    return { deltaLink, present };
  }
}

function isSyncReset(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 410;
}
