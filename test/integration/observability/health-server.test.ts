import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer, type HealthServer } from '../../../src/observability/health-server.js';
import { createMetrics } from '../../../src/observability/metrics.js';

describe('health server over HTTP', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function start(readiness: () => true | string) {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeReconcile('success', 0.1);
    server = createHealthServer({
      address: { host: '127.0.0.1', port: 0 },
      registry: metrics.registry,
      readiness,
    });
    const { port } = await server.start();
    return `http://127.0.0.1:${port}`;
  }

  it('answers /healthz, /readyz and /metrics', async () => {
    let ready: true | string = 'informers not synced';
    const base = await start(() => ready);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain('informers not synced');
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('ram_delegation_reconcile_total{result="success"} 1');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('reports a throwing readiness check as not ready', async () => {
    const base = await start(() => {
      throw new Error('cache gone');
    });
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('cache gone');
  });

  it('stops listening on stop()', async () => {
    const base = await start(() => true);
    await server!.stop();
    server = undefined;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
