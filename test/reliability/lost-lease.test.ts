/**
 * Issue 13 acceptance, leadership loss: a leader cut off from the API server (a TCP proxy between it
 * and the server is cut) stops making cloud calls before its lease could expire for anyone else. The
 * emulator's call counter is the witness: no call from that replica lands after its renew deadline
 * (plus the emulator's latency) and before the lease duration ends, although its revocations were in
 * the middle of slow cloud work when the cut came (without the abort they go on calling the cloud for
 * many seconds: checked by disabling it). It then exits.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCounts } from '@ram-delegation/alicloud-emulator';
import {
  spawnOperator,
  startSandboxEnvironment,
  type OperatorProcess,
  type SandboxEnvironment,
} from '@ram-delegation/sandbox';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createFleet, deleteFleet, fleetFor, setFaults, sleep, waitFleetReady } from './fleet.js';

const LEASE_MS = 20_000;
const RENEW_DEADLINE_MS = 4_000;
const EMULATOR_LATENCY_MS = 2_000;

/** Every call the emulator counted in both sandbox accounts. */
async function totalCalls(env: SandboxEnvironment): Promise<{ all: number; writes: number }> {
  let all = 0;
  let writes = 0;
  for (const account of [env.info.owner, env.info.authorized]) {
    for (const [action, count] of Object.entries(await callCounts(env.info.emulatorUrl, account.accountId))) {
      all += count;
      if (!/^(ram|sts):(Get|List|AssumeRole)/.test(action)) writes += count;
    }
  }
  return { all, writes };
}

let env: SandboxEnvironment;
let operator: OperatorProcess;

beforeAll(async () => {
  env = await startSandboxEnvironment({ stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-lease-')) });
}, 60_000);

afterAll(async () => {
  await operator?.stop('SIGKILL');
  await env?.stop();
});

describe('a leader that loses its lease', () => {
  it('makes no cloud call after its renew deadline, before the lease could expire, and exits', async () => {
    const proxy = await startTcpProxy(env.kubeApiServer.port);
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'ram-delegation-proxy-')), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      readFileSync(env.info.operator.kubeconfig, 'utf8').replace(
        `:${env.kubeApiServer.port}`,
        `:${proxy.port}`,
      ),
    );
    operator = spawnOperator({
      sandbox: { ...env.info, operator: { ...env.info.operator, kubeconfig } },
      leaderElect: true,
      identity: 'cut-off',
      extraArgs: [
        `--lease-duration=${LEASE_MS}ms`,
        `--renew-deadline=${RENEW_DEADLINE_MS}ms`,
        '--retry-period=1s',
      ],
    });
    await operator.waitForLine(/started leading/, 30_000);
    const fleet = fleetFor(env.info);
    const names = await createFleet(fleet, 'lease', 6, 'withUser');
    await waitFleetReady(fleet, 'lease', 6, 60_000);
    // Slow cloud calls, then revocations: each is a long stretch of cloud work (detach, delete role and
    // policies, clean B) with no Kubernetes request until its end, so they are mid-way at the cut.
    await setFaults(env.info.emulatorUrl, { latencyMs: EMULATOR_LATENCY_MS });
    const ready = await totalCalls(env);
    await deleteFleet(fleet, names);
    for (let waited = 0; (await totalCalls(env)).writes < ready.writes + 4; waited += 250) {
      if (waited > 60_000) throw new Error('the operator made no cloud write');
      await sleep(250);
    }
    // Still busy in the cloud right up to the cut.
    const busy = await totalCalls(env);
    await sleep(3_000);
    expect((await totalCalls(env)).all).toBeGreaterThan(busy.all);

    await proxy.cut();
    const cutAt = Date.now();
    const exited = new Promise<number | string>((resolve) =>
      operator.child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
    // Its last renewal started before the cut, so its renew deadline is at most cutAt + 4 s; a call
    // sent just before then is counted once the emulator's latency has passed.
    await sleep(RENEW_DEADLINE_MS + EMULATOR_LATENCY_MS + 500 - (Date.now() - cutAt));
    const atDeadline = await totalCalls(env);
    // The lease ran at least until (last renewal ≥ cut − retry period) + lease duration.
    await sleep(LEASE_MS - 1_000 - 200 - (Date.now() - cutAt));
    const beforeExpiry = await totalCalls(env);
    console.log(
      `calls: at the cut ${JSON.stringify(busy)}, renew deadline + latency ${JSON.stringify(atDeadline)}, before expiry ${JSON.stringify(beforeExpiry)}`,
    );
    expect(beforeExpiry).toEqual(atDeadline);
    expect(operator.lines.some((line) => line.includes('lost leadership'))).toBe(true);
    expect(await Promise.race([exited, sleep(10_000).then(() => 'still running')])).toBe(1);
  }, 120_000);
});
