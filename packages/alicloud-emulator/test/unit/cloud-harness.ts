/**
 * Drives the emulator's cloud model directly (no HTTP): a backend with a controllable clock and a
 * seeded random, two accounts, and helpers that resolve credentials exactly as the wire layer does
 * (resolveAccessKey, then handle) so authorization runs on every call.
 */
import { expect } from 'vitest';
import type { ApiError, Product } from '../../src/contract.js';
import { createCloudBackend } from '../../src/cloud/index.js';
import { seededRandom } from '../../src/server/fault-injector.js';

export const ACCOUNT_A = '1111111111111111';
export const ACCOUNT_B = '2222222222222222';

export interface Credentials {
  accessKeyId: string;
  securityToken?: string;
}

export function createHarness(seed = 42) {
  let now = new Date('2026-11-23T10:00:00Z');
  const backend = createCloudBackend({ clock: () => now, random: seededRandom(seed) });
  const rootA = backend.createAccount(ACCOUNT_A, 'enterprise-a');
  const rootB = backend.createAccount(ACCOUNT_B, 'enterprise-b');
  let requests = 0;

  /** Resolves the credentials exactly as the wire layer does and builds the request context. */
  function requestContext(creds: Credentials, requestId: string) {
    const identity = backend.resolveAccessKey(creds.accessKeyId, creds.securityToken, now);
    return {
      principal: identity.principal,
      params: {} as Record<string, string>,
      sourceIp: '10.0.0.7',
      secureTransport: false,
      now,
      requestId,
    };
  }

  function call(
    product: Product,
    action: string,
    params: Record<string, string | number | boolean>,
    creds: Credentials,
  ) {
    requests += 1;
    const context = requestContext(creds, `req-${requests}`);
    const stringParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
    return backend.handle(product, action, { ...context, params: stringParams });
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
    context: (creds: Credentials) => requestContext(creds, 'req-pe'),
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

/** Runs `fn` and checks it threw the ApiError `code` with HTTP `status`; returns the error. */
export function expectError(fn: () => unknown, code: string, status: number): ApiError {
  const error = apiErrorOf(fn);
  expect({ code: error.code, status: error.httpStatus }).toEqual({ code, status });
  return error;
}

/** A CloudEvent (structured JSON form) as PutEvents takes it. */
export const event = (id: string) => ({
  id,
  source: 'test',
  type: 'order.created',
  specversion: '1.0',
  data: { id },
});

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
