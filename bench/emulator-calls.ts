/**
 * Cloud calls as the emulator counted them (`GET /_emulator/accounts/{id}/calls`), the ground truth for
 * every call figure of the benchmarks: each signed call counts once for the account of the identity
 * that signed it, under `<service>:<Action>`, answered, refused or throttled. (An STS session's calls,
 * such as `eventbridge:PutEvents`, count for its role's account; `sts:AssumeRole` for the caller's.)
 */
import { callCounts } from '@ram-delegation/alicloud-emulator';

/** Calls by `<service>:<Action>`, e.g. `{ "ram:GetRole": 3 }`. */
export type CallTally = Record<string, number>;

/** Each account's tally, by account id. */
export type AccountCalls = Record<string, CallTally>;

export async function snapshotCalls(
  emulatorUrl: string,
  accountIds: readonly string[],
): Promise<AccountCalls> {
  const entries = await Promise.all(
    accountIds.map(async (id) => [id, await callCounts(emulatorUrl, id)] as const),
  );
  return Object.fromEntries(entries);
}

/** What `after` counts beyond `before`, without the zeros. */
export function diffTally(after: CallTally, before: CallTally = {}): CallTally {
  const diff: CallTally = {};
  for (const [key, count] of Object.entries(after)) {
    const delta = count - (before[key] ?? 0);
    if (delta !== 0) diff[key] = delta;
  }
  return diff;
}

export function diffCalls(after: AccountCalls, before: AccountCalls): AccountCalls {
  return Object.fromEntries(Object.entries(after).map(([id, tally]) => [id, diffTally(tally, before[id])]));
}

/** The sum of several tallies. */
export function sumTallies(tallies: readonly CallTally[]): CallTally {
  const sum: CallTally = {};
  for (const tally of tallies)
    for (const [key, count] of Object.entries(tally)) sum[key] = (sum[key] ?? 0) + count;
  return Object.fromEntries(Object.entries(sum).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function total(tally: CallTally, which: (key: string) => boolean = () => true): number {
  return Object.entries(tally).reduce((sum, [key, count]) => (which(key) ? sum + count : sum), 0);
}

/** A read: RAM's Get* and List*, and STS GetCallerIdentity. */
export function isRead(key: string): boolean {
  return /^ram:(Get|List)/.test(key) || key === 'sts:GetCallerIdentity';
}

/** A write: every RAM call that is not a read. (`sts:AssumeRole` is neither: it is the verification.) */
export function isWrite(key: string): boolean {
  return key.startsWith('ram:') && !isRead(key);
}
