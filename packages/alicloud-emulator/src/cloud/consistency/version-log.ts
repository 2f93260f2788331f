/**
 * How one view of the cloud (reads, the tag index, authorization) lags behind writes. Every write
 * records, for each entity it changed, the entity's new state and the moment from which this view shows
 * it (the write's time plus a lag chosen for that write). A reader at time t sees, per entity, the state
 * of the newest write visible at t, or the state from before the oldest recorded write when none is.
 *
 * Entities lag independently, and writes are not ordered in what a reader sees: a later write whose lag
 * is short may show while an earlier one is still hidden (per entity the newest visible write wins, so
 * an earlier write to the same entity that it overwrote never shows again). Once an entity's newest
 * write is visible its history is dropped and readers see the true state. Time is expected to move
 * forward: history a reader has moved past is pruned.
 */

interface Version<T> {
  visibleAt: number;
  /** The entity's state after the write; undefined when it did not exist. */
  state: T | undefined;
}

export class VersionLog<T> {
  /** Account id → entity key → versions in write order, the first being the state before them all. */
  private readonly histories = new Map<string, Map<string, Version<T>[]>>();

  /**
   * Records that a write at `writtenAtMs` changed entity `key` of `accountId` from `before` to `after`
   * (undefined: absent), visible to readers from `writtenAtMs + lagMs`. Both states must be private
   * copies: the log keeps them as they are.
   */
  record(
    accountId: string,
    key: string,
    before: T | undefined,
    after: T | undefined,
    writtenAtMs: number,
    lagMs: number,
  ): void {
    let entities = this.histories.get(accountId);
    if (!entities) {
      entities = new Map();
      this.histories.set(accountId, entities);
    }
    let versions = entities.get(key);
    if (!versions) {
      versions = [{ visibleAt: -Infinity, state: before }];
      entities.set(key, versions);
    }
    versions.push({ visibleAt: writtenAtMs + lagMs, state: after });
  }

  /**
   * The entities of `accountId` whose readers at `nowMs` do not see the true state yet, each with the
   * state they do see (undefined: the entity does not exist for them).
   */
  lagging(accountId: string, nowMs: number): Map<string, T | undefined> {
    const shown = new Map<string, T | undefined>();
    const entities = this.histories.get(accountId);
    if (!entities) return shown;
    for (const [key, versions] of entities) {
      const newestVisible = newestVisibleIndex(versions, nowMs);
      if (newestVisible === versions.length - 1) {
        entities.delete(key);
        continue;
      }
      versions.splice(0, newestVisible);
      shown.set(key, versions[0]?.state);
    }
    if (entities.size === 0) this.histories.delete(accountId);
    return shown;
  }

  /** The accounts that may have lagging entities. */
  accounts(): string[] {
    return [...this.histories.keys()];
  }

  clear(): void {
    this.histories.clear();
  }
}

/** The index of the version a reader at `nowMs` sees: the newest one visible, else the oldest kept. */
function newestVisibleIndex<T>(versions: readonly Version<T>[], nowMs: number): number {
  for (let i = versions.length - 1; i > 0; i -= 1) {
    if ((versions[i] as Version<T>).visibleAt <= nowMs) return i;
  }
  return 0;
}
