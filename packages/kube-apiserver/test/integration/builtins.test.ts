import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  EventsV1Api,
  V1MicroTime,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubeApiServer } from '../../src/index.js';
import { kubeConfigFor, raw, startTestServer } from './support.js';

let server: RunningKubeApiServer;
let core: CoreV1Api;

beforeAll(async () => {
  server = await startTestServer();
  core = kubeConfigFor(server).makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await server.stop();
});

describe('authentication', () => {
  it('answers requests without the token with 401', async () => {
    const res = await raw(server, 'GET', '/api/v1/namespaces', undefined, { Authorization: '' });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });
});

describe('namespaces', () => {
  it('has default and kube-system, which cannot be deleted', async () => {
    const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const res = await raw(server, 'DELETE', '/api/v1/namespaces/default');
    expect(res.status).toBe(403);
  });
});

describe('Leases', () => {
  const base = '/apis/coordination.k8s.io/v1/namespaces/default/leases';

  it('refuses a plain Date from client-node (three fractional digits) as the real server does', async () => {
    const api = kubeConfigFor(server).makeApiClient(CoordinationV1Api);
    const error = await api
      .createNamespacedLease({
        namespace: 'default',
        body: { metadata: { name: 'plain' }, spec: { renewTime: new Date() } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<unknown>).code).toBe(400);
  });

  it('creates and updates a Lease with MicroTime through client-node', async () => {
    const api = kubeConfigFor(server).makeApiClient(CoordinationV1Api);
    const acquired = new V1MicroTime('2026-01-02T03:04:05.123Z');
    const lease = await api.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: 'leader' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: acquired, renewTime: acquired },
      },
    });
    expect(lease.spec?.acquireTime as unknown).toBe('2026-01-02T03:04:05.123000Z');
    const raw1 = await raw(server, 'GET', `${base}/leader`);
    expect(raw1.json.spec.renewTime).toBe('2026-01-02T03:04:05.123000Z');
    lease.spec!.holderIdentity = 'b';
    lease.spec!.renewTime = new V1MicroTime('2026-01-02T03:04:20Z');
    const updated = await api.replaceNamespacedLease({ name: 'leader', namespace: 'default', body: lease });
    expect(updated.spec?.holderIdentity).toBe('b');
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(lease.metadata?.resourceVersion),
    );
  });

  it('refuses MicroTime values without six fractional digits with 400', async () => {
    for (const bad of [
      '2026-01-02T03:04:05Z',
      '2026-01-02T03:04:05.123Z',
      '2026-01-02T03:04:05.123456789Z',
    ]) {
      const res = await raw(server, 'POST', base, { metadata: { name: 'bad' }, spec: { renewTime: bad } });
      expect(res.status, bad).toBe(400);
      expect(res.json.message).toContain('Lease in version "v1" cannot be handled as a Lease: parsing time');
    }
  });

  it('requires a resourceVersion on update', async () => {
    await raw(server, 'POST', base, { metadata: { name: 'norv' }, spec: { holderIdentity: 'a' } });
    const res = await raw(server, 'PUT', `${base}/norv`, {
      metadata: { name: 'norv' },
      spec: { holderIdentity: 'b' },
    });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'Lease.coordination.k8s.io "norv" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });
});

describe('Secrets', () => {
  const base = '/api/v1/namespaces/default/secrets';

  it('merges stringData into base64 data and never returns stringData', async () => {
    const res = await raw(server, 'POST', base, {
      metadata: { name: 's1' },
      data: { a: 'YQ==' },
      stringData: { b: 'bee' },
    });
    expect(res.json.data).toEqual({ a: 'YQ==', b: Buffer.from('bee').toString('base64') });
    expect(res.json.stringData).toBeUndefined();
    expect(res.json.type).toBe('Opaque');
  });

  it('refuses data that is not base64 with 400', async () => {
    const res = await raw(server, 'POST', base, { metadata: { name: 's2' }, data: { a: 'not base64!' } });
    expect(res.status).toBe(400);
  });

  it('honours immutable', async () => {
    await raw(server, 'POST', base, {
      metadata: { name: 'frozen' },
      immutable: true,
      stringData: { a: '1' },
    });
    const res = await raw(
      server,
      'PATCH',
      `${base}/frozen`,
      { stringData: { a: '2' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
  });

  it('selects by type and refuses other field labels', async () => {
    await raw(server, 'POST', base, { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: {} });
    const res = await raw(server, 'GET', `${base}?fieldSelector=type%3Dkubernetes.io%2Ftls`);
    expect(res.json.items.map((s: any) => s.metadata.name)).toEqual(['tls']);
    const bad = await raw(server, 'GET', `${base}?fieldSelector=data.a%3Dx`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('field label not supported: data.a');
  });
});

describe('ConfigMaps', () => {
  const base = '/api/v1/namespaces/default/configmaps';

  it('applies strategic merge patches: maps merge, null and $patch delete', async () => {
    await raw(server, 'POST', base, {
      metadata: { name: 'cm', labels: { a: '1', b: '2' } },
      data: { x: '1', y: '2' },
    });
    const res = await raw(
      server,
      'PATCH',
      `${base}/cm`,
      { metadata: { labels: { b: null, c: '3' } }, data: { y: '9' } },
      {
        'Content-Type': 'application/strategic-merge-patch+json',
      },
    );
    expect(res.json.metadata.labels).toEqual({ a: '1', c: '3' });
    expect(res.json.data).toEqual({ x: '1', y: '9' });
  });

  it('handles unknown fields per fieldValidation', async () => {
    const body = { metadata: { name: 'fv' }, data: {}, extra: 1 };
    const strict = await raw(server, 'POST', `${base}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"',
    );
    const warn = await raw(server, 'POST', base, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"extra\\""');
    const ignore = await raw(server, 'POST', `${base}?fieldValidation=Ignore`, {
      ...body,
      metadata: { name: 'fv2' },
    });
    expect(ignore.headers.warning).toBeUndefined();
  });

  it('answers a conflict on create with 409 AlreadyExists', async () => {
    const res = await raw(server, 'POST', base, { metadata: { name: 'cm' } });
    expect(res.status).toBe(409);
    expect(res.json.message).toBe('configmaps "cm" already exists');
  });
});

describe('Events', () => {
  it('serves an events.k8s.io/v1 Event as a core v1 Event, selectable by involvedObject', async () => {
    const events = kubeConfigFor(server).makeApiClient(EventsV1Api);
    await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'w1.1' },
        eventTime: new V1MicroTime('2026-01-02T03:04:05.5Z'),
        reportingController: 'ram-delegation.dev/operator',
        reportingInstance: 'operator-0',
        action: 'Reconcile',
        reason: 'Reconciled',
        type: 'Normal',
        note: 'all good',
        regarding: {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          name: 'w1',
          namespace: 'default',
          uid: 'u-1',
        },
      },
    });
    const list = await core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector:
        'involvedObject.name=w1,involvedObject.namespace=default,involvedObject.kind=Widget,involvedObject.uid=u-1',
    });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      message: 'all good',
      reason: 'Reconciled',
      reportingComponent: 'ram-delegation.dev/operator',
    });
    const asV1 = await raw(server, 'GET', '/apis/events.k8s.io/v1/namespaces/default/events/w1.1');
    expect(asV1.json).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      note: 'all good',
      eventTime: '2026-01-02T03:04:05.500000Z',
    });
  });

  it('refuses an events.k8s.io/v1 Event without eventTime or with a bad one', async () => {
    const base = '/apis/events.k8s.io/v1/namespaces/default/events';
    const body = {
      metadata: { name: 'e2' },
      reportingController: 'c',
      reportingInstance: 'i',
      action: 'A',
      reason: 'R',
      type: 'Normal',
    };
    const missing = await raw(server, 'POST', base, body);
    expect(missing.status).toBe(422);
    expect(missing.json.details.causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'eventTime',
    });
    const bad = await raw(server, 'POST', base, { ...body, eventTime: '2026-01-02T03:04:05Z' });
    expect(bad.status).toBe(400);
  });

  it('refuses a client-node error path with an ApiException', async () => {
    await expect(
      core.readNamespacedConfigMap({ name: 'missing', namespace: 'default' }),
    ).rejects.toBeInstanceOf(ApiException);
  });
});
