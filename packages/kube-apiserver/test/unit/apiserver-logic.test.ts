import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { compileJsonPath, evaluateJsonPath } from '../../src/jsonpath.js';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../src/patch.js';
import { parseRoute } from '../../src/router.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../src/selectors.js';
import { ObjectStore } from '../../src/store.js';
import { humanDuration, isMicroTime, isRfc3339 } from '../../src/time-format.js';
import { compareVersions } from '../../src/crd/crd-controller.js';

describe('label selectors', () => {
  const labels = { env: 'prod', tier: 'web' };
  it.each([
    ['env=prod', true],
    ['env==prod', true],
    ['env!=prod', false],
    ['env in (dev, prod)', true],
    ['env notin (prod)', false],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['env=prod,tier in (web),!missing', true],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('refuses an invalid key with 400', () => {
    expect(() => parseLabelSelector('bad key=x')).toThrow(ApiError);
  });
});

describe('field selectors', () => {
  const values: Record<string, string> = { 'metadata.name': 'a', type: 'Opaque' };
  it.each([
    ['metadata.name=a', true],
    ['metadata.name==a', true],
    ['metadata.name!=a', false],
    ['metadata.name=a,type=Opaque', true],
    ['type=kubernetes.io/tls', false],
  ])('%s → %s', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), (label) => values[label])).toBe(expected);
  });
});

describe('merge patch (RFC 7386)', () => {
  it.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 } }, { a: 1, b: { d: 3, e: 4 } }],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
  ])('%j + %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});

describe('strategic merge patch (simple)', () => {
  it.each([
    [{ data: { a: '1', b: '2' } }, { data: { b: null, c: '3' } }, { data: { a: '1', c: '3' } }],
    [{ list: [1, 2] }, { list: [3] }, { list: [3] }],
    [{ m: { a: 1 }, k: 1 }, { m: { $patch: 'delete' } }, { k: 1 }],
    [{ m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3 } }, { m: { c: 3 } }],
    [{ f: ['a', 'b'] }, { '$deleteFromPrimitiveList/f': ['a'], '$setElementOrder/f': ['b'] }, { f: ['b'] }],
  ])('%j + %j', (target, patch, expected) => {
    expect(strategicMergePatch(target, patch)).toEqual(expected);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { spec: { size: 2, list: ['a', 'b'] }, metadata: { name: 'x' } };
  it.each([
    [[{ op: 'replace', path: '/spec/size', value: 3 }], { ...doc, spec: { size: 3, list: ['a', 'b'] } }],
    [[{ op: 'add', path: '/spec/list/-', value: 'c' }], { ...doc, spec: { size: 2, list: ['a', 'b', 'c'] } }],
    [[{ op: 'add', path: '/spec/list/0', value: 'z' }], { ...doc, spec: { size: 2, list: ['z', 'a', 'b'] } }],
    [[{ op: 'remove', path: '/spec/list/1' }], { ...doc, spec: { size: 2, list: ['a'] } }],
    [
      [{ op: 'move', from: '/spec/size', path: '/spec/count' }],
      { ...doc, spec: { count: 2, list: ['a', 'b'] } },
    ],
    [
      [{ op: 'copy', from: '/metadata/name', path: '/spec/name' }],
      { ...doc, spec: { size: 2, list: ['a', 'b'], name: 'x' } },
    ],
    [[{ op: 'test', path: '/spec/size', value: 2 }], doc],
  ])('%j', (patch, expected) => {
    expect(jsonPatch(doc, patch)).toEqual(expected);
  });

  it.each([
    [[{ op: 'test', path: '/spec/size', value: 9 }], 422],
    [[{ op: 'remove', path: '/spec/missing' }], 422],
    [[{ op: 'replace', path: '/nope/deeper', value: 1 }], 422],
    [[{ op: 'frobnicate', path: '/spec' }], 400],
    [{ op: 'add' }, 400],
  ])('%j fails with %d', (patch, code) => {
    try {
      jsonPatch(doc, patch);
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).code).toBe(code);
    }
  });

  it('does not change the input document', () => {
    jsonPatch(doc, [{ op: 'replace', path: '/spec/size', value: 5 }]);
    expect(doc.spec.size).toBe(2);
  });
});

describe('JSONPath for printer columns', () => {
  const object = {
    spec: { size: 3, 'a.b': 'dotted' },
    status: {
      conditions: [
        { type: 'Synced', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
    },
  };
  it.each([
    ['.spec.size', [3]],
    ['{.spec.size}', [3]],
    [".spec['a.b']", ['dotted']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    ['.status.conditions[?(@.type!="Ready")].type', ['Synced']],
    ['.status.conditions[*].type', ['Synced', 'Ready']],
    ['.status.conditions[0].type', ['Synced']],
    ['.status.conditions[-1].type', ['Ready']],
    ['.spec.missing', []],
  ])('%s', (path, expected) => {
    expect(evaluateJsonPath(compileJsonPath(path), object)).toEqual(expected);
  });
});

describe('time formats', () => {
  it.each([
    ['2026-01-02T03:04:05.000000Z', true, true],
    ['2026-01-02T03:04:05.123456+08:00', true, true],
    ['2026-01-02T03:04:05Z', false, true],
    ['2026-01-02T03:04:05.123Z', false, true],
    ['2026-01-02T03:04:05.123456789Z', false, true],
    ['yesterday', false, false],
  ])('%s: MicroTime %s, Time %s', (value, micro, time) => {
    expect(isMicroTime(value)).toBe(micro);
    expect(isRfc3339(value)).toBe(time);
  });

  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [119_000, '119s'],
    [200_000, '3m20s'],
    [300_000, '5m'],
    [25 * 60_000, '25m'],
    [(5 * 60 + 10) * 60_000, '5h10m'],
    [30 * 3600_000, '30h'],
    [(3 * 24 + 4) * 3600_000, '3d4h'],
    [400 * 86_400_000, '400d'],
    [(3 * 365 + 20) * 86_400_000, '3y20d'],
  ])('%d ms → %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('routes', () => {
  it.each([
    [
      '/api/v1/namespaces',
      {
        kind: 'resource',
        group: '',
        version: 'v1',
        resource: 'namespaces',
        namespace: undefined,
        name: undefined,
      },
    ],
    ['/api/v1/namespaces/x', { kind: 'resource', resource: 'namespaces', name: 'x', namespace: undefined }],
    [
      '/api/v1/namespaces/x/status',
      { kind: 'resource', resource: 'namespaces', name: 'x', subresource: 'status' },
    ],
    [
      '/api/v1/namespaces/x/configmaps/c',
      { kind: 'resource', namespace: 'x', resource: 'configmaps', name: 'c' },
    ],
    [
      '/apis/example.com/v1/namespaces/d/widgets/w/status',
      {
        kind: 'resource',
        group: 'example.com',
        namespace: 'd',
        resource: 'widgets',
        name: 'w',
        subresource: 'status',
      },
    ],
    [
      '/apis/example.com/v1/watch/namespaces/d/widgets',
      { kind: 'resource', namespace: 'd', resource: 'widgets', watchPath: true },
    ],
    ['/apis/example.com/v1', { kind: 'groupVersion', group: 'example.com', version: 'v1' }],
    ['/apis/example.com', { kind: 'group', group: 'example.com' }],
    ['/openapi/v3/apis/example.com/v1', { kind: 'openapiDocument', group: 'example.com', version: 'v1' }],
    ['/openapi/v3', { kind: 'openapiRoot' }],
    ['/version', { kind: 'version' }],
    ['/elsewhere', { kind: 'unknown' }],
  ])('%s', (path, expected) => {
    expect(parseRoute(path)).toMatchObject(expected);
  });
});

describe('CRD version priority', () => {
  it('sorts GA before beta before alpha, newer first', () => {
    expect(['v1alpha1', 'v1', 'v2beta1', 'v1beta2', 'foo', 'v2'].sort(compareVersions)).toEqual([
      'v2',
      'v1',
      'v2beta1',
      'v1beta2',
      'v1alpha1',
      'foo',
    ]);
  });
});

describe('object store history', () => {
  const object = (name: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'd' },
  });

  it('stamps strictly increasing resourceVersions and replays changes after a revision', () => {
    const store = new ObjectStore(10);
    const a = store.put('/configmaps', object('a'));
    const b = store.put('/configmaps', object('b'));
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    const gone = store.remove('/configmaps', a);
    expect(Number(gone.metadata.resourceVersion)).toBe(3);
    expect(store.eventsAfter(1)?.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
  });

  it('forgets changes beyond its limit and says so', () => {
    const store = new ObjectStore(3);
    for (let i = 0; i < 5; i++) store.put('/configmaps', object(`o${i}`));
    expect(store.oldestValidRevision()).toBe(2);
    expect(store.eventsAfter(1)).toBeUndefined();
    expect(store.eventsAfter(2)?.map((e) => e.revision)).toEqual([3, 4, 5]);
  });

  it('scans one namespace in key order and resumes after a key', () => {
    const store = new ObjectStore(10);
    for (const [ns, name] of [
      ['b', 'y'],
      ['a', 'z'],
      ['b', 'x'],
      ['c', 'w'],
    ] as const) {
      store.put('/configmaps', { metadata: { name, namespace: ns } });
    }
    expect([...store.scan('/configmaps', 'b')].map(([k]) => k)).toEqual(['b/x', 'b/y']);
    expect([...store.scan('/configmaps', undefined, 'b/x')].map(([k]) => k)).toEqual(['b/y', 'c/w']);
  });
});
