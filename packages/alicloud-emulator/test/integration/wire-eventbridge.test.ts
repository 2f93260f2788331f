import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as $EventBridge from '@alicloud/eventbridge';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { createWireTestBackend, type WireTestBackend } from './wire-backend.js';
import {
  cloudEvent,
  eventBridgeClient,
  sdkError,
  startRelay,
  type ClientCredentials,
} from './wire-clients.js';

const ACCOUNT = '1111111111111111';

describe('emulator wire: EventBridge PutEvents through @alicloud/eventbridge', () => {
  let backend: WireTestBackend;
  let emulator: RunningEmulator;
  let endpoint: string;
  let root: ClientCredentials;

  beforeAll(async () => {
    backend = createWireTestBackend();
    emulator = await startEmulator({ port: 0, backend, log: () => undefined });
    endpoint = `127.0.0.1:${emulator.port}`;
  });
  afterAll(async () => emulator.stop());
  beforeEach(() => {
    backend.reset();
    const account = backend.createAccount(ACCOUNT, 'enterprise-a');
    root = { accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret };
    backend.createEventBus(ACCOUNT, 'orders', 'cn-hangzhou');
  });

  async function adminEvents(): Promise<Record<string, unknown>[]> {
    const response = await fetch(`${emulator.url}/_emulator/accounts/${ACCOUNT}/eventbuses/orders/events`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { events: Record<string, unknown>[] }).events;
  }

  it('verifies its acs:<AK>:<signature> scheme and stores the CloudEvents', async () => {
    const response = await eventBridgeClient(endpoint, root).putEvents([
      cloudEvent('e-1', 'orders', { order: 1 }),
      cloudEvent('e-2', 'orders', { order: 2 }),
    ]);
    expect(response.failedEntryCount).toBe(0);
    expect(response.entryList?.map((e) => e.eventId)).toEqual(['e-1', 'e-2']);
    expect(response.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const events = await adminEvents();
    expect(events.map((e) => [e.id, e.aliyuneventbusname, e.data])).toEqual([
      ['e-1', 'orders', { order: 1 }],
      ['e-2', 'orders', { order: 2 }],
    ]);
    const call = backend.contexts.at(-1);
    expect(call?.action).toBe('PutEvents');
    expect(call?.context.principal).toEqual({
      kind: 'root',
      accountId: ACCOUNT,
      accessKeyId: root.accessKeyId,
    });
  });

  it('refuses a wrong secret, an unknown AccessKey and a replay, in the lower-case error format its SDK reads', async () => {
    const wrong = await sdkError(
      eventBridgeClient(endpoint, { ...root, accessKeySecret: 'wrong' }).putEvents([
        cloudEvent('x', 'orders', {}),
      ]),
    );
    expect(wrong.code).toBe('SignatureDoesNotMatch');
    expect((wrong.data as Record<string, unknown>).requestId).toMatch(/^[0-9A-F-]{36}$/);
    const unknown = await sdkError(
      eventBridgeClient(endpoint, { ...root, accessKeyId: 'LTAInone' }).putEvents([
        cloudEvent('x', 'orders', {}),
      ]),
    );
    expect(unknown.code).toBe('InvalidAccessKeyId.NotFound');

    const relay = await startRelay(emulator.port, (req) => [req, req]);
    try {
      const replayed = await sdkError(
        eventBridgeClient(`127.0.0.1:${relay.port}`, root).putEvents([cloudEvent('x', 'orders', {})]),
      );
      expect(replayed.code).toBe('SignatureNonceUsed');
    } finally {
      await relay.close();
    }
    expect(await adminEvents()).toHaveLength(1);
  });

  it('refuses a signed header altered in transit', async () => {
    const relay = await startRelay(emulator.port, (req) => [
      {
        ...req,
        headers: {
          ...req.headers,
          'x-acs-signature-nonce': `${String(req.headers['x-acs-signature-nonce'])}0`,
        },
      },
    ]);
    try {
      const error = await sdkError(
        eventBridgeClient(`127.0.0.1:${relay.port}`, root).putEvents([cloudEvent('x', 'orders', {})]),
      );
      expect(error.code).toBe('SignatureDoesNotMatch');
    } finally {
      await relay.close();
    }
  });

  it('takes the owning account from a leading <accountId>. Host label, and finds the bus by name without one', async () => {
    const relayTo = (label: string) =>
      startRelay(emulator.port, (req) => [
        { ...req, headers: { ...req.headers, host: `${label}.127.0.0.1:${emulator.port}` } },
      ]);
    const owner = await relayTo(ACCOUNT);
    const stranger = await relayTo('2222222222222222');
    try {
      const ok = await eventBridgeClient(`127.0.0.1:${owner.port}`, root).putEvents([
        cloudEvent('h-1', 'orders', {}),
      ]);
      expect(ok.resourceOwnerAccountId).toBe(ACCOUNT);
      const missing = await sdkError(
        eventBridgeClient(`127.0.0.1:${stranger.port}`, root).putEvents([cloudEvent('h-2', 'orders', {})]),
      );
      expect(missing.code).toBe('EventBusNotExist');
    } finally {
      await owner.close();
      await stranger.close();
    }
  });

  it('accepts STS credentials (x-acs-security-token) and refuses a wrong token', async () => {
    const sts = backend.issueStsCredentials(ACCOUNT, 60_000, new Date());
    await eventBridgeClient(endpoint, sts).putEvents([cloudEvent('s-1', 'orders', {})]);
    expect(backend.contexts.at(-1)?.context.principal.kind).toBe('assumed-role');
    const error = await sdkError(
      eventBridgeClient(endpoint, { ...sts, securityToken: 'forged' }).putEvents([
        cloudEvent('s-2', 'orders', {}),
      ]),
    );
    expect(error.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
  });

  it('refuses events that do not name a bus, or name two', async () => {
    const client = eventBridgeClient(endpoint, root);
    const unnamed = new $EventBridge.CloudEvent({ id: 'n', source: 's', type: 't', data: Buffer.from('{}') });
    expect((await sdkError(client.putEvents([unnamed]))).code).toBe('InvalidArgument');
    backend.createEventBus(ACCOUNT, 'billing', 'cn-hangzhou');
    const mixed = [cloudEvent('a', 'orders', {}), cloudEvent('b', 'billing', {})];
    expect((await sdkError(client.putEvents(mixed))).code).toBe('InvalidArgument');
  });
});
