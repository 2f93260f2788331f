/**
 * Drives the emulator's cloud model directly (no HTTP): a backend with a controllable clock and a
 * seeded random, two accounts, and helpers that resolve credentials exactly as the wire layer does
 * (resolveAccessKey, then handle) so authorization runs on every call.
 */
import type { ApiError, Product } from '../../src/sandbox/emulator/contract.js';
import { createCloudBackend } from '../../src/sandbox/emulator/cloud/index.js';

export const ACCOUNT_A = '1111111111111111';
export const ACCOUNT_B = '2222222222222222';

export interface Credentials {
  accessKeyId: string;
  securityToken?: string;
}

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createHarness(seed = 42) {
  let now = new Date('2026-11-23T10:00:00Z');
  const backend = createCloudBackend({ clock: () => now, random: seededRandom(seed) });
  const rootA = backend.createAccount(ACCOUNT_A, 'enterprise-a');
  const rootB = backend.createAccount(ACCOUNT_B, 'enterprise-b');
  let requests = 0;

  function call(
    product: Product,
    action: string,
    params: Record<string, string | number | boolean>,
    creds: Credentials,
  ) {
    const identity = backend.resolveAccessKey(creds.accessKeyId, creds.securityToken, now);
    const stringParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
    requests += 1;
    return backend.handle(product, action, {
      principal: identity.principal,
      params: stringParams,
      sourceIp: '10.0.0.7',
      secureTransport: false,
      now,
      requestId: `req-${requests}`,
    });
  }

  return {
    backend,
    rootA: { accessKeyId: rootA.accessKeyId } as Credentials,
    rootB: { accessKeyId: rootB.accessKeyId } as Credentials,
    ram: (creds: Credentials, action: string, params: Record<string, string | number | boolean> = {}) =>
      call('ram', action, params, creds),
    sts: (creds: Credentials, action: string, params: Record<string, string | number | boolean> = {}) =>
      call('sts', action, params, creds),
    now: () => now,
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
    /** Resolves the credentials and builds a RequestContext, for putEvents. */
    context(creds: Credentials) {
      const identity = backend.resolveAccessKey(creds.accessKeyId, creds.securityToken, now);
      return {
        principal: identity.principal,
        params: {},
        sourceIp: '10.0.0.7',
        secureTransport: false,
        now,
        requestId: 'req-pe',
      };
    },
  };
}

export type Harness = ReturnType<typeof createHarness>;

/** Runs `fn` and returns the ApiError it threw (fails the test if it did not throw one). */
export function apiErrorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error && error.name === 'ApiError') return error as ApiError;
    throw error;
  }
  throw new Error('expected an ApiError, nothing was thrown');
}

export const trustAccount = (accountId: string) =>
  JSON.stringify({
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } },
    ],
  });

export const allowDoc = (action: string | string[], resource: string | string[] = '*') =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

export const denyDoc = (action: string | string[], resource: string | string[] = '*') =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: action, Resource: resource }] });
