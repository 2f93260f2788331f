/**
 * The operator's memory with N Ready delegations, run as in the image: the built operator
 * (`node dist/cli.js operator`, so `npm run build` first), not through tsx. Our API server and the
 * emulator run in this process; N delegations of the minimal shape are spread over account pairs
 * (RAM's quotas), brought to Ready by the operator, and its RSS is read idle and once all are Ready.
 * With `--heap-snapshot`, the operator writes a V8 heap snapshot (through `--heapsnapshot-signal`)
 * into the printed directory once all are Ready and settled.
 *
 * Prints ONE JSON document on stdout; progress goes to stderr.
 *
 *   tsx --conditions=source bench/memory.ts [--delegations 2000] [--settle-seconds 60]
 *     [--resync-period 1h] [--heap-snapshot]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { operatorPaths, startSandboxEnvironment } from '@ram-delegation/sandbox';
import {
  createFleet,
  fleetFor,
  rssMiB,
  scrape,
  sleep,
  sumSamples,
  waitFleetReady,
} from '../test/reliability/fleet.js';
import { freePort } from './bench-operator.js';
import { addAccountPairs, DELEGATIONS_PER_PAIR } from './owner-accounts.js';

const { values } = parseArgs({
  options: {
    delegations: { type: 'string', default: '2000' },
    'heap-snapshot': { type: 'boolean', default: false },
    'settle-seconds': { type: 'string', default: '60' },
    'resync-period': { type: 'string', default: '1h' },
    'node-option': { type: 'string', multiple: true, default: [] },
  },
});
const count = Number(values.delegations);
const settleSeconds = Number(values['settle-seconds']);
const MiB = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** The operator's memory now: RSS and anonymous memory from /proc, the V8 heap from its own metrics. */
async function sample(pid: number, metricsUrl: string) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const anonymous = Number(/Anonymous:\s+(\d+) kB/.exec(rollup)?.[1] ?? 0) * 1024;
  const metrics = await scrape(metricsUrl);
  const metric = (name: string) => sumSamples(metrics, `ram_delegation_${name}`);
  return {
    rssMiB: rssMiB(pid),
    anonymousMiB: MiB(anonymous),
    heapTotalMiB: MiB(metric('nodejs_heap_size_total_bytes')),
    heapUsedMiB: MiB(metric('nodejs_heap_size_used_bytes')),
    externalMiB: MiB(metric('nodejs_external_memory_bytes')),
  };
}
const progress = (message: string) =>
  process.stderr.write(`[memory ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main(): Promise<void> {
  const cli = join(operatorPaths.root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const stateDir = mkdtempSync(join(tmpdir(), 'ram-delegation-memory-'));
  const env = await startSandboxEnvironment({ stateDir });
  const port = await freePort();
  const endpoint = env.info.emulatorUrl.replace(/^https?:\/\//, '');
  const child = spawn(
    process.execPath,
    [
      '--heapsnapshot-signal=SIGUSR2',
      ...(values['node-option'] ?? []),
      cli,
      'operator',
      `--kubeconfig=${env.info.kubeconfig}`,
      `--ram-endpoint=${endpoint}`,
      `--sts-endpoint=${endpoint}`,
      '--alicloud-protocol=http',
      '--cluster-name=bench',
      `--resync-period=${values['resync-period']}`,
      '--workers=16',
      '--account-qps=10000',
      '--account-burst=10000',
      '--log-level=warn',
      `--bind-address=127.0.0.1:${port}`,
    ],
    { cwd: stateDir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  try {
    for (let waited = 0; ; waited += 100) {
      if (
        await scrape(metricsUrl).then(
          () => true,
          () => false,
        )
      )
        break;
      if (waited > 30_000) throw new Error('the operator did not start');
      await sleep(100);
    }
    await sleep(2_000);
    const idle = rssMiB(child.pid ?? -1);
    progress(`idle RSS ${idle} MiB; creating ${count} delegations`);
    const pairs = [
      env.info,
      ...(await addAccountPairs(env.info, Math.max(0, Math.ceil(count / DELEGATIONS_PER_PAIR) - 1))),
    ];
    const fleet = fleetFor(env.info);
    const started = Date.now();
    let peakRssMiB = 0;
    const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, rssMiB(child.pid ?? -1))), 1_000);
    await createFleet(fleet, 'memory', count, 'minimal', 32, pairs);
    await waitFleetReady(fleet, 'memory', count, 1_800_000, 5_000);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    progress(`all Ready in ${seconds} s`);
    const atReady = await sample(child.pid ?? -1, metricsUrl);
    progress(`at Ready: ${JSON.stringify(atReady)}`);
    // The SDK keeps each request until its read timeout (15 s) passes; let that and the garbage settle,
    // and follow the RSS meanwhile.
    const trace: number[] = [];
    for (let waited = 0; waited < settleSeconds; waited += 10) {
      await sleep(10_000);
      trace.push(rssMiB(child.pid ?? -1));
    }
    const settled = await sample(child.pid ?? -1, metricsUrl);
    progress(`settled: ${JSON.stringify(settled)}; RSS every 10 s: ${trace.join(', ')}`);
    let snapshot: string | undefined;
    if (values['heap-snapshot']) {
      child.kill('SIGUSR2');
      for (let waited = 0; waited < 120_000 && !snapshot; waited += 1_000) {
        await sleep(1_000);
        const file = readdirSync(stateDir).find((name) => name.endsWith('.heapsnapshot'));
        if (file) snapshot = join(stateDir, file);
      }
      await sleep(5_000);
    }
    const result = {
      delegations: count,
      accountPairs: pairs.length,
      secondsToAllReady: seconds,
      operatorRssMiBIdle: idle,
      peakRssMiBWhileConverging: peakRssMiB,
      atReady,
      settled: { afterSeconds: settleSeconds, ...settled },
      settleRssMiBEvery10s: trace,
      rssBytesPerDelegation: Math.round(((settled.rssMiB - idle) * 2 ** 20) / count),
      resyncPeriod: values['resync-period'],
      nodeOptions: values['node-option'],
      heapSnapshot: snapshot,
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    child.kill('SIGTERM');
    await env.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`memory bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
