/**
 * The official SDKs' HTTP layer arms a read-timeout timer per request that it clears only when it reads
 * the body itself, which the SDKs never do: sdk-read-timer.ts clears it once the body has been read, so a
 * finished call is not kept reachable for the whole read timeout.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorFixture } from './fixture.js';

const A = '1111111111111111';

let fixture: EmulatorFixture;

beforeAll(async () => {
  fixture = await EmulatorFixture.start();
});

afterAll(async () => {
  await fixture.stop();
});

/** The read timer httpx put on the socket of each request, captured when its response arrives. */
function captureReadTimers() {
  const timers: { _destroyed?: boolean }[] = [];
  const onResponse = (message: unknown) => {
    const socket = (message as { request: ClientRequest }).request.socket as unknown as Record<
      symbol,
      unknown
    >;
    const key = Object.getOwnPropertySymbols(socket).find((k) => k.description === 'TIMER::READ_TIMER');
    if (key && socket[key]) timers.push(socket[key]);
  };
  subscribe('http.client.response.finish', onResponse);
  return { timers, stop: () => unsubscribe('http.client.response.finish', onResponse) };
}

describe('the SDK read timer', () => {
  it('is cleared as soon as a call has read its response, answered or refused', async () => {
    const ports = await fixture.rootPorts(A, { endpoints: { ...fixture.endpoints, readTimeoutMs: 15_000 } });
    const capture = captureReadTimers();
    try {
      expect(await ports.ram.getRole('missing')).toBeUndefined(); // a 404 the port maps to undefined
      await ports.ram.createPolicy({
        policyName: 'p',
        document: JSON.stringify({
          Version: '1',
          Statement: [{ Effect: 'Allow', Action: ['ram:GetRole'], Resource: ['*'] }],
        }),
        description: '',
      });
      await expect(ports.sts.getCallerIdentity()).resolves.toMatchObject({ accountId: A });
    } finally {
      capture.stop();
    }
    expect(capture.timers).toHaveLength(3);
    // Node marks a cleared Timeout destroyed; an armed one would hold the request for 15 s.
    expect(capture.timers.map((timer) => timer._destroyed)).toEqual([true, true, true]);
  });
});
