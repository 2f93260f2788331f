/**
 * Steady state: the operator restarted over N Ready delegations does its initial pass, then resyncs each
 * delegation once per `--resync-period`, at its own phase in the period (so the passes never pause).
 * A window opens once the first N passes (the initial ones) have finished and closes N passes later:
 * one resync of each delegation, on average. The calls the emulator counted in both accounts within the
 * window, divided by the passes that finished in it, are the calls per delegation per resync: reads,
 * and no write. Then 1,000 users that no delegation manages are created in account B and a second
 * window is counted: reads by name do not grow with the account. Finally the N delegations are deleted
 * (calls to delete). The operator's reconcile counter only delimits the windows; every call is the
 * emulator's count.
 */
import { createAccountPorts, staticCredentials, UNLIMITED } from '../src/alicloud/index.js';
import {
  deleteFleet,
  forEachBounded,
  RECONCILES,
  scrape,
  sleep,
  sumSamples,
  waitFleetGone,
} from '../test/reliability/fleet.js';
import { startBenchOperator, type BenchOperator } from './bench-operator.js';
import {
  diffCalls,
  isRead,
  isWrite,
  snapshotCalls,
  sumTallies,
  total,
  type AccountCalls,
} from './emulator-calls.js';
import { progress, round, type BenchEnvironment } from './support.js';

async function reconciles(metricsUrl: string): Promise<number> {
  return sumSamples(await scrape(metricsUrl), RECONCILES);
}

/** Waits until at least `target` passes have finished; returns how many have. */
async function passesReach(metricsUrl: string, target: number, deadline: number): Promise<number> {
  for (;;) {
    const now = await reconciles(metricsUrl);
    if (now >= target) return now;
    if (Date.now() > deadline) throw new Error(`reconcile passes stuck at ${now}, wanted ${target}`);
    await sleep(50);
  }
}

/**
 * The calls counted while `count` passes finish, from now: per pass, the calls of one delegation's
 * resync. Passes in flight at either end make the counts off by at most a few calls per worker.
 */
async function resyncWindow(
  emulatorUrl: string,
  accounts: string[],
  metricsUrl: string,
  count: number,
  deadline: number,
) {
  const [before, from] = [await snapshotCalls(emulatorUrl, accounts), await reconciles(metricsUrl)];
  const started = Date.now();
  const to = await passesReach(metricsUrl, from + count, deadline);
  const calls = callsBetween(await snapshotCalls(emulatorUrl, accounts), before);
  return { ...calls, passes: to - from, seconds: (Date.now() - started) / 1000 };
}

/** Reads and writes in both accounts between two snapshots. */
function callsBetween(after: AccountCalls, before: AccountCalls) {
  const tally = sumTallies(Object.values(diffCalls(after, before)));
  return { tally, reads: total(tally, isRead), writes: total(tally, isWrite), all: total(tally) };
}

async function createUnrelatedUsers(bench: BenchEnvironment, count: number): Promise<void> {
  const { info } = bench.env;
  const endpoint = info.emulatorUrl.replace(/^https?:\/\//, '');
  const { ram } = createAccountPorts({
    accountId: info.authorized.accountId,
    credentials: staticCredentials(info.authorized),
    endpoints: { ram: endpoint, sts: endpoint, protocol: 'http' },
    limiter: UNLIMITED,
  });
  const names = Array.from({ length: count }, (_, i) => `unrelated-${i}`);
  await forEachBounded(names, 16, async (userName) => {
    await ram.createUser({ userName, displayName: userName, comments: 'not managed by any delegation' });
  });
}

export interface SteadyStateOptions {
  resyncSeconds: number;
  unrelatedUsers: number;
  quick: boolean;
}

export async function measureSteadyState(
  bench: BenchEnvironment,
  names: readonly string[],
  options: SteadyStateOptions,
) {
  const { info } = bench.env;
  const accounts = [info.owner.accountId, info.authorized.accountId];
  const count = names.length;
  const { resyncSeconds } = options;
  progress(`steadyState: one resync of ${count} Ready delegations (--resync-period=${resyncSeconds}s)`);
  const start = await snapshotCalls(info.emulatorUrl, accounts);
  const operator: BenchOperator = await startBenchOperator(info, [
    `--resync-period=${resyncSeconds}s`,
    '--workers=8',
    '--account-qps=1000',
    '--account-burst=1000',
  ]);
  try {
    const deadline = () => Date.now() + resyncSeconds * 3_000 + 120_000;
    const { emulatorUrl } = info;
    const window = () => resyncWindow(emulatorUrl, accounts, operator.metricsUrl, count, deadline());
    const initialPasses = await passesReach(operator.metricsUrl, count, deadline());
    const initial = callsBetween(await snapshotCalls(emulatorUrl, accounts), start);
    progress(`steadyState: initial passes done (${initialPasses} passes, ${initial.writes} writes)`);

    const resync = await window();
    progress(
      `steadyState: ${resync.passes} resync passes ${JSON.stringify(resync.tally)}; ${options.unrelatedUsers} unrelated users in B`,
    );
    await createUnrelatedUsers(bench, options.unrelatedUsers);
    const withUsers = await window();
    progress(
      `steadyState: ${withUsers.passes} passes with unrelated users ${JSON.stringify(withUsers.tally)}`,
    );

    progress(`steadyState: deleting the ${count} delegations`);
    const beforeDelete = await snapshotCalls(info.emulatorUrl, accounts);
    const deleteStarted = Date.now();
    await deleteFleet(bench.fleet, names);
    await waitFleetGone(bench.fleet, 'converge', options.quick ? 60_000 : 600_000);
    const deleteSeconds = (Date.now() - deleteStarted) / 1000;
    const deletion = callsBetween(await snapshotCalls(info.emulatorUrl, accounts), beforeDelete);
    return {
      steadyState: {
        delegations: count,
        resyncPeriodSeconds: resyncSeconds,
        resyncPasses: resync.passes,
        writeCalls: resync.writes,
        readCalls: resync.reads,
        readCallsPerDelegation: round(resync.reads / resync.passes),
        readCallsPerDelegationWith1000UnrelatedUsers: round(withUsers.reads / withUsers.passes),
        unrelatedUsersInB: options.unrelatedUsers,
        writeCallsWithUnrelatedUsers: withUsers.writes,
        callsPerDelegation: round(resync.all / resync.passes),
        resyncCallsByAction: resync.tally,
        resyncWindowSeconds: round(resync.seconds),
        resyncWindowNote: 'the time N resync passes took: about one period, as each resyncs at its own phase',
        initialPassAfterRestart: {
          passes: initialPasses,
          writeCalls: initial.writes,
          readCalls: initial.reads,
        },
      },
      deletion: {
        calls: round(deletion.all / count),
        writes: round(deletion.writes / count),
        seconds: round(deleteSeconds),
        callsByAction: deletion.tally,
      },
    };
  } finally {
    await operator.stop();
  }
}
