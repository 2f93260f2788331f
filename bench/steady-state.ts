/**
 * Steady state: the operator restarted over N Ready delegations does its initial pass, then (after
 * `--resync-period`, jittered ±10%) one resync of each; the resync's calls are what the emulator counted
 * in both accounts between the end of the initial pass and the end of the resync: reads, and no write.
 * Then 1,000 users that no delegation manages are created in account B and one more resync is counted:
 * reads by name do not grow with the account. Finally the N delegations are deleted (calls to delete).
 * The operator's reconcile counter only marks the windows; every call figure is the emulator's.
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

/** Waits until at least `target` passes have finished and the count has not moved for `quietMs`. */
async function settle(
  metricsUrl: string,
  target: number,
  quietMs: number,
  deadline: number,
): Promise<number> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const now = await reconciles(metricsUrl);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (now >= target && Date.now() - since >= quietMs) {
      return now;
    }
    if (Date.now() > deadline) throw new Error(`reconcile passes stuck at ${now}, wanted ${target}`);
    await sleep(50);
  }
}

/** Waits for `count` more passes after `from`; returns when the first and the last of them finished. */
async function oneRound(metricsUrl: string, from: number, count: number, deadline: number) {
  let firstAt = 0;
  let lastAt = 0;
  let passes = from;
  while (passes < from + count) {
    if (Date.now() > deadline) throw new Error(`resync: ${passes - from}/${count} passes`);
    await sleep(20);
    const now = await reconciles(metricsUrl);
    if (now > passes) {
      if (firstAt === 0) firstAt = Date.now();
      lastAt = Date.now();
    }
    passes = now;
  }
  return { passes, spreadSeconds: (lastAt - firstAt) / 1000 };
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
    const quietMs = Math.min(1_500, resyncSeconds * 200);
    const initialPasses = await settle(operator.metricsUrl, count, quietMs, deadline());
    const afterInitial = await snapshotCalls(info.emulatorUrl, accounts);
    const initial = callsBetween(afterInitial, start);
    progress(`steadyState: initial pass done (${initialPasses} passes, ${initial.writes} writes)`);

    const round1 = await oneRound(operator.metricsUrl, initialPasses, count, deadline());
    const afterResync = await snapshotCalls(info.emulatorUrl, accounts);
    const resync = callsBetween(afterResync, afterInitial);
    progress(
      `steadyState: resync ${JSON.stringify(resync.tally)}; ${options.unrelatedUsers} unrelated users in B`,
    );

    await createUnrelatedUsers(bench, options.unrelatedUsers);
    const afterUsers = await snapshotCalls(info.emulatorUrl, accounts);
    const round2 = await oneRound(operator.metricsUrl, round1.passes, count, deadline());
    const withUsers = callsBetween(await snapshotCalls(info.emulatorUrl, accounts), afterUsers);
    progress(`steadyState: resync with unrelated users ${JSON.stringify(withUsers.tally)}`);

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
        writeCalls: resync.writes,
        readCalls: resync.reads,
        readCallsPerDelegation: round(resync.reads / count),
        readCallsPerDelegationWith1000UnrelatedUsers: round(withUsers.reads / count),
        unrelatedUsersInB: options.unrelatedUsers,
        writeCallsWithUnrelatedUsers: withUsers.writes,
        callsPerDelegation: round(resync.all / count),
        resyncCallsByAction: resync.tally,
        resyncSpreadSeconds: round(round1.spreadSeconds),
        resyncSpreadNote: 'first to last resync pass; the ±10% jitter spreads them on purpose',
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
      round2SpreadSeconds: round(round2.spreadSeconds),
    };
  } finally {
    await operator.stop();
  }
}
