import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { createWireTestBackend, type WireTestBackend } from './wire-backend.js';
import { StsClient, sdkConfig, startRelay, type RelayedRequest } from './wire-clients.js';

const ACCOUNT = '1111111111111111';

describe('emulator wire: admin API', () => {
  let backend: WireTestBackend;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    backend = createWireTestBackend();
    emulator = await startEmulator({ port: 0, backend, log: () => undefined });
  });
  afterAll(async () => emulator.stop());
  beforeEach(async () => {
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
  });

  async function call(method: string, path: string, body?: string) {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      requestId: response.headers.get('x-acs-request-id'),
      body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown> | undefined,
    };
  }

  it('POST /_emulator/accounts creates an account (201) and returns the same root key when it exists (200)', async () => {
    const created = await call(
      'POST',
      '/_emulator/accounts',
      JSON.stringify({ accountId: ACCOUNT, alias: 'enterprise-a' }),
    );
    expect(created.status).toBe(201);
    expect(Object.keys(created.body ?? {}).sort()).toEqual(['accessKeyId', 'accessKeySecret', 'accountId']);
    expect(created.body?.accountId).toBe(ACCOUNT);
    const again = await call('POST', '/_emulator/accounts', JSON.stringify({ accountId: ACCOUNT }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect(created.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('refuses bad account bodies with 400 naming the problem', async () => {
    const cases: [string, string][] = [
      ['{', 'MalformedJSON'],
      ['[]', 'InvalidParameter.Body'],
      ['{}', 'InvalidParameter.accountId'],
      ['{"accountId":42}', 'InvalidParameter.accountId'],
      ['{"accountId":"1111111111111111","alias":7}', 'InvalidParameter.alias'],
      ['{"accountId":"12"}', 'InvalidParameter.AccountId'],
    ];
    for (const [body, code] of cases) {
      const response = await call('POST', '/_emulator/accounts', body);
      expect({ body, status: response.status, code: response.body?.Code }).toEqual({
        body,
        status: 400,
        code,
      });
      expect(response.body?.RequestId).toBe(response.requestId);
    }
  });

  it('creates event buses, lists their events and dumps state; unknown accounts are 404', async () => {
    await call('POST', '/_emulator/accounts', JSON.stringify({ accountId: ACCOUNT }));
    const bus = await call(
      'POST',
      `/_emulator/accounts/${ACCOUNT}/eventbuses`,
      JSON.stringify({ name: 'orders', region: 'cn-hangzhou' }),
    );
    expect(bus.status).toBe(201);
    expect(bus.body).toEqual({ accountId: ACCOUNT, name: 'orders', region: 'cn-hangzhou' });
    expect(await call('GET', `/_emulator/accounts/${ACCOUNT}/eventbuses/orders/events`)).toMatchObject({
      status: 200,
      body: { events: [] },
    });
    expect(await call('GET', `/_emulator/accounts/${ACCOUNT}/state`)).toMatchObject({
      status: 200,
      body: { roles: [], policies: [], users: [], groups: [] },
    });

    const missingField = await call(
      'POST',
      `/_emulator/accounts/${ACCOUNT}/eventbuses`,
      JSON.stringify({ name: 'x' }),
    );
    expect([missingField.status, missingField.body?.Code]).toEqual([400, 'InvalidParameter.region']);
    const unknown = '9999999999999999';
    for (const [method, path, body] of [
      ['GET', `/_emulator/accounts/${unknown}/state`, undefined],
      [
        'POST',
        `/_emulator/accounts/${unknown}/eventbuses`,
        JSON.stringify({ name: 'o', region: 'cn-hangzhou' }),
      ],
      ['GET', `/_emulator/accounts/${unknown}/eventbuses/orders/events`, undefined],
    ] as const) {
      const response = await call(method, path, body);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(typeof response.body?.Code).toBe('string');
    }
  });

  it('answers unknown admin routes 404 and wrong methods 405', async () => {
    expect((await call('GET', '/_emulator/nothing')).status).toBe(404);
    expect((await call('GET', '/_emulator/accounts/1/eventbuses/x/other')).status).toBe(404);
    expect((await call('GET', '/_emulator/accounts')).status).toBe(405);
    expect((await call('POST', '/_emulator/faults', '{}')).status).toBe(405);
    expect((await call('GET', '/_emulator/reset')).status).toBe(405);
  });

  it('POST /_emulator/reset (204) empties the model and forgets nonces', async () => {
    const created = await call('POST', '/_emulator/accounts', JSON.stringify({ accountId: ACCOUNT }));
    const credentials = {
      accessKeyId: String(created.body?.accessKeyId),
      accessKeySecret: String(created.body?.accessKeySecret),
    };
    // The relay captures the first signed request and sends that same request every time after.
    let captured: RelayedRequest | undefined;
    const relay = await startRelay(emulator.port, (req) => {
      captured ??= req;
      return [captured];
    });
    try {
      expect(
        (await new StsClient(sdkConfig(`127.0.0.1:${relay.port}`, credentials)).getCallerIdentity())
          .statusCode,
      ).toBe(200);
      const replayed = await fetch(`http://127.0.0.1:${relay.port}/`, { method: 'POST' });
      expect(((await replayed.json()) as { Code: string }).Code).toBe('SignatureNonceUsed');

      const reset = await call('POST', '/_emulator/reset');
      expect([reset.status, reset.body]).toEqual([204, undefined]);
      expect((await call('GET', `/_emulator/accounts/${ACCOUNT}/state`)).status).toBe(404);
      // The test model re-creates the same key for the same account: only the nonce memory could refuse now.
      await call('POST', '/_emulator/accounts', JSON.stringify({ accountId: ACCOUNT }));
      const afterReset = await fetch(`http://127.0.0.1:${relay.port}/`, { method: 'POST' });
      expect(afterReset.status).toBe(200);
    } finally {
      await relay.close();
    }
  });
});
