/**
 * Across the seed scenario (apply, Ready, B's user assumes the role and publishes, a stretch of 5xx and
 * throttling, a wrong-account Secret, deletion) no secret value appears anywhere an operator's output
 * goes: its logs (debug level), Kubernetes Events, the CR's status, or the metrics text. Secrets are
 * the root AccessKey secrets, the users' AccessKey secrets and passwords from the Secrets the operator
 * wrote, and the STS AccessKey secrets and security tokens issued for the role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assumeRoleAsPublisher,
  exampleManifest,
  kube,
  NAME,
  publishToBus,
  secretData,
  type ScenarioContext,
} from '../e2e/delegation-scenario.js';
import { scrape, setFaults, sleep } from './fleet.js';
import { startRig, type Rig } from './rig.js';

let rig: Rig;
let ctx: ScenarioContext;
const secrets = new Set<string>();
/** Everything the operator exposed, gathered while the scenario ran. */
const exposed: { where: string; text: string }[] = [];

async function gather(moment: string): Promise<void> {
  exposed.push({ where: `events (${moment})`, text: await kube(ctx, ['get', 'events', '-A', '-o', 'json']) });
  exposed.push({ where: `CRs (${moment})`, text: await kube(ctx, ['get', 'cad', '-A', '-o', 'json']) });
  exposed.push({ where: `describe (${moment})`, text: (await ctx.kubectl(['describe', 'cad'])).stdout });
  exposed.push({ where: `metrics (${moment})`, text: await scrape(rig.metricsUrl) });
}

beforeAll(async () => {
  rig = await startRig({ extraArgs: ['--log-level=debug'], resyncSeconds: 3 });
  ctx = { kubectl: rig.kubectl, sandbox: rig.env.info };
  secrets.add(rig.env.info.owner.accessKeySecret).add(rig.env.info.authorized.accessKeySecret);
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

describe('secret hygiene', () => {
  it('runs the scenario and collects every secret it produced', async () => {
    await kube(ctx, ['apply', '-f', '-'], exampleManifest());
    await kube(ctx, ['wait', '--for=condition=Ready', `cad/${NAME}`, '--timeout=60s']);
    const key = await secretData(ctx, 'orders-publisher-ak');
    const login = await secretData(ctx, 'alice-login');
    secrets.add(key.accessKeySecret!).add(login.password!);
    const sts = await assumeRoleAsPublisher(ctx);
    secrets.add(sts.accessKeySecret).add(sts.securityToken);
    expect(await publishToBus(ctx, sts)).toBeTruthy();
    await gather('Ready');

    // Errors are where secrets leak: failed calls get logged with their request context.
    await setFaults(rig.env.info.emulatorUrl, { errorRate: 0.3, throttleRate: 0.2 });
    await sleep(3_000);
    await setFaults(rig.env.info.emulatorUrl, { errorRate: 0, throttleRate: 0 });
    const b = rig.env.info.authorized;
    await kube(ctx, [
      'create',
      'secret',
      'generic',
      'hygiene-wrong-a',
      `--from-literal=accessKeyId=${b.accessKeyId}`,
      `--from-literal=accessKeySecret=${b.accessKeySecret}`,
    ]);
    const mismatch = exampleManifest()
      .replace('name: orders-bus-publisher\n  namespace', 'name: hygiene-mismatch\n  namespace')
      .replace('name: orders-bus-publisher\n    description', 'name: hygiene-mismatch\n    description')
      .replace('secretRef: {name: enterprise-a}', 'secretRef: {name: hygiene-wrong-a}')
      .replace(/orders-publisher-ak/, 'hygiene-ak')
      .replace(/alice-login/, 'hygiene-login')
      .replace(/- name: orders-publisher\n/, '- name: hygiene-publisher\n')
      .replace(/- name: alice\n/, '- name: hygiene-alice\n')
      .replace('name: orders-bus-publish\n', 'name: hygiene-publish\n');
    await kube(ctx, ['apply', '-f', '-'], mismatch);
    await kube(ctx, ['wait', '--for=condition=Stalled', 'cad/hygiene-mismatch', '--timeout=30s']);
    await gather('faults and a stalled delegation');

    // Put the right keys back first: revoking needs working credentials for A.
    const a = rig.env.info.owner;
    const fixed = {
      data: {
        accessKeyId: Buffer.from(a.accessKeyId).toString('base64'),
        accessKeySecret: Buffer.from(a.accessKeySecret).toString('base64'),
      },
    };
    await kube(ctx, ['patch', 'secret', 'hygiene-wrong-a', '--type=merge', '-p', JSON.stringify(fixed)]);
    await kube(ctx, ['delete', 'cad', '--all', '--timeout=100s']);
    await gather('deleted');
    exposed.push({ where: 'operator logs', text: rig.logLines.join('\n') });
    expect(secrets.size).toBe(6);
    expect(rig.logLines.length, rig.logLines.join('\n')).toBeGreaterThan(5);
  }, 200_000);

  it('never shows a secret value in logs, Events, CR status, describe or metrics', () => {
    expect(exposed.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(16);
      for (const { where, text } of exposed) {
        expect(text.includes(secret), `a secret value (${secret.slice(0, 3)}…) appears in ${where}`).toBe(
          false,
        );
        // Also not base64-encoded, which is how Secret data would leak through a dumped object.
        expect(
          text.includes(Buffer.from(secret).toString('base64')),
          `a base64 secret appears in ${where}`,
        ).toBe(false);
      }
    }
  });
});
