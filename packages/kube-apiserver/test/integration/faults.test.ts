import { request } from 'node:https';
import { CoreV1Api, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type RunningKubeApiServer } from '../../src/index.js';
import { kubeConfigFor, raw, startTestServer } from './support.js';

let server: RunningKubeApiServer;
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  server = await startTestServer({ random: seededRandom(7) });
});

afterEach(async () => {
  const reset = await raw(server, 'PUT', '/_kube/faults', {
    watchDropAfterMs: 0,
    errorRate: 0,
    throttleRate: 0,
    latencyMs: 0,
  });
  expect(reset.status).toBe(200);
});

afterAll(async () => {
  await server.stop();
});

/** Opens a watch and reports how it ended: cleanly (`end`) or cut (`cut`), and after how long. */
function watchUntilClosed(
  path: string,
  maxMs = 5000,
): Promise<{ how: 'end' | 'cut' | 'open'; ms: number; status: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request(`${server.url}${path}`, {
      ca: server.caCertificate,
      headers: { Authorization: `Bearer ${server.token}` },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ how: 'open', ms: Date.now() - started, status: 200 });
    }, maxMs);
    req.on('response', (res) => {
      let how: 'end' | 'cut' = 'cut';
      res.on('data', () => undefined);
      res.on('end', () => (how = 'end'));
      res.on('error', () => undefined);
      res.on('close', () => {
        clearTimeout(timer);
        resolve({ how, ms: Date.now() - started, status: res.statusCode ?? 0 });
      });
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve({ how: 'cut', ms: Date.now() - started, status: 0 });
    });
    req.end();
  });
}

describe('the faults route', () => {
  it('answers GET with the settings and PUT with the settings after the change', async () => {
    expect((await raw(server, 'GET', '/_kube/faults')).json).toEqual({
      watchDropAfterMs: 0,
      errorRate: 0,
      throttleRate: 0,
      latencyMs: 0,
    });
    const put = await raw(server, 'PUT', '/_kube/faults', { latencyMs: 20 });
    expect(put.json).toEqual({ watchDropAfterMs: 0, errorRate: 0, throttleRate: 0, latencyMs: 20 });
    expect(server.getFaults().latencyMs).toBe(20);
  });

  it.each([
    [{ errorRate: 2 }, 'fault setting "errorRate" must be a share from 0 to 1, got 2'],
    [{ latencyMs: -1 }, 'fault setting "latencyMs" must be a number of milliseconds from 0 to 60000, got -1'],
    [{ chaos: true }, 'unknown fault setting "chaos"'],
    ['{not json', 'the fault settings are not valid JSON'],
  ])('answers %j with 400 naming the field', async (body, message) => {
    const res = await raw(server, 'PUT', '/_kube/faults', body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    expect(res.json.message).toContain(message);
  });

  it('needs the admin token', async () => {
    expect(
      (await raw(server, 'GET', '/_kube/faults', undefined, { Authorization: 'Bearer nope' })).status,
    ).toBe(401);
  });
});

describe('injected failures', () => {
  it('answers 429 TooManyRequests with Retry-After to non-watch requests, never to the faults route or a watch', async () => {
    server.setFaults({ throttleRate: 1 });
    const res = await raw(server, 'GET', CONFIGMAPS);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 1 },
    });
    expect((await raw(server, 'GET', '/apis')).status).toBe(429);
    expect((await raw(server, 'GET', '/_kube/faults')).status).toBe(200);
    expect((await watchUntilClosed(`${CONFIGMAPS}?watch=true&timeoutSeconds=1`)).status).toBe(200);
  });

  it('answers 500 InternalError or 503 ServiceUnavailable with a Status at errorRate 1', async () => {
    server.setFaults({ errorRate: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await raw(server, 'GET', CONFIGMAPS);
      expect([500, 503]).toContain(res.status);
      expect(res.json.reason).toBe(res.status === 500 ? 'InternalError' : 'ServiceUnavailable');
      expect(res.json.kind).toBe('Status');
      seen.add(res.json.reason);
    }
    expect(seen.size).toBe(2);
  });

  it('fails about the configured share of requests', async () => {
    server.setFaults({ errorRate: 0.3 });
    let failed = 0;
    for (let i = 0; i < 100; i++) if ((await raw(server, 'GET', CONFIGMAPS)).status >= 500) failed++;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(55);
  });

  it('is surfaced by client-node as an ApiException with the code', async () => {
    server.setFaults({ throttleRate: 1 });
    const core = kubeConfigFor(server).makeApiClient(CoreV1Api);
    await expect(core.listNamespacedConfigMap({ namespace: 'default' })).rejects.toMatchObject({ code: 429 });
  });

  it('adds latencyMs to every request', async () => {
    const quick = Date.now();
    await raw(server, 'GET', CONFIGMAPS);
    const base = Date.now() - quick;
    server.setFaults({ latencyMs: 400 });
    const started = Date.now();
    expect((await raw(server, 'GET', CONFIGMAPS)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(Math.max(400, base));
  });
});

describe('watch drops', () => {
  it('cuts every watch watchDropAfterMs after it started, without a clean end', async () => {
    server.setFaults({ watchDropAfterMs: 300 });
    const ended = await watchUntilClosed(`${CONFIGMAPS}?watch=true&timeoutSeconds=30`);
    expect(ended.how).toBe('cut');
    expect(ended.ms).toBeGreaterThanOrEqual(250);
    expect(ended.ms).toBeLessThan(4000);
  });

  it('cuts watches that were already open when the fault is switched on', async () => {
    const watching = watchUntilClosed(`${CONFIGMAPS}?watch=true&timeoutSeconds=30`, 8000);
    await new Promise((r) => setTimeout(r, 300));
    server.setFaults({ watchDropAfterMs: 100 });
    expect((await watching).how).toBe('cut');
  });

  it('leaves watches alone when off: they end cleanly at timeoutSeconds', async () => {
    const ended = await watchUntilClosed(`${CONFIGMAPS}?watch=true&timeoutSeconds=1`);
    expect(ended.how).toBe('end');
  });

  it('an informer restarted on error recovers across drops and sees every change', async () => {
    server.setFaults({ watchDropAfterMs: 250 });
    const kc = kubeConfigFor(server);
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/informed/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'informed' }),
    );
    let errors = 0;
    let stopped = false;
    informer.on('error', () => {
      errors++;
      setTimeout(() => {
        if (!stopped) informer.start().catch(() => undefined);
      }, 50);
    });
    await core.createNamespace({ body: { metadata: { name: 'informed' } } });
    await informer.start();
    try {
      for (let i = 0; i < 8; i++) {
        await core.createNamespacedConfigMap({
          namespace: 'informed',
          body: { metadata: { name: `cm-${i}` } },
        });
        await new Promise((r) => setTimeout(r, 120));
      }
      const deadline = Date.now() + 10_000;
      while (informer.list().length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(
        informer
          .list()
          .map((c) => c.metadata?.name)
          .sort(),
      ).toEqual(Array.from({ length: 8 }, (_, i) => `cm-${i}`));
      expect(errors).toBeGreaterThan(0);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
