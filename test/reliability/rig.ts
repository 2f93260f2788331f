/**
 * The reliability suite's test bed: our API server and the emulator in the test process, the operator as
 * a child process (restartable, so tests can SIGKILL it), kubectl, and the fleet helpers. Sizes switch
 * to the soak values when RAM_DELEGATION_SOAK=1 (`npm run test:soak`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWNERSHIP_TAG_KEY } from '../../src/api/constants.js';
import { startSandboxEnvironment, type SandboxEnvironment } from '@ram-delegation/sandbox';
import { spawnOperator, type OperatorProcess } from '@ram-delegation/sandbox';
import { kubectlFor, type Kubectl } from '@ram-delegation/kube-apiserver';
import { fleetFor, metricsUrlFrom, type Fleet } from './fleet.js';

/** True under `npm run test:soak`. */
export const SOAK = process.env.RAM_DELEGATION_SOAK === '1';

export interface Rig {
  env: SandboxEnvironment;
  fleet: Fleet;
  kubectl: Kubectl;
  operator: OperatorProcess;
  metricsUrl: string;
  /** Every line every operator process of this rig printed. */
  logLines: string[];
  /** Starts (or restarts after a kill) the operator and waits until it serves. */
  startOperator(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRig(options: { extraArgs?: string[]; resyncSeconds?: number } = {}): Promise<Rig> {
  const env = await startSandboxEnvironment({
    stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-reliability-')),
  });
  const logLines: string[] = [];
  const rig: Rig = {
    env,
    fleet: fleetFor(env.info),
    kubectl: kubectlFor(env.kubeApiServer),
    operator: undefined as unknown as OperatorProcess,
    metricsUrl: '',
    logLines,
    async startOperator() {
      rig.operator = spawnOperator({
        sandbox: env.info,
        resyncSeconds: options.resyncSeconds ?? 600,
        extraArgs: options.extraArgs ?? [],
        onLine: (line) => logLines.push(line),
      });
      rig.metricsUrl = metricsUrlFrom(await rig.operator.waitForLine(/operator started/, 30_000));
    },
    async stop() {
      await rig.operator?.stop();
      await env.stop();
    },
  };
  await rig.startOperator();
  return rig;
}

export async function accountDump(rig: Rig, accountId: string): Promise<any> {
  const response = await fetch(`${rig.env.info.emulatorUrl}/_emulator/accounts/${accountId}/state`);
  if (!response.ok) throw new Error(`state of ${accountId}: ${response.status}`);
  return response.json();
}

/** Users in B holding more than one AccessKey right now. */
export async function usersWithSeveralKeys(rig: Rig): Promise<string[]> {
  const state = await accountDump(rig, rig.env.info.authorized.accountId);
  return (state.users as any[])
    .filter((u) => u.accessKeyIds.length > 1)
    .map((u) => `${u.userName}: ${u.accessKeyIds.length} keys`);
}

/** Entities in either account carrying a ram-delegation ownership tag or marker. */
export async function managedLeftovers(rig: Rig): Promise<string[]> {
  const found: string[] = [];
  for (const accountId of [rig.env.info.owner.accountId, rig.env.info.authorized.accountId]) {
    const state = await accountDump(rig, accountId);
    for (const r of state.roles)
      if (r.tags?.[OWNERSHIP_TAG_KEY]) found.push(`${accountId} role/${r.roleName}`);
    for (const p of state.policies)
      if (p.tags?.[OWNERSHIP_TAG_KEY]) found.push(`${accountId} policy/${p.policyName}`);
    for (const u of state.users)
      if (String(u.comments).includes(OWNERSHIP_TAG_KEY)) found.push(`${accountId} user/${u.userName}`);
    for (const g of state.groups)
      if (String(g.comments).includes(OWNERSHIP_TAG_KEY)) found.push(`${accountId} group/${g.groupName}`);
  }
  return found;
}

/** Everything in both accounts, counted (roles, policies, users, groups): "no cloud write" checks. */
export async function entityCounts(rig: Rig): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [side, accountId] of [
    ['A', rig.env.info.owner.accountId],
    ['B', rig.env.info.authorized.accountId],
  ] as const) {
    const state = await accountDump(rig, accountId);
    for (const kind of ['roles', 'policies', 'users', 'groups'] as const)
      counts[`${side}.${kind}`] = (state[kind] as unknown[]).length;
  }
  return counts;
}

/**
 * Names of Secrets in the sandbox namespace, other than the two credential Secrets, plus any finalizers
 * those two still hold. The credential Secrets are released by a check the last delegation's deletion
 * queues, after that delegation is gone: this polls (up to `deadlineMs`) until nothing is left, and
 * returns what is left then.
 */
export async function secretLeftovers(
  rig: Rig,
  deadlineMs = 15_000,
): Promise<{ extra: string[]; credentialFinalizers: string[] }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const left = await secretsNow(rig);
    if ((left.extra.length === 0 && left.credentialFinalizers.length === 0) || Date.now() > deadline)
      return left;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function secretsNow(rig: Rig): Promise<{ extra: string[]; credentialFinalizers: string[] }> {
  const result = await rig.kubectl(['get', 'secrets', '-n', rig.env.info.namespace, '-o', 'json']);
  if (result.code !== 0) throw new Error(result.stderr);
  const items: any[] = JSON.parse(result.stdout).items;
  const credentialNames: string[] = [
    rig.env.info.owner.credentialsSecret,
    rig.env.info.authorized.credentialsSecret,
  ];
  return {
    extra: items.map((s) => s.metadata.name as string).filter((name) => !credentialNames.includes(name)),
    credentialFinalizers: items
      .filter((s) => credentialNames.includes(s.metadata.name))
      .flatMap((s) => (s.metadata.finalizers ?? []) as string[]),
  };
}
