/**
 * Issue 14 acceptance, sharding: two operator processes with `--shard blue` and `--shard green` against
 * one API server and one emulator. Each reconciles only its own delegations (shown by the Events'
 * reporting instance, the emulator's call counter and each shard's own Lease), an unlabelled delegation
 * is left to the unsharded operator (none runs here), and relabelling a delegation moves it to the other
 * shard without revoking anything.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinationV1Api, CustomObjectsApi, EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import { callCounts } from '@ram-delegation/alicloud-emulator';
import { addAccountPairs } from '../../bench/owner-accounts.js';
import {
  accountState,
  spawnOperator,
  startSandboxEnvironment,
  type OperatorProcess,
  type SandboxEnvironment,
} from '@ram-delegation/sandbox';
import { SHARD_LABEL } from '../../src/api/constants.js';
import { delegationResource, mergePatch } from '../../src/controller/kube-clients.js';
import { delegationManifest, isReady, type AccountPair } from '../reliability/fleet.js';
import { eventually } from './delegation-scenario.js';

let env: SandboxEnvironment;
let api: CustomObjectsApi;
let events: EventsV1Api;
let coordination: CoordinationV1Api;
let green: AccountPair;
const operators: Record<'blue' | 'green', OperatorProcess | undefined> = {
  blue: undefined,
  green: undefined,
};

function startShard(shard: 'blue' | 'green'): Promise<string> {
  const operator = spawnOperator({
    sandbox: env.info,
    leaderElect: true,
    identity: `op-${shard}`,
    resyncSeconds: 600,
    extraArgs: [`--shard=${shard}`, '--log-level=debug'],
  });
  operators[shard] = operator;
  return operator.waitForLine(/started leading/, 30_000);
}

/** Delegation `<fleet>-<index>` of the minimal shape in `accounts`, labelled for `shard` (if any). */
async function create(fleet: string, index: number, shard: string | undefined, accounts: AccountPair) {
  const body = delegationManifest(env.info, fleet, index, 'minimal', accounts);
  body.metadata.labels = shard ? { [SHARD_LABEL]: shard } : {};
  await api.createNamespacedCustomObject({ ...delegationResource, namespace: env.info.namespace, body });
}

const get = async (name: string): Promise<any> =>
  api.getNamespacedCustomObject({ ...delegationResource, namespace: env.info.namespace, name });

const readyOf = (name: string) =>
  eventually(async () => (isReady(await get(name)) ? true : undefined), 60_000, `${name} Ready`);

/** The reporting instances of the Events about a delegation. */
async function reporters(name: string): Promise<string[]> {
  const list = await events.listNamespacedEvent({ namespace: env.info.namespace });
  return [
    ...new Set(list.items.filter((e) => e.regarding?.name === name).map((e) => e.reportingInstance ?? '')),
  ];
}

const sum = (calls: Record<string, number>, pattern: RegExp) =>
  Object.entries(calls)
    .filter(([action]) => pattern.test(action))
    .reduce((total, [, count]) => total + count, 0);

beforeAll(async () => {
  env = await startSandboxEnvironment({ stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-shards-')) });
  const kc = new KubeConfig();
  kc.loadFromFile(env.info.kubeconfig);
  api = kc.makeApiClient(CustomObjectsApi);
  events = kc.makeApiClient(EventsV1Api);
  coordination = kc.makeApiClient(CoordinationV1Api);
  [green] = (await addAccountPairs(env.info, 1)) as [AccountPair];
}, 60_000);

afterAll(async () => {
  for (const operator of Object.values(operators)) await operator?.stop('SIGKILL');
  await env?.stop();
});

describe('sharding', () => {
  it('each shard reconciles only its own delegations, with its own Lease and reporting instance', async () => {
    await startShard('blue');
    await create('blue', 1, 'blue', env.info);
    await create('green', 1, 'green', green);
    await create('plain', 1, undefined, env.info);
    await readyOf('blue-1');
    // Blue never touched green's delegation: not a single call in green's accounts, no status.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await callCounts(env.info.emulatorUrl, green.owner.accountId)).toEqual({});
    expect(await callCounts(env.info.emulatorUrl, green.authorized.accountId)).toEqual({});
    expect((await get('green-1')).status).toBeUndefined();

    await startShard('green');
    await readyOf('green-1');
    expect(sum(await callCounts(env.info.emulatorUrl, green.owner.accountId), /^ram:CreateRole$/)).toBe(1);
    expect(await reporters('blue-1')).toEqual(['blue/op-blue']);
    expect(await reporters('green-1')).toEqual(['green/op-green']);
    // Neither shard takes an unlabelled delegation: that is the unsharded operator's.
    expect((await get('plain-1')).status).toBeUndefined();
    expect((await get('plain-1')).metadata.finalizers).toBeUndefined();

    const leases = await coordination.listNamespacedLease({
      namespace: env.info.operator.serviceAccount.split('/')[0]!,
    });
    expect(
      Object.fromEntries(leases.items.map((lease) => [lease.metadata?.name, lease.spec?.holderIdentity])),
    ).toEqual({ 'ram-delegation-operator-blue': 'op-blue', 'ram-delegation-operator-green': 'op-green' });
  }, 120_000);

  it('relabelling a delegation moves it to the other shard without a revocation', async () => {
    const owner = env.info.owner.accountId;
    const before = await callCounts(env.info.emulatorUrl, owner);
    const greenLines = operators.green!.lines.length;
    await api.patchNamespacedCustomObject(
      {
        ...delegationResource,
        namespace: env.info.namespace,
        name: 'blue-1',
        body: { metadata: { labels: { [SHARD_LABEL]: 'green' } } },
      },
      mergePatch(),
    );
    // Green takes it over (its pass reads A and writes nothing); blue lets go without a cloud call.
    await eventually(
      async () =>
        operators
          .green!.lines.slice(greenLines)
          .some((l) => l.includes(`"delegation":"default/blue-1"`) && l.includes('"reconciled"'))
          ? true
          : undefined,
      30_000,
      'green reconciling blue-1',
    );
    await operators.blue!.waitForLine(/belongs to another shard/, 10_000);
    const after = await callCounts(env.info.emulatorUrl, owner);
    expect(sum(after, /^ram:(Detach|Delete)/) - sum(before, /^ram:(Detach|Delete)/)).toBe(0);
    expect(sum(after, /^ram:Get/)).toBeGreaterThan(sum(before, /^ram:Get/));
    const moved = await get('blue-1');
    expect(isReady(moved)).toBe(true);
    expect(moved.metadata.finalizers).toEqual(['ram-delegation.dev/revoke']);
    const state = await accountState(env.info.emulatorUrl, owner);
    expect(state.roles.map((r) => r.roleName)).toContain('blue-1');

    // Deleting it now is green's revocation, reported by green.
    await api.deleteNamespacedCustomObject({
      ...delegationResource,
      namespace: env.info.namespace,
      name: 'blue-1',
    });
    await eventually(
      async () =>
        await get('blue-1').then(
          () => undefined,
          () => true,
        ),
      30_000,
      'blue-1 gone',
    );
    const reportedBy = await reporters('blue-1');
    expect(reportedBy).toContain('green/op-green');
    const final = await callCounts(env.info.emulatorUrl, owner);
    expect(sum(final, /^ram:DeleteRole$/) - sum(before, /^ram:DeleteRole$/)).toBe(1);
  }, 90_000);

  it('the kustomize example renders three shard Deployments with their own --shard and pod labels', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'deploy', 'examples', 'shards');
    const rendered = parseAllDocuments((await promisify(execFile)('kubectl', ['kustomize', dir])).stdout).map(
      (doc) => doc.toJS(),
    );
    const deployments = rendered.filter((object) => object.kind === 'Deployment');
    expect(
      deployments.map((d) => [
        d.metadata.name,
        d.spec.template.spec.containers[0].args.filter((arg: string) => arg.startsWith('--shard')),
        d.spec.selector.matchLabels[SHARD_LABEL],
        d.spec.template.spec.serviceAccountName,
      ]),
    ).toEqual(
      ['blue', 'green', 'red'].map((shard) => [
        `ram-delegation-operator-${shard}`,
        [`--shard=${shard}`],
        shard,
        'ram-delegation-operator',
      ]),
    );
    // Shared once: one namespace, CRD, ServiceAccount, ClusterRole and Service.
    for (const kind of ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'Service'])
      expect(
        rendered.filter((object) => object.kind === kind),
        kind,
      ).toHaveLength(1);
  });
});
