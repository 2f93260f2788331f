/**
 * The operator's end-to-end scenario as reusable steps: the default e2e runs them against our own API
 * server, `npm run test:k3s` against a real k3s where a Docker engine exists. Everything goes through the
 * real kubectl and the official Alibaba Cloud SDKs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRefusal, publishEvent } from '@ram-delegation/sandbox';
import {
  createAccountPorts,
  staticCredentials,
  UNLIMITED,
  type StsCredentials,
} from '../../src/alicloud/index.js';
import { OWNERSHIP_TAG_KEY } from '../../src/api/constants.js';
import type { SandboxInfo } from '@ram-delegation/sandbox';
import type { Kubectl } from '@ram-delegation/kube-apiserver';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'eventbridge-publisher.yaml');
export const NAME = 'orders-bus-publisher';
const ROLE_ARN = `acs:ram::1111111111111111:role/${NAME}`;

export interface ScenarioContext {
  kubectl: Kubectl;
  sandbox: SandboxInfo;
}

export async function kube(ctx: ScenarioContext, args: string[], stdin?: string): Promise<string> {
  const result = await ctx.kubectl(args, stdin);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

export async function getJson(ctx: ScenarioContext, ...args: string[]): Promise<any> {
  return JSON.parse(await kube(ctx, ['get', ...args, '-o', 'json']));
}

/** A Secret's data, decoded. */
export async function secretData(ctx: ScenarioContext, name: string): Promise<Record<string, string>> {
  const secret = await getJson(ctx, 'secret', name, '-n', ctx.sandbox.namespace);
  return Object.fromEntries(
    Object.entries<string>(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

export function exampleManifest(): string {
  return readFileSync(EXAMPLE, 'utf8');
}

const endpoint = (ctx: ScenarioContext) => ctx.sandbox.emulatorUrl.replace(/^https?:\/\//, '');

/** STS credentials for the role, obtained with the Programmatic user's AccessKey from its Secret. */
export async function assumeRoleAsPublisher(ctx: ScenarioContext): Promise<StsCredentials> {
  const key = await secretData(ctx, 'orders-publisher-ak');
  const ports = createAccountPorts({
    accountId: ctx.sandbox.authorized.accountId,
    credentials: staticCredentials({ accessKeyId: key.accessKeyId!, accessKeySecret: key.accessKeySecret! }),
    endpoints: { ram: endpoint(ctx), sts: endpoint(ctx), protocol: 'http' },
    limiter: UNLIMITED,
  });
  return ports.sts.assumeRole({ roleArn: ROLE_ARN, roleSessionName: 'e2e', durationSeconds: 900 });
}

/** Publishes one event to A's bus with STS credentials; resolves the event id or rejects. */
export function publishToBus(ctx: ScenarioContext, credentials: StsCredentials): Promise<string> {
  return publishEvent(
    { endpoint: endpoint(ctx), protocol: 'http', busName: ctx.sandbox.eventBus.name },
    credentials,
    {
      id: `e2e-${Date.now()}-${Math.random()}`,
      source: 'enterprise-b',
      type: 'orders.created',
      data: { order: 42 },
    },
  );
}

/** Entities in both accounts that carry a ram-delegation ownership tag or marker. */
export async function managedEntities(ctx: ScenarioContext): Promise<string[]> {
  const found: string[] = [];
  for (const accountId of [ctx.sandbox.owner.accountId, ctx.sandbox.authorized.accountId]) {
    const response = await fetch(`${ctx.sandbox.emulatorUrl}/_emulator/accounts/${accountId}/state`);
    const state = (await response.json()) as any;
    for (const r of state.roles) if (r.tags[OWNERSHIP_TAG_KEY]) found.push(`${accountId} role/${r.roleName}`);
    for (const p of state.policies)
      if (p.tags[OWNERSHIP_TAG_KEY]) found.push(`${accountId} policy/${p.policyName}`);
    for (const u of state.users)
      if (String(u.comments).includes(OWNERSHIP_TAG_KEY)) found.push(`${accountId} user/${u.userName}`);
    for (const g of state.groups)
      if (String(g.comments).includes(OWNERSHIP_TAG_KEY)) found.push(`${accountId} group/${g.groupName}`);
  }
  return found;
}

export async function accountState(ctx: ScenarioContext, side: 'owner' | 'authorized'): Promise<any> {
  const response = await fetch(
    `${ctx.sandbox.emulatorUrl}/_emulator/accounts/${ctx.sandbox[side].accountId}/state`,
  );
  return response.json();
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Applies the seed example and waits for Ready; returns the publisher's key and fresh STS credentials. */
export async function applySeedUntilReady(
  ctx: ScenarioContext,
  timeout = '60s',
): Promise<{ key: Record<string, string>; credentials: StsCredentials; applied: string }> {
  const applied = await kube(ctx, ['apply', '-f', '-'], exampleManifest());
  await kube(ctx, ['wait', '--for=condition=Ready', `cad/${NAME}`, `--timeout=${timeout}`]);
  const key = await secretData(ctx, 'orders-publisher-ak');
  const credentials = await assumeRoleAsPublisher(ctx);
  return { key, credentials, applied };
}

/**
 * Deletes the seed delegation and measures how long the credentials issued before still worked: the
 * milliseconds from the delete request to the first refused `PutEvents`, and kubectl's exit code.
 * "Refused" means a permission or token error (`isRefusal`): a 5xx or a dropped connection says nothing
 * about revocation and is simply tried again.
 */
export async function deleteAndTimeRefusal(
  ctx: ScenarioContext,
  credentials: StsCredentials,
  timeoutMs = 10_000,
): Promise<{ refusedAfterMs: number; deleteExitCode: number }> {
  const requestedAt = Date.now();
  const deletion = ctx.kubectl.start(['delete', 'cad', NAME, '--timeout=120s']);
  const refusedAfterMs = await eventually(
    () =>
      publishToBus(ctx, credentials).then(
        () => undefined,
        (error: unknown) => (isRefusal(error) ? Date.now() - requestedAt : undefined),
      ),
    timeoutMs,
    'the old STS credentials to be refused',
    25,
  );
  return { refusedAfterMs, deleteExitCode: (await deletion.done).code };
}
