/**
 * Many delegations at once, for the benchmarks (`bench/`) and the reliability suite: manifests with
 * distinct names, creation and deletion through @kubernetes/client-node with bounded concurrency (never
 * kubectl per object: the API server runs in this process), readiness counts, the operator's metrics
 * and its memory. Every wait here is bounded in time.
 */
import { readFileSync } from 'node:fs';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, PLURAL } from '../../src/api/constants.js';
import type { SandboxAccount, SandboxInfo } from '@ram-delegation/sandbox';
import {
  aDelegationSpec,
  withAuthorized,
  withOwner,
  withPolicies,
  withRole,
  withUsers,
  type UserInput,
} from '../support/gen.js';

const FLEET_LABEL = 'ram-delegation.dev/fleet';

/** What one delegation of the fleet looks like. */
export type FleetShape =
  /** The minimal example: a system policy, no users (cheap: owner side only). */
  | 'minimal'
  /** A custom PutEvents policy on A's bus, no users: B's root may assume the role (revocation probes). */
  | 'publisher'
  /** The seed scenario's shape: custom policy plus one Programmatic user with its AccessKey Secret. */
  | 'withUser';

export interface Fleet {
  api: CustomObjectsApi;
  sandbox: SandboxInfo;
}

export function fleetFor(sandbox: SandboxInfo): Fleet {
  const kc = new KubeConfig();
  kc.loadFromFile(sandbox.kubeconfig);
  return { api: kc.makeApiClient(CustomObjectsApi), sandbox };
}

/** A resource owner (A) and an authorized account (B) for a delegation. */
export interface AccountPair {
  owner: SandboxAccount;
  authorized: SandboxAccount;
}

/**
 * The manifest of member `index` of fleet `fleet`; all names derive from `<fleet>-<index>`. `accounts`
 * replaces the sandbox's A and B: RAM allows 1,000 roles per account (A) and 1,500 custom policies (B,
 * one scoped grant per delegation), so big fleets spread over several pairs.
 */
export function delegationManifest(
  sandbox: SandboxInfo,
  fleet: string,
  index: number,
  shape: FleetShape,
  accounts: AccountPair = sandbox,
): any {
  const name = `${fleet}-${index}`;
  const { owner, authorized } = accounts;
  const users: UserInput[] =
    shape === 'withUser'
      ? [{ name: `${name}-pub`, access: 'Programmatic', credentialsSecretName: `${name}-ak` }]
      : [];
  const spec = aDelegationSpec(
    withOwner(owner.accountId, { secretRef: { name: owner.credentialsSecret } }),
    withAuthorized(authorized.accountId, { secretRef: { name: authorized.credentialsSecret } }),
    withRole(name, { description: undefined }),
    withPolicies(
      shape === 'minimal'
        ? { system: 'AliyunEventBridgeReadOnlyAccess' }
        : publishPolicy(sandbox, name, owner),
    ),
    withUsers(...users),
  );
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: 'CrossAccountDelegation',
    metadata: { name, namespace: sandbox.namespace, labels: { [FLEET_LABEL]: fleet } },
    spec,
  };
}

/** A custom policy `<name>-publish` allowing PutEvents on the sandbox's bus in `owner`'s account. */
export function publishPolicy(sandbox: SandboxInfo, name: string, owner: SandboxAccount = sandbox.owner) {
  const bus = `acs:eventbridge:${sandbox.eventBus.region}:${owner.accountId}:eventbus/${sandbox.eventBus.name}`;
  return {
    custom: {
      name: `${name}-publish`,
      document: {
        Version: '1' as const,
        Statement: [{ Effect: 'Allow' as const, Action: ['eventbridge:PutEvents'], Resource: [bus] }],
      },
    },
  };
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Creates `count` delegations; with `pairs`, member i acts in pairs[i % pairs.length]. */
export async function createFleet(
  fleet: Fleet,
  name: string,
  count: number,
  shape: FleetShape,
  concurrency = 16,
  pairs?: readonly AccountPair[],
): Promise<string[]> {
  const pairOf = (index: number) => (pairs && pairs.length > 0 ? pairs[index % pairs.length] : undefined);
  const manifests = Array.from({ length: count }, (_, index) =>
    delegationManifest(fleet.sandbox, name, index, shape, pairOf(index)),
  );
  await forEachBounded(manifests, concurrency, async (body) => {
    await fleet.api.createNamespacedCustomObject({
      group: API_GROUP,
      version: API_VERSION,
      namespace: fleet.sandbox.namespace,
      plural: PLURAL,
      body,
    });
  });
  return manifests.map((m) => m.metadata.name as string);
}

export async function listFleet(fleet: Fleet, name: string): Promise<any[]> {
  const list: any = await fleet.api.listNamespacedCustomObject({
    group: API_GROUP,
    version: API_VERSION,
    namespace: fleet.sandbox.namespace,
    plural: PLURAL,
    labelSelector: `${FLEET_LABEL}=${name}`,
  });
  return list.items as any[];
}

/** Ready=True for the current generation. */
export function isReady(cad: any): boolean {
  const ready = (cad.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  return ready?.status === 'True' && cad.status?.observedGeneration === cad.metadata?.generation;
}

export function condition(
  cad: any,
  type: string,
): { status: string; reason: string; message?: string } | undefined {
  return (cad.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** Polls until every member of the fleet is Ready; resolves the elapsed milliseconds or rejects at the deadline. */
export async function waitFleetReady(
  fleet: Fleet,
  name: string,
  count: number,
  timeoutMs: number,
  intervalMs = 250,
): Promise<number> {
  const started = Date.now();
  let ready = 0;
  let laggard: any;
  while (Date.now() - started < timeoutMs) {
    const items = await listFleet(fleet, name);
    ready = items.filter(isReady).length;
    if (ready >= count) return Date.now() - started;
    laggard = items.find((item) => !isReady(item));
    await sleep(intervalMs);
  }
  const why = laggard
    ? ` (e.g. ${laggard.metadata?.name}: ${JSON.stringify(laggard.status?.conditions ?? [])})`
    : '';
  throw new Error(`fleet ${name}: ${ready}/${count} Ready after ${timeoutMs} ms${why}`);
}

export async function deleteFleet(fleet: Fleet, names: readonly string[], concurrency = 16): Promise<void> {
  await forEachBounded(names, concurrency, async (name) => {
    await fleet.api.deleteNamespacedCustomObject({
      group: API_GROUP,
      version: API_VERSION,
      namespace: fleet.sandbox.namespace,
      plural: PLURAL,
      name,
    });
  });
}

/** Polls until no member of the fleet exists (finalizers released); rejects naming the stragglers. */
export async function waitFleetGone(
  fleet: Fleet,
  name: string,
  timeoutMs: number,
  intervalMs = 250,
): Promise<number> {
  const started = Date.now();
  let left: any[] = [];
  while (Date.now() - started < timeoutMs) {
    left = await listFleet(fleet, name);
    if (left.length === 0) return Date.now() - started;
    await sleep(intervalMs);
  }
  throw new Error(
    `fleet ${name}: ${left.length} still present after ${timeoutMs} ms (e.g. ${left[0]?.metadata?.name} finalizers ${JSON.stringify(left[0]?.metadata?.finalizers)})`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The operator's metrics endpoint, from its "operator started" log line. */
export function metricsUrlFrom(startedLine: string): string {
  const port = (JSON.parse(startedLine) as { healthPort?: number }).healthPort;
  if (typeof port !== 'number') throw new Error(`no healthPort in ${startedLine}`);
  return `http://127.0.0.1:${port}/metrics`;
}

export async function scrape(metricsUrl: string): Promise<string> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: ${response.status}`);
  return response.text();
}

/** Sums the samples of `metric` whose labels include every pair of `labels`. */
export function sumSamples(text: string, metric: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const braceEnd = line.lastIndexOf('}');
    const labelText = braceEnd > 0 ? line.slice(metric.length + 1, braceEnd) : '';
    const matches = Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`));
    if (matches) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export const CLOUD_CALLS = 'ram_delegation_cloud_api_calls_total';
export const RECONCILES = 'ram_delegation_reconcile_total';

/** Resident memory of a process in MiB, from /proc/<pid>/status (Linux). */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round((Number(match[1]) / 1024) * 10) / 10;
}

/** The emulator's fault settings (`PUT /_emulator/faults`), wire faults and RAM's consistency model. */
export type FaultSettings = Partial<{
  latencyMs: number;
  throttleRate: number;
  errorRate: number;
  qpsPerAccount: number;
  consistencyLagMs: number;
  tagLagMs: number;
  authorizationLagMs: number;
  lowercaseArns: number;
}>;

export async function setFaults(emulatorUrl: string, faults: FaultSettings): Promise<void> {
  const response = await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: 'PUT',
    body: JSON.stringify(faults),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`PUT faults: ${response.status} ${await response.text()}`);
}
