/**
 * Validation ratcheting on update (on by default since Kubernetes 1.30): errors in parts of an object
 * that did not change are dropped; changed parts are validated in full.
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
      size: {type: integer, maximum: 10}
      label: {type: string}
      name:
        type: string
        x-kubernetes-validations:
          - rule: "self.size() <= 5"
            message: name too long
          - rule: self == oldSelf
            message: name is immutable
      steps:
        type: array
        items: {type: integer, maximum: 10}
      frozen:
        type: array
        x-kubernetes-list-type: atomic
        items: {type: integer, maximum: 10}
      tags:
        type: array
        x-kubernetes-list-type: set
        items: {type: string}
`;

const version = compileVersion(SCHEMA, { plural: 'dials', singular: 'dial', kind: 'Dial' });

function dial(specYaml: string): Record<string, unknown> {
  return {
    apiVersion: 'example.dev/v1',
    kind: 'Dial',
    metadata: { name: 'd' },
    spec: parse(`{${specYaml}}`),
  };
}

describe('ratcheting', () => {
  const cases: { name: string; old: string; updated: string; expected: string[] }[] = [
    {
      name: 'unchanged invalid field',
      old: 'size: 11, label: a',
      updated: 'size: 11, label: b',
      expected: [],
    },
    {
      name: 'changed invalid field',
      old: 'size: 11',
      updated: 'size: 12',
      expected: ['spec.size: Invalid value: 12: spec.size in body should be less than or equal to 10'],
    },
    {
      name: 'field invalid since create',
      old: 'label: a',
      updated: 'label: a, size: 11',
      expected: ['spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10'],
    },
    {
      name: 'list items without list type correlate by index',
      old: 'steps: [11, 1]',
      updated: 'steps: [11, 2]',
      expected: [],
    },
    {
      name: 'changed list item',
      old: 'steps: [11, 1]',
      updated: 'steps: [1, 11]',
      expected: [
        'spec.steps[1]: Invalid value: 11: spec.steps[1] in body should be less than or equal to 10',
      ],
    },
    {
      name: 'atomic list items do not correlate',
      old: 'frozen: [11, 1]',
      updated: 'frozen: [11, 2]',
      expected: [
        'spec.frozen[0]: Invalid value: 11: spec.frozen[0] in body should be less than or equal to 10',
      ],
    },
    {
      name: 'unchanged atomic list',
      old: 'frozen: [11], label: a',
      updated: 'frozen: [11], label: b',
      expected: [],
    },
    {
      name: 'set duplicates already in the old object',
      old: 'tags: [a, a]',
      updated: 'tags: [a, a, b]',
      expected: [],
    },
    {
      name: 'new set duplicates',
      old: 'tags: [a]',
      updated: 'tags: [a, b, b]',
      expected: ['spec.tags[2]: Duplicate value: "b"'],
    },
    {
      name: 'CEL rule on an unchanged value',
      old: 'name: toolongname, label: a',
      updated: 'name: toolongname, label: b',
      expected: [],
    },
    {
      name: 'transition rules are never ratcheted',
      old: 'name: abc',
      updated: 'name: abcdefgh',
      expected: [
        'spec.name: Invalid value: "string": name too long',
        'spec.name: Invalid value: "string": name is immutable',
      ],
    },
  ];
  it.each(cases)('$name', ({ old, updated, expected }) => {
    expect(version.validate(dial(updated), dial(old)).map((e) => e.message)).toEqual(expected);
  });

  it('validates everything on create', () => {
    expect(version.validate(dial('size: 11, name: toolongname')).map((e) => e.message)).toEqual([
      'spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10',
      'spec.name: Invalid value: "string": name too long',
    ]);
  });
});
