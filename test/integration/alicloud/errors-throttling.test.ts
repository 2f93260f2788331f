import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccountPorts,
  staticCredentials,
  TokenBucket,
  UNLIMITED,
} from '../../../src/alicloud/index.js';
import { callRecorder, EmulatorFixture, type RootKey } from './fixture.js';

const A = '1111111111111111';

let fixture: EmulatorFixture;
let rootA: RootKey;

beforeAll(async () => {
  fixture = await EmulatorFixture.start();
  rootA = await fixture.createAccount(A);
});

afterEach(async () => {
  await fixture.clearFaults();
});

afterAll(async () => {
  await fixture?.stop();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('service error codes through the real SDK', () => {
  it('an unknown AccessKey is Forbidden (InvalidAccessKeyId.NotFound)', async () => {
    const { ram } = fixture.ports({
      accountId: A,
      accessKeyId: 'LTAI0000000000000000',
      accessKeySecret: 'nope',
    });
    await expect(ram.getRole('any')).rejects.toMatchObject({
      kind: 'Forbidden',
      code: 'InvalidAccessKeyId.NotFound',
      details: { statusCode: 404 },
    });
  });

  it('a RAM user without permission is Forbidden with the access denied detail', async () => {
    const root = fixture.ports(rootA, { accountId: A }).ram;
    await root.createUser({ userName: 'nobody', displayName: 'nobody', comments: '' });
    const key = await root.createAccessKey('nobody');
    const { ram } = fixture.ports({ ...key, accountId: A });
    const error = await ram
      .createRole({ roleName: 'x-role', trustPolicy: '{}', description: '', maxSessionDuration: 3600 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'Forbidden',
      code: 'NoPermission',
      details: { action: 'CreateRole', statusCode: 403 },
    });
    expect((error as { details: { accessDeniedDetail?: unknown } }).details.accessDeniedDetail).toMatchObject(
      { AuthAction: 'ram:CreateRole' },
    );
  });

  it('an injected 5xx is Transient', async () => {
    await fixture.setFaults({ errorRate: 1 });
    const { ram } = fixture.ports(rootA, { accountId: A });
    const error = await ram.getRole('any').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Transient' });
    expect((error as { details: { statusCode: number } }).details.statusCode).toBeGreaterThanOrEqual(500);
  });
});

describe('failures below the service', () => {
  it('a refused connection is Transient ECONNREFUSED', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { ram } = createAccountPorts({
      accountId: A,
      credentials: staticCredentials(rootA),
      endpoints: { ram: `127.0.0.1:${port}`, sts: `127.0.0.1:${port}`, protocol: 'http' },
      limiter: UNLIMITED,
    });
    await expect(ram.getRole('any')).rejects.toMatchObject({ kind: 'Transient', code: 'ECONNREFUSED' });
  });

  it('a slow answer beyond the read timeout is Transient', async () => {
    await fixture.setFaults({ latencyMs: 1500 });
    const { ram } = fixture.ports(rootA, {
      accountId: A,
      endpoints: { ...fixture.endpoints, readTimeoutMs: 300 },
    });
    await expect(ram.getRole('any')).rejects.toMatchObject({ kind: 'Transient', code: 'RequestTimeout' });
  });

  it('a timed-out CreateLoginProfile does not leak the password into the error', async () => {
    const root = fixture.ports(rootA, { accountId: A }).ram;
    await root.createUser({ userName: 'slow-alice', displayName: 'slow', comments: '' });
    await fixture.setFaults({ latencyMs: 1500 });
    const { ram } = fixture.ports(rootA, {
      accountId: A,
      endpoints: { ...fixture.endpoints, readTimeoutMs: 300 },
    });
    const password = 'Leak-Canary-Passw0rd!';
    const error = await ram
      .createLoginProfile('slow-alice', { password, passwordResetRequired: true, mfaBindRequired: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Transient', code: 'RequestTimeout' });
    expect(
      JSON.stringify({ message: (error as Error).message, details: (error as { details: unknown }).details }),
    ).not.toContain('Leak-Canary');
  });

  it('a non-JSON error page (a proxy in the way) is Transient', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    const port = await listen(server);
    try {
      const { ram } = createAccountPorts({
        accountId: A,
        credentials: staticCredentials(rootA),
        endpoints: { ram: `127.0.0.1:${port}`, protocol: 'http' },
        limiter: UNLIMITED,
      });
      await expect(ram.listUsers()).rejects.toMatchObject({
        kind: 'Transient',
        code: 'MalformedResponse',
        details: { action: 'ListUsers' },
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('throttling', () => {
  it('retries a bounded number of times after x-acs-retry-after, then reports Throttled', async () => {
    await fixture.setFaults({ throttleRate: 1, throttleRetryAfterMs: 40 });
    const recorder = callRecorder();
    const sleeps: number[] = [];
    const { ram } = fixture.ports(rootA, {
      accountId: A,
      observer: recorder,
      throttleRetry: { maxRetries: 2, defaultDelayMs: 1000, maxDelayMs: 5000 },
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    const error = await ram.getRole('any').catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'Throttled',
      code: 'Throttling.User',
      details: { retryAfterMs: 40, action: 'GetRole' },
    });
    expect(recorder.calls.map((c) => c.errorCode)).toEqual([
      'Throttling.User',
      'Throttling.User',
      'Throttling.User',
    ]);
    expect(sleeps).toEqual([40, 40]);
  });

  it('a per-account QPS limit throttles an unlimited burst', async () => {
    await fixture.setFaults({ qpsPerAccount: 10 });
    const { ram } = fixture.ports(rootA, {
      accountId: A,
      throttleRetry: { maxRetries: 0, defaultDelayMs: 0, maxDelayMs: 0 },
    });
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => ram.getRole('any')));
    const throttled = results.filter(
      (r) => r.status === 'rejected' && (r.reason as { kind?: string }).kind === 'Throttled',
    );
    expect(throttled.length).toBeGreaterThan(0);
    expect((throttled[0] as PromiseRejectedResult).reason).toMatchObject({
      details: { retryAfterMs: expect.any(Number) },
    });
  });

  it('the client-side limiter keeps the same burst under the limit', async () => {
    await fixture.setFaults({ qpsPerAccount: 10 });
    const recorder = callRecorder();
    const { ram } = fixture.ports(rootA, {
      accountId: A,
      observer: recorder,
      limiter: new TokenBucket({ qps: 8, burst: 5 }),
      throttleRetry: { maxRetries: 0, defaultDelayMs: 0, maxDelayMs: 0 },
    });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 25 }, () => ram.getRole('any')));
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(recorder.calls.filter((c) => c.errorCode === 'Throttling.User')).toEqual([]);
    // 20 calls beyond the burst at 8/s.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2400);
  });
});
