/**
 * OpenAPI value validation and list-type uniqueness of custom resources, with the exact messages the
 * real API server prints (kube-openapi wording converted by apiextensions-apiserver).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileVersion, WIDGET_NAMES } from './schema-fixtures.js';

const SCHEMA = `
type: object
properties:
  apiVersion: {type: string}
  kind: {type: string}
  metadata: {type: object}
  spec:
    type: object
    required: [name]
    properties:
      name: {type: string, minLength: 1, maxLength: 8, pattern: '^[a-z ]+$'}
      size: {type: integer, minimum: 1, maximum: 10}
      title: {type: string, maxLength: 3}
      code: {type: string, pattern: '(?i)^[a-z\\-]+\\z'}
      digits: {type: string, pattern: '^[[:digit:]]+$'}
      replicas: {type: integer, format: int32, exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 5}
      ratio: {type: number, maximum: 1, multipleOf: 0.25}
      big: {type: number, maximum: 1000000}
      enabled: {type: boolean}
      mode: {type: string, enum: [A, B]}
      level: {type: integer, enum: [1, 2]}
      at: {type: string, format: date-time}
      data: {type: string, format: byte}
      note: {type: string, nullable: true}
      port: {x-kubernetes-int-or-string: true}
      tags:
        type: array
        minItems: 1
        maxItems: 3
        x-kubernetes-list-type: set
        items: {type: string}
      labels:
        type: object
        minProperties: 1
        maxProperties: 2
        additionalProperties: {type: string}
      users:
        type: array
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [name]
        items:
          type: object
          required: [name]
          properties:
            name: {type: string}
            role: {type: string}
      ports:
        type: array
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [port, protocol]
        items:
          type: object
          required: [port, protocol]
          properties:
            port: {type: integer}
            protocol: {type: string}
      choice:
        type: object
        properties:
          a: {type: string}
          b: {type: string}
        oneOf: [{required: [a]}, {required: [b]}]
      either:
        type: object
        properties:
          a: {type: string}
          b: {type: string}
        anyOf: [{required: [a]}, {required: [b]}]
      notEmpty:
        type: string
        not: {enum: ['']}
`;

const version = compileVersion(SCHEMA, WIDGET_NAMES);

/** A valid widget with `specYaml` merged over its spec. */
function widget(specYaml: string): Record<string, unknown> {
  const spec = { name: 'ok', ...(parse(`{${specYaml}}`) as Record<string, unknown>) };
  return {
    apiVersion: 'example.dev/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec,
  };
}

describe('OpenAPI validation messages', () => {
  const cases: { name: string; spec: string; expected: string[] }[] = [
    {
      name: 'valid object',
      spec: 'size: 3, tags: [a, b], labels: {x: y}, port: 80, note: null',
      expected: [],
    },
    {
      name: 'maximum',
      spec: 'size: 11',
      expected: ['spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10'],
    },
    {
      name: 'minimum',
      spec: 'size: 0',
      expected: ['spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1'],
    },
    {
      name: 'exclusive minimum',
      spec: 'replicas: 0',
      expected: ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than 0'],
    },
    {
      name: 'int32 out of range',
      spec: 'replicas: 3000000000, size: 2',
      expected: [
        '<nil>: Invalid value: "": strconv.ParseInt: parsing "3000000000": value out of range',
        'spec.replicas: Invalid value: 3000000000: spec.replicas in body should be less than 5',
      ],
    },
    {
      name: 'exclusive maximum',
      spec: 'replicas: 5',
      expected: ['spec.replicas: Invalid value: 5: spec.replicas in body should be less than 5'],
    },
    {
      name: 'float maximum',
      spec: 'ratio: 1.5',
      expected: ['spec.ratio: Invalid value: 1.5: spec.ratio in body should be less than or equal to 1'],
    },
    {
      name: 'multipleOf',
      spec: 'ratio: 0.3',
      expected: ['spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.25'],
    },
    {
      name: 'big float bound in Go %v form',
      spec: 'big: 1500000.5',
      expected: [
        'spec.big: Invalid value: 1.5000005e+06: spec.big in body should be less than or equal to 1e+06',
      ],
    },
    {
      name: 'null for a non-nullable string',
      spec: 'name: ~',
      expected: ['spec.name: Invalid value: "null": spec.name in body must be of type string: "null"'],
    },
    {
      name: 'integer given a string',
      spec: 'size: "3"',
      expected: ['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"'],
    },
    {
      name: 'integer given a float',
      spec: 'size: 2.5',
      expected: ['spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"'],
    },
    {
      name: 'boolean given a string',
      spec: 'enabled: "yes"',
      expected: [
        'spec.enabled: Invalid value: "string": spec.enabled in body must be of type boolean: "string"',
      ],
    },
    {
      name: 'enum',
      spec: 'mode: x',
      expected: ['spec.mode: Unsupported value: "x": supported values: "A", "B"'],
    },
    {
      name: 'integer enum',
      spec: 'level: 3',
      expected: ['spec.level: Unsupported value: 3: supported values: "1", "2"'],
    },
    {
      name: 'pattern',
      spec: 'name: "a1"',
      expected: ['spec.name: Invalid value: "a1": spec.name in body should match \'^[a-z ]+$\''],
    },
    {
      name: 'maxLength',
      spec: 'name: abcdefghi',
      expected: ['spec.name: Too long: may not be more than 8 bytes'],
    },
    { name: 'Go regexp flags, escapes and POSIX classes', spec: 'code: AB-c, digits: "123"', expected: [] },
    {
      name: 'Go regexp \\z anchors at the very end',
      spec: 'code: "ab\\n"',
      expected: ['spec.code: Invalid value: "ab\\n": spec.code in body should match \'(?i)^[a-z\\-]+\\z\''],
    },
    { name: 'maxLength counts characters, not bytes', spec: 'title: "ééé"', expected: [] },
    {
      name: 'maxLength on multi-byte text',
      spec: 'title: "éééé"',
      expected: ['spec.title: Too long: may not be more than 3 bytes'],
    },
    {
      name: 'minLength',
      spec: 'name: ""',
      expected: ['spec.name: Invalid value: "": spec.name in body should be at least 1 chars long'],
    },
    {
      name: 'date-time format',
      spec: 'at: yesterday',
      expected: [
        'spec.at: Invalid value: "yesterday": spec.at in body must be of type date-time: "yesterday"',
      ],
    },
    { name: 'valid date-time', spec: 'at: "2024-01-02T03:04:05Z", data: "aGVsbG8="', expected: [] },
    {
      name: 'byte format',
      spec: 'data: "not base64!"',
      expected: [
        'spec.data: Invalid value: "not base64!": spec.data in body must be of type byte: "not base64!"',
      ],
    },
    {
      name: 'int-or-string given a float',
      spec: 'port: 1.5',
      expected: [
        'spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"',
      ],
    },
    { name: 'int-or-string given a string', spec: 'port: http', expected: [] },
    {
      name: 'minItems',
      spec: 'tags: []',
      expected: ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items'],
    },
    {
      name: 'maxItems',
      spec: 'tags: [a, b, c, d]',
      expected: ['spec.tags: Too many: 4: must have at most 3 items'],
    },
    {
      name: 'minProperties',
      spec: 'labels: {}',
      expected: ['spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties'],
    },
    {
      name: 'maxProperties',
      spec: 'labels: {a: x, b: y, c: z}',
      expected: ['spec.labels: Too many: 3: must have at most 2 items'],
    },
    {
      name: 'additionalProperties value type',
      spec: 'labels: {a: 1}',
      expected: [
        'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
      ],
    },
    {
      name: 'required inside list items',
      spec: 'users: [{name: a}, {role: admin}]',
      expected: ['spec.users[1].name: Required value'],
    },
    {
      name: 'oneOf with two matches',
      spec: 'choice: {a: x, b: y}',
      expected: [
        '<nil>: Invalid value: "": "spec.choice" must validate one and only one schema (oneOf). Found 2 valid alternatives',
      ],
    },
    {
      name: 'anyOf with no match',
      spec: 'either: {}',
      expected: [
        '<nil>: Invalid value: "": "spec.either" must validate at least one schema (anyOf)',
        'spec.either.a: Required value',
      ],
    },
    {
      name: 'not',
      spec: 'notEmpty: ""',
      expected: ['<nil>: Invalid value: "": "spec.notEmpty" must not validate the schema (not)'],
    },
    {
      name: 'list-type set duplicate',
      spec: 'tags: [a, b, a]',
      expected: ['spec.tags[2]: Duplicate value: "a"'],
    },
    {
      name: 'list-type map duplicate key',
      spec: 'users: [{name: alice}, {name: bob}, {name: alice, role: x}]',
      expected: ['spec.users[2]: Duplicate value: {"name":"alice"}'],
    },
    {
      name: 'list-type map with two keys',
      spec: 'ports: [{port: 80, protocol: TCP}, {port: 80, protocol: UDP}, {protocol: TCP, port: 80}]',
      expected: ['spec.ports[2]: Duplicate value: {"port":80,"protocol":"TCP"}'],
    },
  ];
  it.each(cases)('$name', ({ spec, expected }) => {
    expect(version.validate(widget(spec)).map((e) => e.message)).toEqual(expected);
  });

  it('reports a missing required field with its path and type', () => {
    const object = widget('');
    delete (object.spec as Record<string, unknown>).name;
    expect(version.validate(object)).toEqual([
      { type: 'FieldValueRequired', field: 'spec.name', message: 'spec.name: Required value' },
    ]);
  });

  it('types each error as the real server does', () => {
    const errors = version.validate(
      widget('size: "x", mode: Z, name: abcdefghijk, tags: [a, a, b, c], users: [{name: a}, {name: a}]'),
    );
    expect(errors.map((e) => [e.field, e.type])).toEqual([
      ['spec.name', 'FieldValueTooLong'],
      ['spec.size', 'FieldValueTypeInvalid'],
      ['spec.mode', 'FieldValueNotSupported'],
      ['spec.tags', 'FieldValueTooMany'],
      ['spec.tags[1]', 'FieldValueDuplicate'],
      ['spec.users[1]', 'FieldValueDuplicate'],
    ]);
  });
});
