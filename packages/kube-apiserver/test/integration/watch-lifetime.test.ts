import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubeApiServer } from '../../src/index.js';
import { raw, startTestServer, watchEvents } from './support.js';

let server: RunningKubeApiServer;
const SECRETS = '/api/v1/namespaces/default/secrets';

beforeAll(async () => {
  server = await startTestServer({ watchTimeoutSeconds: 1, bookmarkIntervalMs: 200 });
});

afterAll(async () => {
  await server.stop();
});

describe('watch lifetime', () => {
  it('ends a watch without timeoutSeconds cleanly after the server default (between 1x and 2x)', async () => {
    const started = Date.now();
    const { ended } = await watchEvents(server, `${SECRETS}?watch=true`, { maxMs: 6000 });
    const ms = Date.now() - started;
    expect(ended).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(5000);
  });

  it("lets the client's timeoutSeconds win over the server default", async () => {
    const started = Date.now();
    const { ended } = await watchEvents(server, `${SECRETS}?watch=true&timeoutSeconds=3`, { maxMs: 8000 });
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  it('sends BOOKMARKs with the current resourceVersion only when asked', async () => {
    const rv = (await raw(server, 'GET', SECRETS)).json.metadata.resourceVersion;
    const plain = await watchEvents(server, `${SECRETS}?watch=true&resourceVersion=${rv}`, { maxMs: 6000 });
    expect(plain.events).toEqual([]);
    const asked = await watchEvents(
      server,
      `${SECRETS}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`,
      {
        maxMs: 6000,
      },
    );
    expect(asked.events.length).toBeGreaterThanOrEqual(1);
    for (const event of asked.events) {
      expect(event).toEqual({
        type: 'BOOKMARK',
        object: { kind: 'Secret', apiVersion: 'v1', metadata: { resourceVersion: rv } },
      });
    }
  });
});
