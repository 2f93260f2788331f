/**
 * Issue 16: every metric the alerts and the dashboard of deploy/monitoring use is one the running
 * operator exports. The sandbox (our Kubernetes API server, the Alibaba Cloud emulator, the operator as a
 * child process) reconciles the seed delegation, repairs drift, fails a revocation (the owner Secret
 * holds B's key) and then completes it, and keeps a delegation that expires and has a Programmatic user
 * (examples/lifecycle.yaml, the lifecycle gauges); the test scrapes /metrics and checks every selector
 * of every query: its series name, its labels and its `le` bounds. A renamed metric fails the same check.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxEnvironment, type SandboxEnvironment } from '@ram-delegation/sandbox';
import { spawnOperator, type OperatorProcess } from '@ram-delegation/sandbox';
import { kubectlFor } from '@ram-delegation/kube-apiserver';
import { createAccountPorts, staticCredentials, UNLIMITED } from '../../src/alicloud/index.js';
import {
  missingFromExposition,
  parseExposition,
  unsampledMetrics,
} from '../unit/deploy/metrics-exposition.js';
import { DASHBOARD_FILE, monitoringQueries, RULES_FILE } from '../unit/deploy/promql-queries.js';
import { applySeedUntilReady, eventually, kube, NAME, type ScenarioContext } from './delegation-scenario.js';

const RESYNC_SECONDS = 3;

let env: SandboxEnvironment;
let ctx: ScenarioContext;
let operator: OperatorProcess;
let metricsUrl: string;

const scrape = async () => (await fetch(metricsUrl)).text();
const sampleValue = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1] ?? NaN,
  );

/** Puts an account's AccessKey into a credentials Secret (the owner's Secret with B's key: a mismatch). */
async function setCredentials(secretName: string, key: { accessKeyId: string; accessKeySecret: string }) {
  const data = {
    accessKeyId: Buffer.from(key.accessKeyId).toString('base64'),
    accessKeySecret: Buffer.from(key.accessKeySecret).toString('base64'),
  };
  await kube(ctx, ['patch', 'secret', secretName, '--type=merge', '-p', JSON.stringify({ data })]);
}

beforeAll(async () => {
  env = await startSandboxEnvironment({
    stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-monitoring-')),
  });
  ctx = { kubectl: kubectlFor(env.kubeApiServer), sandbox: env.info };
  operator = spawnOperator({
    sandbox: env.info,
    resyncSeconds: RESYNC_SECONDS,
  });
  const started = JSON.parse(await operator.waitForLine(/operator started/)) as { healthPort: number };
  metricsUrl = `http://127.0.0.1:${started.healthPort}/metrics`;
}, 60_000);

afterAll(async () => {
  await operator?.stop();
  await env?.stop();
});

describe('the metrics deploy/monitoring uses, against a running operator', () => {
  it('reconciles, repairs drift, fails a revocation and then completes it', async () => {
    await applySeedUntilReady(ctx);

    const ownerRam = createAccountPorts({
      accountId: env.info.owner.accountId,
      credentials: staticCredentials(env.info.owner),
      endpoints: { ram: env.info.emulatorUrl.replace('http://', ''), protocol: 'http' },
      limiter: UNLIMITED,
    }).ram;
    await ownerRam.attachPolicyToRole({ policyName: 'AdministratorAccess', policyType: 'System' }, NAME);
    await eventually(
      async () =>
        (await scrape()).match(/ram_delegation_drift_corrections_total\{side="owner"\} [1-9]/)
          ? true
          : undefined,
      (RESYNC_SECONDS * 1.1 + 10) * 1000,
      'a drift correction',
      200,
    );

    const ownerSecret = env.info.owner.credentialsSecret;
    await setCredentials(ownerSecret, env.info.authorized);
    await kube(ctx, ['wait', '--for=condition=Stalled', `cad/${NAME}`, '--timeout=30s']);
    await kube(ctx, ['delete', 'cad', NAME, '--wait=false']);
    await eventually(
      async () =>
        sampleValue(await scrape(), 'ram_delegation_revocation_failures_total') >= 1 ? true : undefined,
      30_000,
      'a failed revocation attempt',
      200,
    );
    await setCredentials(ownerSecret, env.info.owner);
    await kube(ctx, ['wait', '--for=delete', `cad/${NAME}`, '--timeout=60s']);

    const text = await scrape();
    expect(sampleValue(text, 'ram_delegation_revocation_duration_seconds_count')).toBe(1);
    expect(text).toMatch(/ram_delegation_reconcile_total\{result="stalled"\} [1-9]/);
  }, 150_000);

  it('exports the lifecycle gauges of a delegation that expires, with a Programmatic user', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const example = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'lifecycle.yaml'), 'utf8');
    await kube(ctx, ['apply', '-f', '-'], example.replace(/expiresAt: ".*"/, `expiresAt: "${expiresAt}"`));
    await kube(ctx, ['wait', '--for=condition=Ready', 'cad/quarterly-auditor', '--timeout=60s']);
    const labels = 'namespace="default",name="quarterly-auditor"';
    const text = await eventually(
      async () => {
        const scraped = await scrape();
        return scraped.includes(`ram_delegation_access_key_idle_seconds{${labels},user="auditor"}`)
          ? scraped
          : undefined;
      },
      10_000,
      'the AccessKey gauges',
      200,
    );
    const toExpiry = sampleValue(text, `ram_delegation_seconds_to_expiry{${labels}}`);
    expect(toExpiry).toBeGreaterThan(29 * 86_400);
    expect(toExpiry).toBeLessThanOrEqual(30 * 86_400);
    expect(sampleValue(text, `ram_delegation_access_key_age_seconds{${labels},user="auditor"}`)).toBeLessThan(
      120,
    );
  }, 90_000);

  it('exports every metric, label and bucket the alerts and the dashboard use', async () => {
    const exposition = parseExposition(await scrape());
    const queries = monitoringQueries();
    expect(missingFromExposition(queries, exposition)).toEqual([]);
    // Every metric used has samples after the scenario, so its labels were checked too.
    expect(unsampledMetrics(queries, exposition)).toEqual([]);
  });

  it('fails the same check for a deliberately renamed copy of the rules and the dashboard', async () => {
    const exposition = parseExposition(await scrape());
    const rename = (text: string) =>
      text.replaceAll('ram_delegation_revocation_duration_seconds', 'ram_delegation_revocation_seconds');
    const renamed = monitoringQueries(
      rename(readFileSync(RULES_FILE, 'utf8')),
      rename(readFileSync(DASHBOARD_FILE, 'utf8')),
    );
    const problems = missingFromExposition(renamed, exposition);
    expect(problems).toContain(
      'alert RamDelegationRevocationSlow: ram_delegation_revocation_seconds_bucket is not exported',
    );
    expect(problems).toContain(
      'panel "Revocation latency histogram" target A: ram_delegation_revocation_seconds_bucket is not exported',
    );
    expect(problems.every((p) => p.includes('ram_delegation_revocation_seconds_'))).toBe(true);
  });

  it('fails the check when the operator renames a metric or a label', async () => {
    const text = await scrape();
    const renamedMetric = parseExposition(
      text.replaceAll('ram_delegation_leader', 'ram_delegation_is_leader'),
    );
    expect(missingFromExposition(monitoringQueries(), renamedMetric)).toEqual([
      'alert RamDelegationNoLeader: ram_delegation_leader is not exported',
      'alert RamDelegationOperatorAbsent: ram_delegation_leader is not exported',
      'panel "Leader" target A: ram_delegation_leader is not exported',
      'variable job: ram_delegation_leader is not exported',
    ]);
    const renamedLabel = parseExposition(text.replaceAll('{result="', '{outcome="'));
    expect(missingFromExposition(monitoringQueries(), renamedLabel)).toContain(
      'alert RamDelegationStalled: ram_delegation_reconcile_total has no label result',
    );
  });
});
