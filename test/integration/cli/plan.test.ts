/**
 * `ram-delegation plan` in-process (issue #15), against our API server and the emulator through the
 * official clients: a manifest planned from scratch, then against the applied delegation, after drift,
 * with a rotation asked for and past its expiry, and what the operator would refuse. The emulator's call
 * counter and the API server's request log prove it wrote nothing, in either cloud account or in
 * Kubernetes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callCounts } from '@ram-delegation/alicloud-emulator';
import { API_GROUP_VERSION, KIND, ROTATE_ACCESS_KEYS_ANNOTATION } from '../../../src/api/constants.js';
import { planCommand } from '../../../src/cli/plan-command.js';
import { AUTHORIZED_ACCOUNT, OWNER_ACCOUNT, isWriteCall } from '../../support/cloud.js';
import {
  NAMESPACE,
  delegationSpec,
  startReconcilerRig,
  type ReconcilerRig,
} from '../controller/reconciler-rig.js';

const dir = mkdtempSync(join(tmpdir(), 'plan-integration-'));
let rig: ReconcilerRig;

beforeAll(async () => {
  rig = await startReconcilerRig();
}, 60_000);
afterAll(async () => {
  await rig?.stop();
});

/** Cloud writes signed in either account so far, by action. */
async function cloudWrites(): Promise<Record<string, number>> {
  const writes: Record<string, number> = {};
  for (const account of [OWNER_ACCOUNT, AUTHORIZED_ACCOUNT]) {
    for (const [call, n] of Object.entries(await callCounts(rig.cloud.url, account)))
      if (isWriteCall(call)) writes[call] = (writes[call] ?? 0) + n;
  }
  return writes;
}

/** Runs `ram-delegation plan` on one manifest; checks it wrote nothing anywhere. */
async function plan(
  name: string,
  spec: Record<string, unknown>,
  output: 'json' | 'text',
  annotations: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  const file = join(dir, `${name}-${Date.now()}.yaml`);
  writeFileSync(
    file,
    stringify({ apiVersion: API_GROUP_VERSION, kind: KIND, metadata: { name, annotations }, spec }),
  );
  const endpoint = rig.cloud.url.replace('http://', '');
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  const writesBefore = await cloudWrites();
  const requestsBefore = rig.kube.requests.length;
  try {
    const code = await planCommand.run([
      '-f',
      file,
      `--kubeconfig=${rig.kube.kubeconfigPath}`,
      `--ram-endpoint=${endpoint}`,
      `--sts-endpoint=${endpoint}`,
      '--alicloud-protocol=http',
      '--cluster-name=test',
      `--namespace=${NAMESPACE}`,
      `--output=${output}`,
    ]);
    expect(await cloudWrites()).toEqual(writesBefore);
    expect(rig.kube.requests.slice(requestsBefore).filter((r) => !r.startsWith('GET '))).toEqual([]);
    return { code, out: printed.join('') };
  } finally {
    write.mockRestore();
  }
}

const changesOf = (out: string) =>
  (
    JSON.parse(out) as {
      delegations: { changes: { account: string; action: string; target: string; destructive: boolean }[] }[];
    }
  ).delegations[0]!.changes;

describe('ram-delegation plan', () => {
  const id = 'planned';
  const spec = delegationSpec(id);

  it('plans a manifest not yet applied from scratch: exit 2, the role and the user it would create', async () => {
    const { code, out } = await plan(id, spec, 'json');
    expect(code).toBe(2);
    const changes = changesOf(out);
    expect(changes).toContainEqual({
      account: 'owner',
      action: 'create',
      target: `role/${id}`,
      destructive: false,
    });
    expect(changes).toContainEqual({
      account: 'authorized',
      action: 'create',
      target: `user/${id}-publisher`,
      destructive: false,
    });
    const text = await plan(id, spec, 'text');
    expect(text.out).toMatch(
      new RegExp(`${NAMESPACE}/${id} \\(not in the cluster yet: planned from scratch\\)`),
    );
    expect(text.out).toMatch(new RegExp(`\\+ create role ${id}\\n`));
    expect(text.out).toMatch(new RegExp(`\\+ create user ${id}-publisher\\n`));
  });

  it('plans the applied, Ready delegation: exit 0, no changes', async () => {
    await rig.apply(id, spec);
    await rig.reconcile(id);
    const { code, out } = await plan(id, spec, 'text');
    expect(out).toMatch(/no changes/);
    expect(code).toBe(0);
  });

  it('after a policy is attached behind the operator’s back: exit 2, that policy as a destructive detach', async () => {
    await rig.cloud
      .ports(rig.cloud.owner)
      .ram.attachPolicyToRole({ policyName: 'AliyunEventBridgeFullAccess', policyType: 'System' }, id);
    const { code, out } = await plan(id, spec, 'json');
    expect(code).toBe(2);
    expect(changesOf(out)).toEqual([
      {
        account: 'owner',
        action: 'detach',
        target: `attachment/AliyunEventBridgeFullAccess->role/${id}`,
        destructive: true,
      },
    ]);
    const text = await plan(id, spec, 'text');
    expect(text.out).toMatch(
      new RegExp(`- detach system policy AliyunEventBridgeFullAccess from role ${id}  \\[destructive\\]`),
    );
    await rig.reconcile(id);
  });

  it('names a rotation the annotation asks for, and the detaches of an expiry', async () => {
    const rotation = changesOf(
      (await plan(id, spec, 'json', { [ROTATE_ACCESS_KEYS_ANNOTATION]: 'now' })).out,
    );
    expect(rotation).toEqual([
      { account: 'authorized', action: 'rotate', target: `accesskey/${id}-publisher`, destructive: false },
    ]);
    const expired = { ...spec, expiresAt: '2020-01-01T00:00:00Z' };
    const { out } = await plan(id, expired, 'text');
    expect(out).toMatch(new RegExp(`- detach custom policy ${id}-publish from role ${id} \\(expired\\)`));
  });

  it('says what the operator would refuse: exit 1', async () => {
    const other = 'refused';
    await rig.cloud.ports(rig.cloud.owner).ram.createRole({
      roleName: other,
      trustPolicy: JSON.stringify({
        Version: '1',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { RAM: [`acs:ram::${OWNER_ACCOUNT}:root`] },
          },
        ],
      }),
      description: 'made by hand',
      maxSessionDuration: 3600,
    });
    const { code, out } = await plan(other, delegationSpec(other), 'json');
    expect(code).toBe(1);
    const [delegation] = (JSON.parse(out) as { delegations: { refusals: object[] }[] }).delegations;
    expect(delegation?.refusals).toEqual([
      {
        account: 'owner',
        reason: 'EntityNotManaged',
        message: expect.stringMatching(new RegExp(`role ${other}`)),
      },
    ]);
    const broad = delegationSpec('broad', (s) => (s.policies = [{ system: 'AdministratorAccess' }]));
    const tooBroad = await plan('broad', broad, 'text');
    expect(tooBroad.code).toBe(1);
    expect(tooBroad.out).toMatch(/x account A \(owner\): PolicyTooBroad: /);
  });
});
