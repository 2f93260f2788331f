/**
 * The ground truth about cloud calls: every call whose signature verified counts once for the account
 * of the identity that signed it, under `<service>:<Action>` (`ram:GetRole`, `sts:AssumeRole`,
 * `eventbridge:PutEvents`), refused or not; an STS session counts for its role's account. A call with a
 * bad signature or an unknown AccessKey names no verified identity, so it counts nowhere. A long-lived
 * AccessKey (root or RAM user; STS keys are not RAM AccessKeys) also records the call as its last use.
 * Counts last until the emulator is reset.
 */
import { ApiError, type Principal, type Service } from '../contract.js';
import type { World } from './model.js';

export function recordSignedCall(
  world: World,
  principal: Principal,
  service: Service,
  action: string,
  at: Date,
): void {
  const account = world.accounts.get(principal.accountId);
  if (!account) return;
  const key = `${service}:${action}`;
  account.calls.set(key, (account.calls.get(key) ?? 0) + 1);
  if (principal.kind !== 'assumed-role') world.accessKeyLastUsed.set(principal.accessKeyId, at);
}

export function callCounts(world: World, accountId: string): Record<string, number> {
  const account = world.accounts.get(accountId);
  if (!account) throw new ApiError('EntityNotExist.Account', 404, `The account not exists: ${accountId}.`);
  return Object.fromEntries([...account.calls].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
