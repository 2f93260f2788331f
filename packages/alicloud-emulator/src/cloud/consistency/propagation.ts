/**
 * Real RAM's eventual consistency, as the model faults `consistencyLagMs`, `tagLagMs` and
 * `authorizationLagMs` switch it on. Writes always act on the true state (so their conflicts and limits
 * are the true ones); what lags is what others see of them, through three views:
 *
 * - reads (Get*, List*, ListTagResources) in the written account: up to `consistencyLagMs`;
 * - the tag index, which ListTagResources reads: up to the larger of the read lag and `tagLagMs`;
 * - authorization (the policy engine for RAM calls, AssumeRole's permission and trust checks, and
 *   EventBridge): up to `authorizationLagMs`. Until then the previous permissions apply, so a session of
 *   a role whose policies were just detached, or that was just deleted, keeps working for a while.
 *
 * Each write draws its lag per view once (from the injected `random`, uniform in [0, lag]) for every
 * entity it changed (see VersionLog). With every lag at 0 nothing is recorded and every view is the true
 * state. While a lag is on, each RAM write copies the written account's state before it runs, to tell
 * what it changed: a cost proportional to the account's size.
 */
import { NO_MODEL_FAULTS, type ModelFaults } from '../../contract.js';
import type { Account, World } from '../model.js';
import {
  captureEntities,
  withEntities,
  type CapturedEntity,
  type EntityFamily,
  type EntityState,
} from './entities.js';
import { VersionLog } from './version-log.js';

type View = 'reads' | 'tags' | 'authorization';

const VIEWS: readonly View[] = ['reads', 'tags', 'authorization'];

/** The entities each view versions. */
const FAMILIES: Record<View, readonly EntityFamily[]> = {
  reads: ['role', 'policy', 'user', 'group', 'accessKey', 'settings'],
  tags: ['roleTags', 'policyTags'],
  authorization: ['role', 'policy', 'user', 'group'],
};

export class Propagation {
  private faults: ModelFaults = { ...NO_MODEL_FAULTS };
  private readonly logs: Record<View, VersionLog<EntityState>> = {
    reads: new VersionLog(),
    tags: new VersionLog(),
    authorization: new VersionLog(),
  };

  constructor(private readonly random: () => number) {}

  get settings(): Readonly<ModelFaults> {
    return this.faults;
  }

  /** Applies new fault settings; a view whose lag turns off forgets its history and shows the true state. */
  configure(faults: Readonly<ModelFaults>): void {
    this.faults = { ...faults };
    for (const view of VIEWS) if (!this.lags(view)) this.logs[view].clear();
  }

  /** Runs a RAM write on `account`'s true state and records what it changed for every lagging view. */
  write<T>(world: World, account: Account, nowMs: number, run: () => T): T {
    const views = VIEWS.filter((view) => this.lags(view));
    if (views.length === 0) return run();
    const families = new Set(views.flatMap((view) => FAMILIES[view]));
    const before = structuredClone(captureEntities(world, account, families));
    try {
      return run();
    } finally {
      this.recordChanges(account.accountId, views, before, captureEntities(world, account, families), nowMs);
    }
  }

  /** Records, in each view that versions it, every entity whose content differs between the captures. */
  private recordChanges(
    accountId: string,
    views: readonly View[],
    before: ReadonlyMap<string, CapturedEntity>,
    after: ReadonlyMap<string, CapturedEntity>,
    nowMs: number,
  ): void {
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (key) => before.get(key)?.fingerprint !== after.get(key)?.fingerprint,
    );
    if (changed.length === 0) return;
    const lags = this.drawLags();
    for (const key of changed) {
      const family = key.slice(0, key.indexOf(':')) as EntityFamily;
      const newState = after.get(key)?.state;
      const copy = newState === undefined ? undefined : structuredClone(newState);
      for (const view of views) {
        if (FAMILIES[view].includes(family))
          this.logs[view].record(accountId, key, before.get(key)?.state, copy, nowMs, lags[view]);
      }
    }
  }

  /** The world as a read in `accountId` at `nowMs` sees it; `tagIndex` adds the tag index's own lag. */
  readView(world: World, accountId: string, nowMs: number, tagIndex: boolean): World {
    const view = withEntities(world, accountId, this.logs.reads.lagging(accountId, nowMs));
    return tagIndex ? withEntities(view, accountId, this.logs.tags.lagging(accountId, nowMs)) : view;
  }

  /** The world as authorization at `nowMs` sees it (every account: AssumeRole crosses accounts). */
  authorizationView(world: World, nowMs: number): World {
    let view = world;
    const log = this.logs.authorization;
    for (const accountId of log.accounts())
      view = withEntities(view, accountId, log.lagging(accountId, nowMs));
    return view;
  }

  private lags(view: View): boolean {
    const { consistencyLagMs, tagLagMs, authorizationLagMs } = this.faults;
    if (view === 'reads') return consistencyLagMs > 0;
    if (view === 'tags') return consistencyLagMs > 0 || tagLagMs > 0;
    return authorizationLagMs > 0;
  }

  /** One write's lag per view, each uniform in [0, its setting]; the tag index lags at least as reads. */
  private drawLags(): Record<View, number> {
    const draw = (max: number): number => (max > 0 ? this.random() * max : 0);
    const reads = draw(this.faults.consistencyLagMs);
    return {
      reads,
      tags: Math.max(reads, draw(this.faults.tagLagMs)),
      authorization: draw(this.faults.authorizationLagMs),
    };
  }
}
