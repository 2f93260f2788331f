import type { CustomObjectsApi, KubernetesObject } from '@kubernetes/client-node';
import { OWNERSHIP_TAG_KEY } from '../api/constants.js';
import { crossAccountDelegationSchema } from '../api/resource.js';
import { specSchema, type AccountRef } from '../api/spec.js';
import type { AccountPorts, EngineOptions } from '../delegation/context.js';
import { inventoryFromStatus, type RecordedEntity } from '../delegation/inventory.js';
import { removeLeftovers, type Leftovers } from '../delegation/leftovers.js';
import { ownershipOf } from '../delegation/ownership.js';
import type { Logger } from '../observability/logger.js';
import type { AccountAccess } from './account-access.js';
import { delegationResource, isNotFound, objectKey, splitKey } from './kube-clients.js';
import {
  accountsFor,
  knownOwners,
  markerValue,
  unaccounted,
  type DelegationView,
  type MarkedEntity,
} from './orphan-census.js';
import type { OrphanFindings } from './pass.js';

export interface OrphanSweepOptions {
  /** Time between sweeps; each sweep lists every account once. 0 disables the sweep. */
  periodMs: number;
  clusterName: string;
  /** Only delegations of this namespace are this operator's (default: all). */
  watchNamespace?: string;
  /** This operator's delegations, read fresh (the informer keeps records, not objects). */
  delegations: () => Promise<readonly KubernetesObject[]>;
  access: { owner: AccountAccess; authorized: AccountAccess };
  /** To read a delegation fresh before acting on what the cache suggests. */
  customObjects: CustomObjectsApi;
  /** Puts a delegation on the work queue. */
  enqueue: (key: string) => void;
  engine: Pick<EngineOptions, 'concurrency' | 'clock' | 'sleep'>;
  logger: Logger;
}

/** What one sweep did, for logs and tests. */
export interface SweepSummary {
  accounts: string[];
  /** Delegations handed leftovers to delete in their next pass. */
  enqueued: string[];
  /** `<account> <kind>/<name>` deleted directly because their delegation is gone. */
  removed: string[];
}

interface AccountUse {
  owner: boolean;
  authorized: boolean;
  via: { side: 'owner' | 'authorized'; namespace: string; ref: AccountRef }[];
}

/**
 * The account-wide orphan sweep (docs/adr/0007-orphan-sweep.md): passes read only what their spec and
 * record name, so an entity created and never recorded (a crash before the write-ahead existed, a
 * record lost with the object's status) would stay forever. Once per period, each account any
 * delegation uses is listed once (tagged roles and policies, users and groups), shared by all its
 * delegations. An entity carrying this cluster's mark that its delegation neither names nor records is
 * handed to that delegation's next pass (enqueued), which deletes it with the authoritative spec in hand;
 * only when the delegation no longer exists (confirmed by a fresh read) is it deleted here.
 */
export class OrphanSweep implements OrphanFindings {
  private readonly findings = new Map<string, RecordedEntity[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: OrphanSweepOptions) {}

  take(key: string): RecordedEntity[] {
    const found = this.findings.get(key) ?? [];
    this.findings.delete(key);
    return found;
  }

  /** Sweeps every period (the first one a period after the start). */
  start(): void {
    if (this.options.periodMs <= 0 || this.timer) return;
    const tick = () => {
      this.running = this.sweep()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'orphan sweep failed'))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, this.options.periodMs);
        });
    };
    this.timer = setTimeout(tick, this.options.periodMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep over every account the known delegations use. */
  async sweep(): Promise<SweepSummary> {
    const views = await this.views();
    const summary: SweepSummary = { accounts: [], enqueued: [], removed: [] };
    for (const [accountId, use] of accountsOf(views)) {
      const ports = await this.portsFor(accountId, use);
      if (!ports) continue;
      summary.accounts.push(accountId);
      const marked = await listMarked(ports, use);
      const found = unaccounted(accountId, marked, views, {
        cluster: this.options.clusterName,
        known: knownOwners(this.options.clusterName, [...views.keys()]),
        inScope: (ns) => this.options.watchNamespace === undefined || ns === this.options.watchNamespace,
      });
      for (const [key, entities] of found) await this.settle(key, entities, accountId, ports, views, summary);
    }
    if (summary.enqueued.length + summary.removed.length > 0)
      this.options.logger.info(summary, 'orphan sweep');
    return summary;
  }

  /** Hands leftovers to their delegation, or deletes them when it is confirmed gone. */
  private async settle(
    key: string,
    entities: RecordedEntity[],
    accountId: string,
    ports: AccountPorts,
    views: ReadonlyMap<string, DelegationView>,
    summary: SweepSummary,
  ): Promise<void> {
    const fresh = await this.readFresh(key);
    if (fresh === 'unreadable') return;
    if (fresh === 'gone') {
      const { namespace = '', name } = splitKey(key);
      const ownership = ownershipOf({ cluster: this.options.clusterName, namespace, name });
      await removeLeftovers(ports.ram, leftoversOf(entities), ownership, this.options.engine);
      summary.removed.push(...entities.map((e) => `${accountId} ${e.kind}/${e.name}`));
      return;
    }
    // Only a delegation this operator watches (not another shard's), and not while it is being revoked
    // (revocation deletes what it records; anything else is found again once it is gone).
    if (!views.has(key) || fresh.deleting) return;
    const still = entities.filter((e) => !accountsFor(fresh, accountId, { ...e, owner: key }));
    if (still.length === 0) return;
    this.findings.set(key, [...(this.findings.get(key) ?? []), ...still]);
    this.options.enqueue(key);
    summary.enqueued.push(key);
  }

  /** The delegation as the API server has it now: gone, its view, or unreadable (then nothing is done). */
  private async readFresh(key: string): Promise<DelegationView | 'gone' | 'unreadable'> {
    const { namespace, name } = splitKey(key);
    try {
      const raw: unknown = await this.options.customObjects.getNamespacedCustomObject({
        ...delegationResource,
        namespace: namespace ?? '',
        name,
      });
      return viewOf(raw as KubernetesObject) ?? 'unreadable';
    } catch (error) {
      if (isNotFound(error)) return 'gone';
      this.options.logger.warn({ err: error, delegation: key }, 'orphan sweep: cannot read the delegation');
      return 'unreadable';
    }
  }

  private async views(): Promise<Map<string, DelegationView>> {
    const views = new Map<string, DelegationView>();
    for (const object of await this.options.delegations()) {
      const view = viewOf(object);
      if (view) views.set(view.key, view);
    }
    return views;
  }

  /** Ports for the account, from the first delegation whose credentials really act in it. */
  private async portsFor(accountId: string, use: AccountUse): Promise<AccountPorts | undefined> {
    for (const { side, namespace, ref } of use.via) {
      try {
        const ports = await this.options.access[side].portsFor(namespace, ref);
        if ((await ports.sts.getCallerIdentity()).accountId === accountId) return ports;
      } catch {
        // Try the next delegation's credentials.
      }
    }
    this.options.logger.warn({ accountId }, 'orphan sweep: no working credentials for the account');
    return undefined;
  }
}

function viewOf(object: KubernetesObject): DelegationView | undefined {
  const parsed = crossAccountDelegationSchema.safeParse(object);
  if (!parsed.success) return undefined;
  const spec = specSchema.safeParse(parsed.data.spec);
  if (!spec.success) return undefined;
  const { namespace, name } = parsed.data.metadata;
  return {
    key: objectKey(namespace, name),
    spec: spec.data,
    inventory: inventoryFromStatus(parsed.data.status?.inventory),
    deleting: parsed.data.metadata.deletionTimestamp !== undefined,
  };
}

function accountsOf(views: ReadonlyMap<string, DelegationView>): Map<string, AccountUse> {
  const accounts = new Map<string, AccountUse>();
  for (const view of views.values()) {
    const namespace = view.key.slice(0, view.key.indexOf('/'));
    for (const side of ['owner', 'authorized'] as const) {
      const ref = view.spec[side];
      const use = accounts.get(ref.accountId) ?? { owner: false, authorized: false, via: [] };
      use[side] = true;
      use.via.push({ side, namespace, ref });
      accounts.set(ref.accountId, use);
    }
  }
  return accounts;
}

/** One listing of the account: what carries an ownership mark, of the kinds its sides can hold. */
async function listMarked(ports: AccountPorts, use: AccountUse): Promise<MarkedEntity[]> {
  const { ram } = ports;
  const none = () => Promise.resolve(new Map<string, string>());
  const [roles, policies, users, groups] = await Promise.all([
    use.owner ? ram.listTagged('role', OWNERSHIP_TAG_KEY) : none(),
    ram.listTagged('policy', OWNERSHIP_TAG_KEY),
    use.authorized ? ram.listUsers() : Promise.resolve([]),
    use.authorized ? ram.listGroups() : Promise.resolve([]),
  ]);
  const marked: MarkedEntity[] = [];
  for (const [name, owner] of roles) marked.push({ kind: 'role', name, owner });
  for (const [name, owner] of policies) marked.push({ kind: 'policy', name, owner });
  for (const user of users) {
    const owner = markerValue(user.comments);
    if (owner) marked.push({ kind: 'user', name: user.userName, owner });
  }
  for (const group of groups) {
    const owner = markerValue(group.comments);
    if (owner) marked.push({ kind: 'group', name: group.groupName, owner });
  }
  return marked;
}

function leftoversOf(entities: readonly RecordedEntity[]): Leftovers {
  const of = (kind: RecordedEntity['kind']) => entities.filter((e) => e.kind === kind).map((e) => e.name);
  return { roles: of('role'), policies: of('policy'), users: of('user'), groups: of('group') };
}
