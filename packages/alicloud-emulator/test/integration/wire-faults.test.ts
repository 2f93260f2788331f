import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { seededRandom } from '../../src/server/fault-injector.js';
import { adminCall, createAccount } from '../../src/admin-client.js';
import { createWireTestBackend, type WireTestBackend } from './wire-backend.js';
import {
  StsClient,
  cloudEvent,
  eventBridgeClient,
  sdkConfig,
  sdkError,
  type ClientCredentials,
} from './wire-clients.js';

const ACCOUNT_A = '1111111111111111';
const ACCOUNT_B = '2222222222222222';

describe('emulator wire: fault injection', () => {
  let backend: WireTestBackend;
  let emulator: RunningEmulator;
  let endpoint: string;
  let a: ClientCredentials;
  let b: ClientCredentials;

  beforeAll(async () => {
    backend = createWireTestBackend();
    emulator = await startEmulator({ port: 0, backend, random: seededRandom(42), log: () => undefined });
    endpoint = `127.0.0.1:${emulator.port}`;
  });
  afterAll(async () => emulator.stop());
  beforeEach(async () => {
    expect((await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' })).status).toBe(204);
    a = await createAccount(emulator.url, ACCOUNT_A);
    b = await createAccount(emulator.url, ACCOUNT_B);
  });

  const putFaults = (body: unknown) => adminCall(emulator.url, 'PUT', '/_emulator/faults', body);

  const callerIdentity = (credentials: ClientCredentials) =>
    new StsClient(sdkConfig(endpoint, credentials)).getCallerIdentity();

  it('throttleRate 1 answers every call Throttling.User with x-acs-retry-after, read by the SDK as retryAfter', async () => {
    expect((await putFaults({ throttleRate: 1, throttleRetryAfterMs: 750 })).status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      const error = await sdkError(callerIdentity(a));
      expect(error).toBeInstanceOf(ThrottlingError);
      expect([error.code, error.statusCode, error.retryAfter]).toEqual(['Throttling.User', 400, 750]);
    }
    const eventBridge = await sdkError(
      eventBridgeClient(endpoint, a).putEvents([cloudEvent('x', 'orders', {})]),
    );
    expect(eventBridge.code).toBe('Throttling.User');
    // The admin API is never faulted.
    expect((await fetch(`${emulator.url}/_emulator/accounts/${ACCOUNT_A}/state`)).status).toBe(200);
  });

  it('throttleRate 0.5 throttles about half of the calls (seeded)', async () => {
    await putFaults({ throttleRate: 0.5 });
    let throttled = 0;
    for (let i = 0; i < 60; i += 1) {
      try {
        await callerIdentity(a);
      } catch (error) {
        expect(error).toBeInstanceOf(ThrottlingError);
        throttled += 1;
      }
    }
    expect(throttled).toBeGreaterThan(15);
    expect(throttled).toBeLessThan(45);
  });

  it('errorRate 1 answers 500 InternalError or 503 ServiceUnavailable', async () => {
    await putFaults({ errorRate: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i += 1) {
      const error = await sdkError(callerIdentity(a));
      expect(error).toBeInstanceOf(ServerError);
      seen.add(`${String(error.statusCode)} ${String(error.code)}`);
    }
    expect([...seen].sort()).toEqual(['500 InternalError', '503 ServiceUnavailable']);
    expect((await fetch(`${emulator.url}/_emulator/faults`)).status).toBe(200);
  });

  it('qpsPerAccount limits each caller account separately and tells when a token is free', async () => {
    await putFaults({ qpsPerAccount: 3 });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => callerIdentity(a)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes
      .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      .map((o) => o.reason as ThrottlingError);
    expect(refused).toHaveLength(3);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ThrottlingError);
      expect(error.retryAfter).toBeGreaterThan(0);
      expect(error.retryAfter).toBeLessThanOrEqual(334);
    }
    // Another account has its own bucket.
    expect((await callerIdentity(b)).statusCode).toBe(200);
    // After the advertised wait a token is free again.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(...refused.map((e) => e.retryAfter ?? 0)) + 20),
    );
    expect((await callerIdentity(a)).statusCode).toBe(200);
  });

  it('latencyMs delays RAM/STS calls but not admin routes', async () => {
    await putFaults({ latencyMs: 300 });
    let started = performance.now();
    await callerIdentity(a);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    started = performance.now();
    await fetch(`${emulator.url}/_emulator/accounts/${ACCOUNT_A}/state`);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('PUT /_emulator/faults updates only the given fields and names a bad one', async () => {
    expect((await putFaults({ latencyMs: 5 })).body).toMatchObject({
      latencyMs: 5,
      throttleRate: 0,
      errorRate: 0,
      qpsPerAccount: 0,
    });
    expect((await putFaults({ errorRate: 0.25 })).body).toMatchObject({ latencyMs: 5, errorRate: 0.25 });
    for (const [body, field] of [
      [{ throttleRate: 1.5 }, 'throttleRate'],
      [{ errorRate: -1 }, 'errorRate'],
      [{ latencyMs: 'slow' }, 'latencyMs'],
      [{ qpsPerAccount: null }, 'qpsPerAccount'],
      [{ chaos: 1 }, 'chaos'],
    ] as const) {
      const { status, body: error } = await putFaults(body);
      expect(status).toBe(400);
      expect(error.Code).toBe(`InvalidParameter.${field}`);
      expect(String(error.Message)).toContain(field);
    }
    const array = await putFaults([1]);
    expect(array.status).toBe(400);
    const malformed = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'PUT',
      body: '{"latencyMs":',
    });
    expect([malformed.status, ((await malformed.json()) as { Code: string }).Code]).toEqual([
      400,
      'MalformedJSON',
    ]);
    // A refused update changed nothing.
    expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toMatchObject({
      latencyMs: 5,
      errorRate: 0.25,
    });
  });

  it('the model faults go to the cloud model; each out-of-range value is a 400 naming the field', async () => {
    const model = { consistencyLagMs: 1200, tagLagMs: 800, authorizationLagMs: 2500, lowercaseArns: 1 };
    const answer = await putFaults(model);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ...model, latencyMs: 0 });
    expect(backend.modelFaults).toEqual(model);
    for (const [field, value] of [
      ['consistencyLagMs', -1],
      ['consistencyLagMs', 300_001],
      ['consistencyLagMs', 'slow'],
      ['tagLagMs', -5],
      ['tagLagMs', 1e12],
      ['tagLagMs', null],
      ['authorizationLagMs', -0.1],
      ['authorizationLagMs', 400_000],
      ['authorizationLagMs', [1]],
      ['lowercaseArns', 2],
      ['lowercaseArns', 0.5],
      ['lowercaseArns', true],
    ] as const) {
      const { status, body: error } = await putFaults({ [field]: value });
      expect({ field, status, code: error.Code }).toEqual({
        field,
        status: 400,
        code: `InvalidParameter.${field}`,
      });
      expect(String(error.Message)).toContain(field);
    }
    // Refused updates changed nothing, on either side.
    expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toMatchObject(model);
    expect(backend.modelFaults).toEqual(model);
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    expect(backend.modelFaults).toEqual({
      consistencyLagMs: 0,
      tagLagMs: 0,
      authorizationLagMs: 0,
      lowercaseArns: 0,
    });
    expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toMatchObject({
      consistencyLagMs: 0,
      tagLagMs: 0,
      authorizationLagMs: 0,
      lowercaseArns: 0,
    });
  });

  it('POST /_emulator/reset turns every fault off', async () => {
    await putFaults({ throttleRate: 1 });
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    const fresh = await createAccount(emulator.url, ACCOUNT_A);
    expect((await callerIdentity(fresh)).statusCode).toBe(200);
    expect(backend.contexts).toHaveLength(1);
  });
});
