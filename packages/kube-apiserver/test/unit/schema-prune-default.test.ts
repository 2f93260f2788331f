/**
 * Pruning of unknown fields and schema defaulting, as the real apiextensions-apiserver does them.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileVersion } from './schema-fixtures.js';

const SCHEMA = `
type: object
properties:
  spec:
    type: object
    properties:
      size: {type: integer, default: 3}
      mode: {type: string, default: fast}
      note: {type: string, nullable: true, default: hello}
      title: {type: string, default: untitled}
      limits:
        type: object
        default: {}
        properties:
          cpu: {type: string, default: "1"}
          memory: {type: string}
      options:
        type: object
        properties:
          retries: {type: integer, default: 5}
      users:
        type: array
        items:
          type: object
          properties:
            name: {type: string}
            role: {type: string, default: viewer}
      weights:
        type: array
        items: {type: integer, default: 1}
      labels:
        type: object
        additionalProperties:
          type: object
          properties:
            value: {type: string}
            color: {type: string, default: blue}
      raw:
        type: object
        x-kubernetes-preserve-unknown-fields: true
        properties:
          known:
            type: object
            properties:
              a: {type: string}
      anything:
        x-kubernetes-preserve-unknown-fields: true
      template:
        type: object
        x-kubernetes-embedded-resource: true
        properties:
          spec:
            type: object
            properties:
              image: {type: string}
  status:
    type: object
    properties:
      phase: {type: string}
`;

const version = compileVersion(SCHEMA, { plural: 'boxes', singular: 'box', kind: 'Box' });

function box(yaml: string): Record<string, unknown> {
  return {
    apiVersion: 'example.dev/v1',
    kind: 'Box',
    metadata: { name: 'b', labels: { x: 'y' } },
    ...(parse(yaml) as Record<string, unknown>),
  };
}

describe('prune', () => {
  const cases: { name: string; object: string; pruned: string[]; after: string }[] = [
    { name: 'nothing unknown', object: 'spec: {size: 1}', pruned: [], after: 'spec: {size: 1}' },
    {
      name: 'unknown top-level field',
      object: 'spec: {size: 1}\nextra: 1',
      pruned: ['extra'],
      after: 'spec: {size: 1}',
    },
    {
      name: 'unknown nested field',
      object: 'spec: {size: 1, foo: {bar: 1}}',
      pruned: ['spec.foo'],
      after: 'spec: {size: 1}',
    },
    {
      name: 'unknown fields in list items',
      object: 'spec: {users: [{name: a, bar: 1}, {name: b}, {baz: 2}]}',
      pruned: ['spec.users[0].bar', 'spec.users[2].baz'],
      after: 'spec: {users: [{name: a}, {name: b}, {}]}',
    },
    {
      name: 'unknown fields in additionalProperties values',
      object: 'spec: {labels: {k: {value: v, junk: 1}}}',
      pruned: ['spec.labels.k.junk'],
      after: 'spec: {labels: {k: {value: v}}}',
    },
    {
      name: 'preserve-unknown-fields keeps unknown fields but prunes inside known ones',
      object: 'spec: {raw: {free: {x: 1}, known: {a: b, z: 1}}}',
      pruned: ['spec.raw.known.z'],
      after: 'spec: {raw: {free: {x: 1}, known: {a: b}}}',
    },
    {
      name: 'untyped preserved value kept whole',
      object: 'spec: {anything: {deep: [{x: 1}]}}',
      pruned: [],
      after: 'spec: {anything: {deep: [{x: 1}]}}',
    },
    {
      name: 'embedded resource keeps apiVersion, kind and metadata',
      object:
        'spec: {template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {image: nginx, other: 1}, extra: 1}}',
      pruned: ['spec.template.spec.other', 'spec.template.extra'],
      after: 'spec: {template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {image: nginx}}}',
    },
    {
      name: 'status is pruned like spec',
      object: 'status: {phase: Ready, junk: 1}',
      pruned: ['status.junk'],
      after: 'status: {phase: Ready}',
    },
  ];
  it.each(cases)('$name', ({ object, pruned, after }) => {
    const o = box(object);
    expect(version.prune(o)).toEqual(pruned);
    expect(o).toEqual(box(after));
  });

  it('never prunes apiVersion, kind or metadata at the root', () => {
    const o = { apiVersion: 'example.dev/v1', kind: 'Box', metadata: { name: 'b', annotations: { a: 'b' } } };
    expect(version.prune(o)).toEqual([]);
    expect(o.metadata).toEqual({ name: 'b', annotations: { a: 'b' } });
  });
});

describe('applyDefaults', () => {
  const cases: { name: string; object: string; after: string }[] = [
    {
      name: 'missing fields take their defaults, nested defaults apply inside a defaulted object',
      object: 'spec: {}',
      after: 'spec: {size: 3, mode: fast, note: hello, title: untitled, limits: {cpu: "1"}}',
    },
    {
      name: 'present fields keep their values',
      object: 'spec: {size: 7, mode: slow, note: x, title: t, limits: {cpu: "2"}}',
      after: 'spec: {size: 7, mode: slow, note: x, title: t, limits: {cpu: "2"}}',
    },
    { name: 'no parent object, no default', object: 'status: {}', after: 'status: {}' },
    {
      name: 'defaults apply once the parent exists',
      object: 'spec: {options: {}}',
      after:
        'spec: {size: 3, mode: fast, note: hello, title: untitled, limits: {cpu: "1"}, options: {retries: 5}}',
    },
    {
      name: 'null replaced by the default unless nullable',
      object: 'spec: {title: null, note: null}',
      after: 'spec: {size: 3, mode: fast, note: null, title: untitled, limits: {cpu: "1"}}',
    },
    {
      name: 'inside list items and for null items',
      object: 'spec: {users: [{name: a}, {name: b, role: admin}], weights: [5, null]}',
      after:
        'spec: {size: 3, mode: fast, note: hello, title: untitled, limits: {cpu: "1"}, users: [{name: a, role: viewer}, {name: b, role: admin}], weights: [5, 1]}',
    },
    {
      name: 'inside additionalProperties values',
      object: 'spec: {labels: {k: {value: v}}}',
      after:
        'spec: {size: 3, mode: fast, note: hello, title: untitled, limits: {cpu: "1"}, labels: {k: {value: v, color: blue}}}',
    },
  ];
  it.each(cases)('$name', ({ object, after }) => {
    const o = box(object);
    version.applyDefaults(o);
    expect(o).toEqual(box(after));
  });

  it('never shares a default value between objects', () => {
    const a = box('spec: {}');
    const b = box('spec: {}');
    version.applyDefaults(a);
    version.applyDefaults(b);
    ((a.spec as Record<string, unknown>).limits as Record<string, unknown>).cpu = 'changed';
    expect(((b.spec as Record<string, unknown>).limits as Record<string, unknown>).cpu).toBe('1');
  });
});
