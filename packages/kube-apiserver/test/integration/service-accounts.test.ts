import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubeApiServer } from '../../src/index.js';
import { kubeConfigFor, raw, startTestServer } from './support.js';

let server: RunningKubeApiServer;
let core: CoreV1Api;
const dir = mkdtempSync(join(tmpdir(), 'kube-sa-'));

/** client-node clients that authenticate with a ServiceAccount token. */
async function clientsFor(token: string): Promise<KubeConfig> {
  const path = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  await server.writeKubeconfig(path, token, 'apps');
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const e = error as ApiException<string>;
    return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  server = await startTestServer();
  const kc = kubeConfigFor(server);
  core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: 'apps' } } });
  await core.createNamespacedServiceAccount({ namespace: 'apps', body: { metadata: { name: 'app' } } });
  await rbac.createNamespacedRole({
    namespace: 'apps',
    body: {
      metadata: { name: 'config-reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: 'apps',
    body: {
      metadata: { name: 'app-config-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'apps' }],
    },
  });
});

afterAll(async () => {
  await server.stop();
});

describe('discovery of the auth APIs', () => {
  it('lists authorization.k8s.io, authentication.k8s.io and the token subresource', async () => {
    const groups = (await raw(server, 'GET', '/apis')).json.groups.map((g: any) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['authorization.k8s.io', 'authentication.k8s.io']));
    const authz = (await raw(server, 'GET', '/apis/authorization.k8s.io/v1')).json.resources;
    expect(authz).toContainEqual(
      expect.objectContaining({ name: 'selfsubjectaccessreviews', namespaced: false, verbs: ['create'] }),
    );
    const coreResources = (await raw(server, 'GET', '/api/v1')).json.resources;
    expect(coreResources).toContainEqual(
      expect.objectContaining({
        name: 'serviceaccounts/token',
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      }),
    );
  });

  it('answers other verbs on a review with 405', async () => {
    expect((await raw(server, 'GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status).toBe(
      405,
    );
  });
});

describe('TokenRequest through client-node', () => {
  it('issues a token with the requested lifetime that authenticates as the ServiceAccount', async () => {
    const before = Date.now();
    const answer = await core.createNamespacedServiceAccountToken({
      name: 'app',
      namespace: 'apps',
      body: { spec: { audiences: [], expirationSeconds: 7200 } },
    });
    const expiry = new Date(answer.status?.expirationTimestamp ?? 0).getTime();
    expect(expiry - before).toBeGreaterThan(7_100_000);
    expect(expiry - before).toBeLessThan(7_300_000);
    expect(answer.spec.audiences).toEqual(['https://kubernetes.default.svc.cluster.local']);
    const kc = await clientsFor(answer.status?.token ?? '');
    const list = await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: 'apps' });
    expect(list.items).toEqual([]);
  });

  it('answers 404 for a missing ServiceAccount', async () => {
    const failure = await rejection(
      core.createNamespacedServiceAccountToken({
        name: 'ghost',
        namespace: 'apps',
        body: { spec: { audiences: [] } },
      }),
    );
    expect(failure).toMatchObject({
      code: 404,
      body: { reason: 'NotFound', message: 'serviceaccounts "ghost" not found' },
    });
    expect(() => server.createServiceAccountToken('apps', 'ghost')).toThrow(
      'serviceaccounts "ghost" not found',
    );
  });

  it('refuses a token for another audience at the API server with 401', async () => {
    const { token } = server.createServiceAccountToken('apps', 'app', { audiences: ['vault'] });
    const kc = await clientsFor(token);
    const failure = await rejection(
      kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: 'apps' }),
    );
    expect(failure.code).toBe(401);
    const res = await raw(server, 'GET', '/api/v1/namespaces/apps/configmaps', undefined, {
      Authorization: `Bearer ${token}`,
    });
    expect(res.json).toMatchObject({
      kind: 'Status',
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    });
  });

  it('stops a token bound to a Secret when that Secret is deleted', async () => {
    await core.createNamespacedSecret({ namespace: 'apps', body: { metadata: { name: 'session' } } });
    const answer = await core.createNamespacedServiceAccountToken({
      name: 'app',
      namespace: 'apps',
      body: {
        spec: { audiences: [], boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'session' } },
      },
    });
    const client = (await clientsFor(answer.status?.token ?? '')).makeApiClient(CoreV1Api);
    await client.listNamespacedConfigMap({ namespace: 'apps' });
    await core.deleteNamespacedSecret({ name: 'session', namespace: 'apps' });
    expect((await rejection(client.listNamespacedConfigMap({ namespace: 'apps' }))).code).toBe(401);
  });
});

describe('RBAC for a ServiceAccount token through client-node', () => {
  let client: CoreV1Api;
  beforeAll(async () => {
    client = (await clientsFor(server.createServiceAccountToken('apps', 'app').token)).makeApiClient(
      CoreV1Api,
    );
  });

  it('allows what the Role grants, from the moment the binding exists', async () => {
    await core.createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'settings' } } });
    expect(
      (await client.readNamespacedConfigMap({ name: 'settings', namespace: 'apps' })).metadata?.name,
    ).toBe('settings');
  });

  it('answers 403 Forbidden with a Status naming the resource outside the Role', async () => {
    const failure = await rejection(
      client.createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'mine' } } }),
    );
    expect(failure.code).toBe(403);
    expect(failure.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'configmaps is forbidden: User "system:serviceaccount:apps:app" cannot create resource "configmaps" in API group "" in the namespace "apps"',
      reason: 'Forbidden',
      details: { kind: 'configmaps' },
      code: 403,
    });
  });

  it('loses access when the RoleBinding goes, and names a dangling binding in the reason', async () => {
    const rbac = kubeConfigFor(server).makeApiClient(RbacAuthorizationV1Api);
    await rbac.deleteNamespacedRole({ name: 'config-reader', namespace: 'apps' });
    const failure = await rejection(client.readNamespacedConfigMap({ name: 'settings', namespace: 'apps' }));
    expect(failure.body.message).toBe(
      'configmaps "settings" is forbidden: User "system:serviceaccount:apps:app" cannot get resource "configmaps" in API group "" in the namespace "apps": RBAC: role.rbac.authorization.k8s.io "config-reader" not found',
    );
  });

  it('may not read or set the faults', async () => {
    const { token } = server.createServiceAccountToken('apps', 'app');
    const res = await raw(
      server,
      'PUT',
      '/_kube/faults',
      { latencyMs: 5 },
      { Authorization: `Bearer ${token}` },
    );
    expect(res.status).toBe(403);
    expect(res.json.message).toBe(
      'forbidden: User "system:serviceaccount:apps:app" cannot put path "/_kube/faults"',
    );
  });
});

describe('SelfSubjectAccessReview through client-node', () => {
  it('reviews the caller, and the impersonated user for the admin', async () => {
    const authz = kubeConfigFor(server).makeApiClient(AuthorizationV1Api);
    const review = await authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb: 'delete', resource: 'namespaces' } } },
    });
    expect(review.status?.allowed).toBe(true);
    const asApp = await raw(
      server,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { spec: { resourceAttributes: { verb: 'list', resource: 'configmaps', namespace: 'apps' } } },
      { 'Impersonate-User': 'system:serviceaccount:apps:app' },
    );
    expect(asApp.status).toBe(201);
    expect(asApp.json.status.allowed).toBe(false);
  });

  it('refuses a review that asks about both kinds of attributes, or neither', async () => {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const neither = await raw(server, 'POST', path, { spec: {} });
    expect(neither.status).toBe(422);
    expect(neither.json.message).toContain(
      'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    const both = await raw(server, 'POST', path, {
      spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { verb: 'get', path: '/x' } },
    });
    expect(both.json.message).toContain('cannot be specified in combination with resourceAttributes');
  });
});
