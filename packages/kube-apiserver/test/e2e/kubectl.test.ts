import {
  CustomObjectsApi,
  EventsV1Api,
  PatchStrategy,
  V1MicroTime,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubeApiServer } from '../../src/index.js';
import { WIDGET_CRD, kubeConfigFor, raw, startTestServer, widget } from '../integration/support.js';
import { kubectlFor, type Kubectl } from '../../src/kubectl.js';

let server: RunningKubeApiServer;
let kubectl: Kubectl;
let custom: CustomObjectsApi;
const ref = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  server = await startTestServer();
  kubectl = kubectlFor(server);
  custom = kubeConfigFor(server).makeApiClient(CustomObjectsApi);
  const applied = await kubectl(['apply', '-f', '-'], stringify(WIDGET_CRD));
  expect(applied.stdout).toContain(
    'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
  );
  const waited = await kubectl([
    'wait',
    '--for',
    'condition=established',
    '--timeout=20s',
    'crd/widgets.example.com',
  ]);
  expect(waited.stdout).toContain('condition met');
});

afterAll(async () => {
  await server.stop();
});

describe('kubectl against the in-process API server', () => {
  it('applies a custom resource, shows printer columns by short name, and says unchanged on a second apply', async () => {
    const manifest = stringify(widget('w1', { color: 'blue', size: 2 }));
    expect((await kubectl(['apply', '-f', '-'], manifest)).stdout.trim()).toBe(
      'widget.example.com/w1 created',
    );
    expect((await kubectl(['apply', '-f', '-'], manifest)).stdout.trim()).toBe(
      'widget.example.com/w1 unchanged',
    );
    const table = await kubectl(['get', 'wg']);
    const [header, row] = table.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'COLOR', 'SIZE', 'READY', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 3)).toEqual(['w1', 'blue', '2']);
    const yaml = await kubectl(['get', 'widget', 'w1', '-o', 'yaml']);
    expect(yaml.stdout).toContain('generation: 1');
    expect(yaml.stdout).toContain('color: blue');
  });

  it('lists the resource under its category and in api-resources', async () => {
    const resources = await kubectl(['api-resources', '--api-group=example.com']);
    expect(resources.stdout).toMatch(/widgets\s+wg\s+example.com\/v1\s+true\s+Widget/);
    const byCategory = await kubectl(['get', 'all-widgets', '-o', 'name']);
    expect(byCategory.stdout).toContain('widget.example.com/w1');
  });

  it('refuses an invalid manifest naming the field, and an immutable change with the CEL message', async () => {
    const tooBig = await kubectl(['apply', '-f', '-'], stringify(widget('big', { color: 'red', size: 11 })));
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.stderr).toContain('spec.size');
    const unknown = await kubectl(
      ['apply', '-f', '-'],
      stringify(widget('odd', { color: 'red', shade: 'dark' })),
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('strict decoding error: unknown field "spec.shade"');
    const recolor = await kubectl(['apply', '-f', '-'], stringify(widget('w1', { color: 'green', size: 2 })));
    expect(recolor.code).not.toBe(0);
    expect(recolor.stderr).toMatch(/spec\.color: Invalid value: \S+: color is immutable/);
  });

  it('describe shows events written through events.k8s.io/v1', async () => {
    const object: any = await custom.getNamespacedCustomObject({ ...ref, name: 'w1' });
    const events = kubeConfigFor(server).makeApiClient(EventsV1Api);
    await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'w1.' },
        eventTime: new V1MicroTime(),
        reportingController: 'example.com/widget-controller',
        reportingInstance: 'widget-controller-0',
        action: 'Reconcile',
        reason: 'Polished',
        type: 'Normal',
        note: 'the widget shines',
        regarding: {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          name: 'w1',
          namespace: 'default',
          uid: object.metadata.uid,
        },
      },
    });
    const described = await kubectl(['describe', 'wg', 'w1']);
    expect(described.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message/);
    expect(described.stdout).toMatch(
      /Normal\s+Polished\s+\S+\s+example.com\/widget-controller\s+the widget shines/,
    );
  });

  it('wait --for=condition=Ready returns once /status has Ready with the current observedGeneration', async () => {
    await kubectl(['apply', '-f', '-'], stringify(widget('w2', { color: 'blue', size: 2 })));
    await custom.patchNamespacedCustomObject({ ...ref, name: 'w2', body: { spec: { size: 3 } } }, merge);
    const waiting = kubectl.start(['wait', '--for=condition=Ready', '--timeout=20s', 'widget/w2']);
    let finished = false;
    void waiting.done.then(() => (finished = true));
    const condition = (generation: number) => ({
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Done',
            message: '',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            observedGeneration: generation,
          },
        ],
      },
    });
    await custom.patchNamespacedCustomObjectStatus({ ...ref, name: 'w2', body: condition(1) }, merge);
    await new Promise((r) => setTimeout(r, 1500));
    expect(finished).toBe(false);
    await custom.patchNamespacedCustomObjectStatus({ ...ref, name: 'w2', body: condition(2) }, merge);
    const result = await waiting.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('widget.example.com/w2 condition met');
    expect((await kubectl(['get', 'wg', 'w2'])).stdout).toMatch(/w2\s+blue\s+3\s+True/);
  });

  it('delete with a finalizer leaves the object terminating until the finalizer is removed', async () => {
    await kubectl(
      ['apply', '-f', '-'],
      stringify(widget('w3', { color: 'blue' }, { finalizers: ['example.com/cleanup'] })),
    );
    const deleting = kubectl.start(['delete', 'widget', 'w3', '--timeout=20s']);
    let object: any;
    for (let i = 0; i < 100; i++) {
      object = await custom.getNamespacedCustomObject({ ...ref, name: 'w3' });
      if (object.metadata.deletionTimestamp) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(object.metadata.deletionTimestamp).toBeDefined();
    await new Promise((r) => setTimeout(r, 500));
    expect((await raw(server, 'GET', '/apis/example.com/v1/namespaces/default/widgets/w3')).status).toBe(200);
    await custom.patchNamespacedCustomObject(
      { ...ref, name: 'w3', body: { metadata: { finalizers: null } } },
      merge,
    );
    const result = await deleting.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('widget.example.com "w3" deleted');
    expect((await raw(server, 'GET', '/apis/example.com/v1/namespaces/default/widgets/w3')).status).toBe(404);
  });

  it('applies and patches built-in kinds with strategic merge', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { a: '1', b: '2' },
    };
    expect((await kubectl(['apply', '-f', '-'], stringify(cm))).stdout.trim()).toBe(
      'configmap/settings created',
    );
    expect((await kubectl(['apply', '-f', '-'], stringify(cm))).stdout.trim()).toBe(
      'configmap/settings unchanged',
    );
    const changed = { ...cm, data: { a: '1' } };
    expect((await kubectl(['apply', '-f', '-'], stringify(changed))).stdout.trim()).toBe(
      'configmap/settings configured',
    );
    const got = await kubectl(['get', 'configmap', 'settings', '-o', 'jsonpath={.data}']);
    expect(JSON.parse(got.stdout)).toEqual({ a: '1' });
    const listed = await kubectl(['get', 'cm']);
    expect(listed.stdout).toMatch(/NAME\s+DATA\s+AGE\s*\nsettings\s+1\s+/);
  });

  it('creates Secrets, ConfigMaps and Namespaces through kubectl create (protobuf bodies)', async () => {
    expect(
      (await kubectl(['create', 'secret', 'generic', 'creds', '--from-literal=key=value'])).stdout.trim(),
    ).toBe('secret/creds created');
    expect((await kubectl(['label', 'secret', 'creds', 'team=a'])).stdout.trim()).toBe(
      'secret/creds labeled',
    );
    const got = await kubectl(['get', 'secrets', '-l', 'team=a', '-o', 'jsonpath={.items[*].data.key}']);
    expect(Buffer.from(got.stdout, 'base64').toString()).toBe('value');
    expect((await kubectl(['get', 'secret', 'creds', '-o', 'jsonpath={.type}'])).stdout).toBe('Opaque');
    expect((await kubectl(['create', 'namespace', 'team-a'])).stdout.trim()).toBe('namespace/team-a created');
    expect(
      (await kubectl(['create', 'configmap', 'c', '-n', 'team-a', '--from-literal=a=b'])).stdout.trim(),
    ).toBe('configmap/c created');
    expect((await kubectl(['get', 'cm', 'c', '-n', 'team-a', '-o', 'jsonpath={.data.a}'])).stdout).toBe('b');
  });

  it('deleting a namespace removes its contents, then the namespace', async () => {
    await kubectl(['create', 'namespace', 'doomed']);
    await kubectl(['apply', '-n', 'doomed', '-f', '-'], stringify(widget('inside', { color: 'blue' })));
    const deleted = await kubectl(['delete', 'namespace', 'doomed', '--timeout=20s']);
    expect(deleted.stdout.trim()).toBe('namespace "doomed" deleted');
    expect((await raw(server, 'GET', '/api/v1/namespaces/doomed')).status).toBe(404);
    expect((await raw(server, 'GET', '/apis/example.com/v1/namespaces/doomed/widgets/inside')).status).toBe(
      404,
    );
  });
});
