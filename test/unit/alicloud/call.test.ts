import { ClientError, ThrottlingError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { callCloud, type CallContext } from '../../../src/alicloud/call.js';
import { withCallPriority, type CallPriority } from '../../../src/alicloud/call-priority.js';
import { CloudError } from '../../../src/alicloud/errors.js';
import type { CallObserver } from '../../../src/alicloud/ports.js';

function throttled(retryAfter?: number) {
  return new ThrottlingError({
    statusCode: 400,
    code: 'Throttling.User',
    message: 'code: 400, Request was denied due to user flow control. request id: R',
    requestId: 'R',
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  });
}

function notFound() {
  return new ClientError({
    statusCode: 404,
    code: 'EntityNotExist.Role',
    message: 'code: 404, The role does not exist. request id: R',
    requestId: 'R',
  });
}

function harness(overrides: Partial<CallContext> = {}) {
  const events: string[] = [];
  const sleeps: number[] = [];
  const observer: CallObserver = {
    beforeCall: (c) => events.push(`before ${c.action} ${c.kind}`),
    afterCall: (c) => events.push(`after ${c.action} ${c.kind}${c.errorCode ? ` ${c.errorCode}` : ''}`),
  };
  const ctx: CallContext = {
    accountId: '1111111111111111',
    limiter: {
      acquire: () => {
        events.push('acquire');
        return Promise.resolve();
      },
    },
    observer,
    throttleRetry: { maxRetries: 2, defaultDelayMs: 700, maxDelayMs: 5000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  };
  return { ctx, events, sleeps };
}

/** An invoke function that fails with the given errors, then succeeds with `result`. */
function failingThen<T>(errors: Error[], result: T) {
  let calls = 0;
  const invoke = () => {
    const error = errors[calls++];
    return error === undefined ? Promise.resolve(result) : Promise.reject(error);
  };
  return { invoke, calls: () => calls };
}

describe('callCloud', () => {
  it('takes a token, tells the observer before and after, and returns the result', async () => {
    const { ctx, events } = harness();
    await expect(callCloud(ctx, 'GetRole', 'read', () => Promise.resolve(42))).resolves.toBe(42);
    expect(events).toEqual(['acquire', 'before GetRole read', 'after GetRole read']);
  });

  it('maps a failure to CloudError and reports its code to the observer', async () => {
    const { ctx, events, sleeps } = harness();
    const error = await callCloud(ctx, 'DeleteRole', 'write', () => Promise.reject(notFound())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({
      kind: 'NotFound',
      code: 'EntityNotExist.Role',
      details: { action: 'DeleteRole' },
    });
    expect(events).toEqual([
      'acquire',
      'before DeleteRole write',
      'after DeleteRole write EntityNotExist.Role',
    ]);
    expect(sleeps).toEqual([]);
  });

  it('retries a throttled call after the delay the service asked for', async () => {
    const { ctx, events, sleeps } = harness();
    const call = failingThen([throttled(250), throttled(400)], 'ok');
    await expect(callCloud(ctx, 'ListUsers', 'read', call.invoke)).resolves.toBe('ok');
    expect(call.calls()).toBe(3);
    expect(sleeps).toEqual([250, 400]);
    // Every attempt is a real call: it takes a token and is observed.
    expect(events.filter((e) => e === 'acquire')).toHaveLength(3);
    expect(events.filter((e) => e.startsWith('after'))).toEqual([
      'after ListUsers read Throttling.User',
      'after ListUsers read Throttling.User',
      'after ListUsers read',
    ]);
  });

  it('uses the default delay when the service sent no retry-after', async () => {
    const { ctx, sleeps } = harness();
    const call = failingThen([throttled()], 'ok');
    await callCloud(ctx, 'ListUsers', 'read', call.invoke);
    expect(sleeps).toEqual([700]);
  });

  it('gives up after the bounded number of retries with the last Throttled error', async () => {
    const { ctx, sleeps } = harness();
    const call = failingThen([throttled(100), throttled(100), throttled(300), throttled(100)], 'never');
    const error = await callCloud(ctx, 'ListUsers', 'read', call.invoke).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Throttled', details: { retryAfterMs: 300 } });
    expect(call.calls()).toBe(3);
    expect(sleeps).toEqual([100, 100]);
  });

  it('hands a long requested delay to the controller at once', async () => {
    const { ctx, sleeps } = harness();
    const call = failingThen([throttled(60_000)], 'never');
    await expect(callCloud(ctx, 'ListUsers', 'read', call.invoke)).rejects.toMatchObject({
      kind: 'Throttled',
      details: { retryAfterMs: 60_000 },
    });
    expect(call.calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('never repeats a write that failed transiently: it may have taken effect', async () => {
    const { ctx } = harness();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const call = failingThen([refused], 'never');
    await expect(callCloud(ctx, 'CreateRole', 'write', call.invoke)).rejects.toMatchObject({
      kind: 'Transient',
      code: 'ECONNREFUSED',
    });
    expect(call.calls()).toBe(1);
  });

  it('repeats a read that failed transiently, a bounded number of times', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const recovering = failingThen([refused, refused], 'ok');
    await expect(callCloud(harness().ctx, 'GetRole', 'read', recovering.invoke)).resolves.toBe('ok');
    expect(recovering.calls()).toBe(3);
    const { ctx } = harness();
    const failing = failingThen([refused, refused, refused, refused, refused], 'never');
    await expect(callCloud(ctx, 'GetRole', 'read', failing.invoke)).rejects.toMatchObject({
      kind: 'Transient',
    });
    expect(failing.calls()).toBe((ctx.throttleRetry?.maxRetries ?? 3) + 1);
  });

  it('never retries a non-transient error itself', async () => {
    const denied = Object.assign(new Error('denied'), {
      name: 'ClientError',
      code: 'NoPermission',
      statusCode: 403,
    });
    const call = failingThen([denied], 'never');
    await expect(callCloud(harness().ctx, 'GetRole', 'read', call.invoke)).rejects.toMatchObject({
      kind: 'Forbidden',
    });
    expect(call.calls()).toBe(1);
  });

  it('lets an observer crash before the call: the call is not made', async () => {
    const crash = new Error('crash before');
    const { ctx } = harness({
      observer: {
        beforeCall: () => {
          throw crash;
        },
      },
    });
    const call = failingThen([], 'ok');
    await expect(callCloud(ctx, 'CreateRole', 'write', call.invoke)).rejects.toBe(crash);
    expect(call.calls()).toBe(0);
  });

  it('lets an observer crash after a write took effect', async () => {
    const crash = new Error('crash after');
    const { ctx } = harness({
      observer: {
        afterCall: () => {
          throw crash;
        },
      },
    });
    const call = failingThen([], 'ok');
    await expect(callCloud(ctx, 'CreateRole', 'write', call.invoke)).rejects.toBe(crash);
    expect(call.calls()).toBe(1);
  });

  it('takes the token in the lane of the pass it runs in, across awaits, and routine outside', async () => {
    const lanes: (CallPriority | undefined)[] = [];
    const { ctx } = harness({
      limiter: {
        acquire: (priority) => {
          lanes.push(priority?.());
          return Promise.resolve();
        },
      },
    });
    const call = () => callCloud(ctx, 'DetachPolicyFromRole', 'write', () => Promise.resolve('ok'));
    let raised = false;
    await withCallPriority(
      () => 'urgent',
      async () => {
        await call();
        await new Promise((resolve) => setTimeout(resolve, 1));
        await Promise.all([call(), call()]);
      },
    );
    await call();
    await withCallPriority(
      () => (raised ? 'urgent' : 'routine'),
      async () => {
        await call();
        raised = true;
        await call();
      },
    );
    expect(lanes).toEqual(['urgent', 'urgent', 'urgent', 'routine', 'routine', 'urgent']);
  });
});
