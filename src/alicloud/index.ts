/**
 * The Alibaba Cloud side of the operator: build the ports for one account from its credentials.
 *
 * Typical use (the operator, per delegation and account):
 *   const credentials = resolveCredentials({ source, assumeRole, endpoints });
 *   const ports = createAccountPorts({ accountId, credentials, endpoints, limiter: limiters.forAccount(accountId), observer });
 *   await verifyAccount(ports.sts, accountId);   // or: await openAccount(...)
 */
import { DEFAULT_THROTTLE_RETRY, type CallContext, type ThrottleRetryPolicy } from './call.js';
import { createRamClient, createStsClient, type CloudEndpoints } from './clients.js';
import { verifyAccount } from './credentials.js';
import type { CredentialsProvider } from './credentials-types.js';
import type { CallObserver, RamPort, StsPort } from './ports.js';
import type { RateLimiter } from './rate-limiter.js';
import { createRamPort } from './ram-port.js';
import { createStsPort } from './sts-port.js';

export interface AccountPortsOptions {
  /** The declared account; labels every call and becomes `RamPort.accountId`. */
  accountId: string;
  credentials: CredentialsProvider;
  endpoints: CloudEndpoints;
  /** This account's limiter (share one per account: `AccountRateLimiters.forAccount`). */
  limiter: RateLimiter;
  observer?: CallObserver;
  throttleRetry?: ThrottleRetryPolicy;
  /** Items per page of RAM list calls; default 100. */
  pageSize?: number;
  /** Injected in tests (throttling retry delays). */
  sleep?: (ms: number) => Promise<void>;
  /** Once aborted, no new call starts (see `CallContext.signal`). */
  signal?: AbortSignal;
}

/** Structurally the engine's `AccountPorts` (src/delegation/context.ts). */
export interface AccountPorts {
  ram: RamPort;
  sts: StsPort;
}

/** Builds the RAM and STS ports of one account. Makes no call: see {@link openAccount} to also verify. */
export function createAccountPorts(options: AccountPortsOptions): AccountPorts {
  const call: CallContext = {
    accountId: options.accountId,
    limiter: options.limiter,
    throttleRetry: options.throttleRetry ?? DEFAULT_THROTTLE_RETRY,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return {
    ram: createRamPort(createRamClient(options.endpoints, options.credentials), call, {
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    }),
    sts: createStsPort(createStsClient(options.endpoints, options.credentials), call),
  };
}

/** {@link createAccountPorts}, then GetCallerIdentity must name the declared account (else a `CredentialsAccountMismatchError`). */
export async function openAccount(options: AccountPortsOptions): Promise<AccountPorts> {
  const ports = createAccountPorts(options);
  await verifyAccount(ports.sts, options.accountId);
  return ports;
}

export type * from './ports.js';
export type { CloudEndpoints } from './clients.js';
export type { CredentialSource } from './credentials-types.js';
export { resolveCredentials, staticCredentials } from './credentials.js';
export { AccountRateLimiters, TokenBucket, UNLIMITED } from './rate-limiter.js';
export { withCallPriority } from './call-priority.js';
