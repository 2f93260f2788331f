/**
 * Steps the lifecycle acceptance (issue #15) shares: delegation manifests named after a scenario, the
 * status and Secrets read through kubectl, users acting with the official SDKs, the emulator's write
 * counter, and `npm run plan` as a child process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { callCounts } from '@ram-delegation/alicloud-emulator';
import { assumeRole, endpointOf, isRefusal } from '@ram-delegation/sandbox';
import { createAccountPorts, staticCredentials, UNLIMITED } from '../../src/alicloud/index.js';
import { API_GROUP_VERSION, KIND } from '../../src/api/constants.js';
import { isWriteCall } from '../support/cloud.js';
import {
  aDelegationSpec,
  putEventsDocument,
  withPolicies,
  withProgrammaticUser,
  withRole,
  withUsers,
  type SpecModifier,
} from '../support/gen.js';
import { getJson, kube, type ScenarioContext } from './delegation-scenario.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A delegation `id` of A's orders bus with one Programmatic user `<id>-user` (Secret `<id>-ak`). */
export function manifest(
  id: string,
  modifiers: SpecModifier[] = [],
  metadata: { namespace?: string; annotations?: Record<string, string> } = {},
): string {
  const spec = aDelegationSpec(
    withRole(id),
    withPolicies({ custom: { name: `${id}-publish`, document: putEventsDocument() } }),
    withUsers(),
    withProgrammaticUser(`${id}-user`, `${id}-ak`),
    ...modifiers,
  );
  return stringify({ apiVersion: API_GROUP_VERSION, kind: KIND, metadata: { name: id, ...metadata }, spec });
}

/** RFC 3339 in UTC, whole seconds. */
export const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export async function readyCondition(
  ctx: ScenarioContext,
  id: string,
  namespace = ctx.sandbox.namespace,
): Promise<{ status?: string; reason?: string } | undefined> {
  const object = await getJson(ctx, 'cad', id, '-n', namespace);
  return (object.status?.conditions as { type: string; status: string; reason: string }[] | undefined)?.find(
    (c) => c.type === 'Ready',
  );
}

/** The user's AccessKey from its Secret, and the Secret's annotations. */
export async function userKey(ctx: ScenarioContext, id: string, namespace = ctx.sandbox.namespace) {
  const secret = await getJson(ctx, 'secret', `${id}-ak`, '-n', namespace);
  const value = (key: string) => Buffer.from(String(secret.data?.[key] ?? ''), 'base64').toString('utf8');
  return { accessKeyId: value('accessKeyId'), accessKeySecret: value('accessKeySecret') };
}

/** STS credentials for the delegation's role, asked for with `key` (rejects when STS refuses). */
export function assumeAs(
  ctx: ScenarioContext,
  id: string,
  key: { accessKeyId: string; accessKeySecret: string },
) {
  return assumeRole(
    endpointOf(ctx.sandbox.emulatorUrl),
    key,
    `acs:ram::${ctx.sandbox.owner.accountId}:role/${id}`,
    {
      sessionName: 'lifecycle-e2e',
    },
  );
}

/** Ports signed with any key of the sandbox's emulator. */
export function portsFor(
  ctx: ScenarioContext,
  accountId: string,
  key: { accessKeyId: string; accessKeySecret: string },
) {
  const endpoint = endpointOf(ctx.sandbox.emulatorUrl).endpoint;
  return createAccountPorts({
    accountId,
    credentials: staticCredentials(key),
    endpoints: { ram: endpoint, sts: endpoint, protocol: 'http' },
    limiter: UNLIMITED,
  });
}

/** Whether RAM refuses a call signed with `key` right now (a permission or key error, not a 5xx). */
export async function refused(ctx: ScenarioContext, key: { accessKeyId: string; accessKeySecret: string }) {
  try {
    await portsFor(ctx, ctx.sandbox.authorized.accountId, key).sts.getCallerIdentity();
    return false;
  } catch (error) {
    if (isRefusal(error)) return true;
    throw error;
  }
}

/** Signed writes in these accounts so far (the emulator's counter), summed over actions. */
export async function writeCount(emulatorUrl: string, accountIds: readonly string[]): Promise<number> {
  let writes = 0;
  for (const accountId of accountIds) {
    for (const [call, n] of Object.entries(await callCounts(emulatorUrl, accountId)))
      if (isWriteCall(call)) writes += n;
  }
  return writes;
}

/** `npm run plan -- <args>` from the repository: its exit code and output. */
export function npmRunPlan(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'plan', '--', ...args],
      { cwd: ROOT, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The Events regarding one delegation, as `Type/Reason`. */
export async function eventReasons(ctx: ScenarioContext, id: string, namespace = ctx.sandbox.namespace) {
  const list = await getJson(ctx, 'events.events.k8s.io', '-n', namespace);
  return (list.items as { type: string; reason: string; regarding?: { name?: string } }[])
    .filter((e) => e.regarding?.name === id)
    .map((e) => `${e.type}/${e.reason}`);
}

export { kube };
