import {
  ApiException,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubeApiServer } from '../../src/index.js';
import {
  WIDGETS,
  installWidgetCrd,
  kubeConfigFor,
  raw,
  startTestServer,
  watchEvents,
  widget,
} from './support.js';

let server: RunningKubeApiServer;
let custom: CustomObjectsApi;
let objects: KubernetesObjectApi;

beforeAll(async () => {
  server = await startTestServer();
  await installWidgetCrd(server);
  const kc = kubeConfigFor(server);
  custom = kc.makeApiClient(CustomObjectsApi);
  objects = KubernetesObjectApi.makeApiClient(kc);
});

afterAll(async () => {
  await server.stop();
});

const ref = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      return { code: error.code, body };
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('CRD registration', () => {
  it('marks the CRD Established and NamesAccepted with accepted names', async () => {
    const res = await raw(
      server,
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    );
    const conditions = Object.fromEntries(res.json.status.conditions.map((c: any) => [c.type, c.status]));
    expect(conditions).toEqual({ NamesAccepted: 'True', Established: 'True' });
    expect(res.json.status.acceptedNames).toMatchObject({
      plural: 'widgets',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wg'],
    });
    expect(res.json.metadata.generation).toBe(1);
  });

  it('serves the resource in legacy and aggregated discovery', async () => {
    const legacy = await raw(server, 'GET', '/apis/example.com/v1');
    expect(legacy.json.resources.map((r: any) => r.name)).toEqual(['widgets', 'widgets/status']);
    const aggregated = await raw(server, 'GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(aggregated.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const group = aggregated.json.items.find((g: any) => g.metadata.name === 'example.com');
    expect(group.versions[0].resources[0]).toMatchObject({
      resource: 'widgets',
      scope: 'Namespaced',
      shortNames: ['wg'],
      categories: ['all-widgets'],
      subresources: [{ subresource: 'status' }],
    });
  });

  it('refuses a CRD whose name is not plural.group', async () => {
    const res = await raw(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.wrong.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', kind: 'Gadget' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "gadgets.wrong.com" is invalid: metadata.name: Invalid value: "gadgets.wrong.com": must be spec.names.plural+"."+spec.group',
    );
  });
});

describe('CRD lifecycle', () => {
  const gadgets = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.example.org' },
    spec: {
      group: 'example.org',
      scope: 'Cluster',
      names: { plural: 'gadgets', kind: 'Gadget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
  const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

  it('serves a cluster-scoped resource at once, re-serves it on update, and removes it with its objects on delete', async () => {
    expect((await raw(server, 'POST', crdPath, gadgets)).status).toBe(201);
    const created = await raw(server, 'POST', '/apis/example.org/v1/gadgets', {
      apiVersion: 'example.org/v1',
      kind: 'Gadget',
      metadata: { name: 'g1' },
      spec: { any: 'thing' },
    });
    expect(created.status).toBe(201);
    expect(created.json.metadata.namespace).toBeUndefined();
    const crd = (await raw(server, 'GET', `${crdPath}/gadgets.example.org`)).json;
    crd.spec.versions[0].additionalPrinterColumns = [{ name: 'Any', type: 'string', jsonPath: '.spec.any' }];
    const updated = await raw(server, 'PUT', `${crdPath}/gadgets.example.org`, crd);
    expect(updated.json.metadata.generation).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    const table = await raw(server, 'GET', '/apis/example.org/v1/gadgets', undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(table.json.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Any']);
    expect(table.json.rows[0].cells).toEqual(['g1', 'thing']);
    const watching = watchEvents(server, '/apis/example.org/v1/gadgets?watch=true', {
      until: (e) => e.length >= 2,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await raw(server, 'DELETE', `${crdPath}/gadgets.example.org`)).status).toBe(200);
    const { events } = await watching;
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    expect((await raw(server, 'GET', '/apis/example.org/v1/gadgets')).status).toBe(404);
    expect((await raw(server, 'GET', '/apis')).json.groups.map((g: any) => g.name)).not.toContain(
      'example.org',
    );
  });
});

describe('custom resource writes through client-node', () => {
  it('sets generation 1 on create and bumps it only for spec changes, not for /status', async () => {
    const created: any = await custom.createNamespacedCustomObject({ ...ref, body: widget('gen') });
    expect(created.metadata.generation).toBe(1);
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const status: any = await custom.patchNamespacedCustomObjectStatus(
      {
        ...ref,
        name: 'gen',
        body: { status: { observedGeneration: 1 }, metadata: { labels: { ignored: 'yes' } } },
      },
      merge,
    );
    expect(status.metadata.generation).toBe(1);
    expect(status.status).toEqual({ observedGeneration: 1 });
    expect(status.metadata.labels).toBeUndefined();
    expect(Number(status.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const labelled: any = await custom.patchNamespacedCustomObject(
      { ...ref, name: 'gen', body: { metadata: { labels: { a: 'b' } } } },
      merge,
    );
    expect(labelled.metadata.generation).toBe(1);
    const resized: any = await custom.patchNamespacedCustomObject(
      { ...ref, name: 'gen', body: { spec: { size: 5 }, status: { observedGeneration: 9 } } },
      merge,
    );
    expect(resized.metadata.generation).toBe(2);
    expect(resized.status).toEqual({ observedGeneration: 1 });
  });

  it('answers a stale replace with 409 and the real message', async () => {
    const created: any = await custom.createNamespacedCustomObject({ ...ref, body: widget('stale') });
    await custom.patchNamespacedCustomObject(
      { ...ref, name: 'stale', body: { spec: { size: 4 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const { code, body } = await failure(
      custom.replaceNamespacedCustomObject({ ...ref, name: 'stale', body: created }),
    );
    expect(code).toBe(409);
    expect(body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on widgets.example.com "stale": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'stale', group: 'example.com', kind: 'widgets' },
    });
  });

  it('refuses a replace without resourceVersion with 422', async () => {
    await custom.createNamespacedCustomObject({ ...ref, body: widget('norv') });
    const res = await raw(server, 'PUT', `${WIDGETS}/norv`, widget('norv', { color: 'blue', size: 3 }));
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'Widget.example.com "norv" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });

  it('a write that changes nothing keeps the resourceVersion', async () => {
    const created: any = await custom.createNamespacedCustomObject({ ...ref, body: widget('same') });
    const again: any = await custom.replaceNamespacedCustomObject({ ...ref, name: 'same', body: created });
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('answers a strategic merge patch on a custom resource with 415', async () => {
    await custom.createNamespacedCustomObject({ ...ref, body: widget('smp') });
    const { code, body } = await failure(
      objects.patch(
        {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'smp', namespace: 'default' },
          spec: { size: 7 },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.StrategicMergePatch,
      ),
    );
    expect(code).toBe(415);
    expect(body.reason).toBe('UnsupportedMediaType');
    expect(body.message).toContain(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json',
    );
  });

  it('applies JSON patches and answers a failed test with 422', async () => {
    await custom.createNamespacedCustomObject({ ...ref, body: widget('jp') });
    const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
    const patched: any = await custom.patchNamespacedCustomObject(
      {
        ...ref,
        name: 'jp',
        body: [
          { op: 'test', path: '/spec/size', value: 2 },
          { op: 'replace', path: '/spec/size', value: 6 },
        ],
      },
      jsonPatch,
    );
    expect(patched.spec.size).toBe(6);
    const { code } = await failure(
      custom.patchNamespacedCustomObject(
        { ...ref, name: 'jp', body: [{ op: 'test', path: '/spec/size', value: 2 }] },
        jsonPatch,
      ),
    );
    expect(code).toBe(422);
  });

  it('does not store anything with dryRun=All', async () => {
    const res = await raw(server, 'POST', `${WIDGETS}?dryRun=All`, widget('dry'));
    expect(res.status).toBe(201);
    expect((await raw(server, 'GET', `${WIDGETS}/dry`)).status).toBe(404);
  });

  it('answers server-side apply with 415 for now', async () => {
    const res = await raw(server, 'PATCH', `${WIDGETS}/dry?fieldManager=x`, 'apiVersion: example.com/v1', {
      'Content-Type': 'application/apply-patch+yaml',
    });
    expect(res.status).toBe(415);
  });
});

describe('custom resource schema', () => {
  it('prunes unknown fields: Strict refuses, Warn (default) warns, Ignore drops silently', async () => {
    const body = widget('pruned', { color: 'blue', shade: 'dark' });
    const strict = await raw(server, 'POST', `${WIDGETS}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.shade"',
    );
    const warn = await raw(server, 'POST', WIDGETS, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.shade\\""');
    expect(warn.json.spec).toEqual({ color: 'blue', size: 3 });
    const ignore = await raw(
      server,
      'POST',
      `${WIDGETS}?fieldValidation=Ignore`,
      widget('pruned2', { color: 'blue', shade: 'dark' }),
    );
    expect(ignore.headers.warning).toBeUndefined();
    expect(ignore.json.spec).toEqual({ color: 'blue', size: 3 });
  });

  it('refuses an invalid custom resource with 422, the real message and causes', async () => {
    const res = await raw(server, 'POST', WIDGETS, widget('huge', { color: 'blue', size: 11 }));
    expect(res.status).toBe(422);
    expect(res.json.reason).toBe('Invalid');
    expect(res.json.message).toBe(
      'Widget.example.com "huge" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10',
    );
    expect(res.json.details).toMatchObject({
      name: 'huge',
      group: 'example.com',
      kind: 'Widget',
      causes: [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.size',
          message: 'Invalid value: 11: spec.size in body should be less than or equal to 10',
        },
      ],
    });
  });

  it('refuses a change to an immutable field with the CEL message', async () => {
    const created = await raw(server, 'POST', WIDGETS, widget('fixed'));
    const res = await raw(server, 'PUT', `${WIDGETS}/fixed`, {
      ...created.json,
      spec: { color: 'red', size: 2 },
    });
    expect(res.status).toBe(422);
    expect(res.json.message).toMatch(
      /^Widget\.example\.com "fixed" is invalid: spec\.color: Invalid value: \S+: color is immutable$/,
    );
  });
});

describe('namespaces on create', () => {
  it('refuses a create in a missing namespace with 404', async () => {
    const res = await raw(server, 'POST', '/apis/example.com/v1/namespaces/nowhere/widgets', widget('x'));
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('namespaces "nowhere" not found');
  });

  it('refuses a create in a terminating namespace with 403', async () => {
    await raw(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'leaving' } });
    await raw(
      server,
      'POST',
      '/apis/example.com/v1/namespaces/leaving/widgets',
      widget('held', undefined, { finalizers: ['example.com/hold'] }),
    );
    const deleted = await raw(server, 'DELETE', '/api/v1/namespaces/leaving');
    expect(deleted.json.status.phase).toBe('Terminating');
    const res = await raw(server, 'POST', '/apis/example.com/v1/namespaces/leaving/widgets', widget('late'));
    expect(res.status).toBe(403);
    expect(res.json.message).toBe(
      'widgets.example.com "late" is forbidden: unable to create new content in namespace leaving because it is being terminated',
    );
    await new Promise((r) => setTimeout(r, 50));
    const held = await raw(server, 'GET', '/apis/example.com/v1/namespaces/leaving/widgets/held');
    expect(held.json.metadata.deletionTimestamp).toBeDefined();
    await raw(
      server,
      'PATCH',
      '/apis/example.com/v1/namespaces/leaving/widgets/held',
      { metadata: { finalizers: null } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    await new Promise((r) => setTimeout(r, 50));
    expect((await raw(server, 'GET', '/api/v1/namespaces/leaving')).status).toBe(404);
  });
});

describe('deletion', () => {
  it('keeps an object with finalizers terminating until the last one is removed', async () => {
    await raw(server, 'POST', WIDGETS, widget('fin', undefined, { finalizers: ['example.com/a'] }));
    const res = await raw(server, 'DELETE', `${WIDGETS}/fin`);
    expect(res.status).toBe(200);
    expect(res.json.kind).toBe('Widget');
    expect(res.json.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(res.json.metadata.generation).toBe(2);
    const added = await raw(
      server,
      'PATCH',
      `${WIDGETS}/fin`,
      { metadata: { finalizers: ['example.com/a', 'example.com/b'] } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(added.status).toBe(422);
    expect(added.json.message).toBe(
      'Widget.example.com "fin" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted',
    );
    await raw(server, 'PATCH', `${WIDGETS}/fin`, [{ op: 'remove', path: '/metadata/finalizers' }], {
      'Content-Type': 'application/json-patch+json',
    });
    expect((await raw(server, 'GET', `${WIDGETS}/fin`)).status).toBe(404);
  });

  it('returns a Success Status for an immediate delete', async () => {
    await raw(server, 'POST', WIDGETS, widget('gone'));
    const res = await raw(server, 'DELETE', `${WIDGETS}/gone`);
    expect(res.json).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'gone', group: 'example.com', kind: 'widgets' },
    });
  });

  it('deletes a collection by label selector', async () => {
    await raw(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'bulk' } });
    const base = '/apis/example.com/v1/namespaces/bulk/widgets';
    await raw(server, 'POST', base, widget('k1', undefined, { labels: { batch: 'x' } }));
    await raw(server, 'POST', base, widget('k2', undefined, { labels: { batch: 'x' } }));
    await raw(server, 'POST', base, widget('k3'));
    const res = await raw(server, 'DELETE', `${base}?labelSelector=batch%3Dx`);
    expect(res.status).toBe(200);
    expect(res.json.items.map((o: any) => o.metadata.name)).toEqual(['k1', 'k2']);
    expect((await raw(server, 'GET', base)).json.items.map((o: any) => o.metadata.name)).toEqual(['k3']);
  });

  it('collects dependents by ownerReferences uid in the background', async () => {
    const owner = await raw(server, 'POST', WIDGETS, widget('owner'));
    const ownerRef = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      name: 'owner',
      uid: owner.json.metadata.uid,
    };
    await raw(server, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'owned', ownerReferences: [ownerRef] },
    });
    await raw(server, 'DELETE', `${WIDGETS}/owner`);
    await new Promise((r) => setTimeout(r, 50));
    expect((await raw(server, 'GET', '/api/v1/namespaces/default/configmaps/owned')).status).toBe(404);
  });
});
