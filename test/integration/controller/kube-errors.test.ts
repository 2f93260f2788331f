/**
 * Issue 13, item 6: how a failed Kubernetes API call is classified, on the real answers of the API
 * server through client-node. Conflicts (409), throttling (429, with its Retry-After) and 5xx are
 * retried with backoff; a 403 is PermissionDenied and any other 4xx (422, 404, 400) terminal, so a
 * refusal that a retry cannot change stalls instead of being retried without end.
 */
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type RunningKubeApiServer } from '@ram-delegation/kube-apiserver';
import { classifyError } from '../../../src/controller/classify-error.js';
import {
  createKubeClients,
  loadKubeConfig,
  mergePatch,
  type KubeClients,
} from '../../../src/controller/kube-clients.js';

const NAMESPACE = 'default';
let server: RunningKubeApiServer;
let admin: KubeClients;

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  server = await startKubeApiServer({ port: 0 });
  admin = createKubeClients(loadKubeConfig(server.kubeconfigPath));
  await admin.core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: 's' } } });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('classifying Kubernetes API failures', () => {
  it('403 from RBAC: PermissionDenied, terminal, with the server’s message', async () => {
    await admin.core.createNamespacedServiceAccount({
      namespace: NAMESPACE,
      body: { metadata: { name: 'nobody' } },
    });
    const path = join(mkdtempSync(join(tmpdir(), 'kube-errors-')), 'kubeconfig');
    await server.writeKubeconfig(path, server.createServiceAccountToken(NAMESPACE, 'nobody').token);
    const nobody = createKubeClients(loadKubeConfig(path));
    const classified = classifyError(
      await failureOf(() => nobody.core.listNamespacedSecret({ namespace: NAMESPACE })),
    );
    expect(classified).toMatchObject({ retryable: false, reason: 'PermissionDenied' });
    expect(classified.message).toMatch(
      /^Kubernetes API answered 403: secrets is forbidden: User "system:serviceaccount:default:nobody" cannot list/,
    );
  });

  it('422 for a new finalizer on an object being deleted: terminal, not retried', async () => {
    await admin.core.patchNamespacedSecret(
      { namespace: NAMESPACE, name: 's', body: { metadata: { finalizers: ['example.com/hold'] } } },
      mergePatch(),
    );
    await admin.core.deleteNamespacedSecret({ namespace: NAMESPACE, name: 's' });
    const error = await failureOf(() =>
      admin.core.patchNamespacedSecret(
        {
          namespace: NAMESPACE,
          name: 's',
          body: { metadata: { finalizers: ['example.com/hold', 'x.dev/y'] } },
        },
        mergePatch(),
      ),
    );
    const classified = classifyError(error);
    expect(classified).toMatchObject({ retryable: false, reason: 'InvalidSpec' });
    expect(classified.message).toMatch(/^Kubernetes API answered 422: .*no new finalizers can be added/);
  });

  it('404 and 400 are terminal; 409 is retryable', async () => {
    const missing = await failureOf(() =>
      admin.core.readNamespacedSecret({ namespace: NAMESPACE, name: 'none' }),
    );
    expect(classifyError(missing)).toMatchObject({ retryable: false, reason: 'InvalidSpec' });
    const badName = await failureOf(() =>
      admin.core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: 'Not_A_Name' } } }),
    );
    expect(classifyError(badName).retryable).toBe(false);
    const exists = await failureOf(() =>
      admin.core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: 's' } } }),
    );
    expect(classifyError(exists)).toMatchObject({ retryable: true, reason: 'TransientError' });
  });

  it('429 from the server’s throttling and 5xx are retryable; 429 keeps its Retry-After', async () => {
    server.setFaults({ throttleRate: 1 });
    const throttled = await failureOf(() => admin.core.listNamespacedSecret({ namespace: NAMESPACE }));
    server.setFaults({ throttleRate: 0, errorRate: 1 });
    const failed = await failureOf(() => admin.core.listNamespacedSecret({ namespace: NAMESPACE }));
    server.setFaults({ errorRate: 0 });
    const classified = classifyError(throttled);
    expect(classified).toMatchObject({ retryable: true, reason: 'TransientError' });
    expect(classified.retryAfterMs).toBeGreaterThan(0);
    expect(classifyError(failed)).toMatchObject({ retryable: true, reason: 'TransientError' });
    expect(classifyError(Object.assign(new Error('gone'), { code: 410 })).retryable).toBe(true);
  });
});
