/**
 * CEL `x-kubernetes-validations` at admission: `self`/`oldSelf` binding, transition rules,
 * message/messageExpression/reason/fieldPath, runtime errors, and the rule results' rendering
 * (Kubernetes 1.32, which the sandbox server reports: the bad value printed is the node's schema type name).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileVersion } from './schema-fixtures.js';

const SCHEMA = `
type: object
x-kubernetes-validations:
  - rule: "self.metadata.name.startsWith('g')"
    message: metadata.name must start with g
properties:
  spec:
    type: object
    x-kubernetes-validations:
      - rule: "!has(self.min) || !has(self.max) || self.min <= self.max"
      - rule: "!has(self.owner) || !has(self.peer) || self.owner != self.peer"
        message: owner and peer must differ
        fieldPath: .peer
      - rule: "!has(self.secret) || self.secret.size() == 0"
        reason: FieldValueForbidden
        message: secret may not be set
        fieldPath: .secret
      - rule: "has(self.id)"
        reason: FieldValueRequired
        message: id is required
        fieldPath: .id
      - rule: "!has(self.nested) || self.nested.value == 1"
      - rule: "!has(self.labels) || !('bad.key' in self.labels)"
        message: bad.key is reserved
        fieldPath: ".labels['bad.key']"
      - rule: "!has(self.note) || self.note != ''"
        message: note may not be empty
    properties:
      id:
        type: string
        x-kubernetes-validations:
          - rule: self == oldSelf
            message: is immutable
          - rule: "self.size() <= 8"
            messageExpression: "'id ' + self + ' is ' + string(self.size()) + ' characters, more than 8'"
      owner: {type: string}
      peer: {type: string}
      secret: {type: string}
      note: {type: string, nullable: true}
      expiresAt:
        type: string
        format: date-time
        x-kubernetes-validations:
          - rule: "self > timestamp('2020-01-01T00:00:00Z') && self.getFullYear() < 2100"
            message: must be in this century, after 2020
      timeout:
        type: string
        format: duration
        x-kubernetes-validations: [{rule: "self <= duration('1h')"}]
      divisor:
        type: integer
        x-kubernetes-validations: [{rule: "100 / self > 1"}]
      level:
        x-kubernetes-int-or-string: true
        x-kubernetes-validations: [{rule: "self > 0"}]
      min: {type: integer}
      max: {type: integer}
      count:
        type: integer
        x-kubernetes-validations:
          - rule: "self % 2 == 0"
          - rule: "self < 100"
            messageExpression: "'bad: ' + string(self / (self - self))"
            message: count too large
      labels:
        type: object
        additionalProperties: {type: string}
        x-kubernetes-validations:
          - rule: "self.all(k, k.lowerAscii() == k)"
            message: keys must be lower case
      nested:
        type: object
        x-kubernetes-preserve-unknown-fields: true
        properties:
          value: {type: integer}
      port:
        x-kubernetes-int-or-string: true
        x-kubernetes-validations:
          - rule: "type(self) == string ? self.matches('^[a-z]+$') : self > 0"
            message: port must be a positive number or a name
      members:
        type: array
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [name]
        x-kubernetes-validations:
          - rule: "self.all(m, m.name != 'root')"
            message: root may not be a member
        items:
          type: object
          required: [name]
          properties:
            name: {type: string}
            role:
              type: string
              x-kubernetes-validations:
                - rule: self == oldSelf
                  message: role is immutable
      tags:
        type: array
        items: {type: string}
        x-kubernetes-validations:
          - rule: "self.isSorted()"
            reason: FieldValueDuplicate
`;

const version = compileVersion(SCHEMA, { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' });

function gadget(specYaml: string, name = 'gadget'): Record<string, unknown> {
  const spec = { id: 'a1', ...(parse(`{${specYaml}}`) as Record<string, unknown>) };
  return { apiVersion: 'example.dev/v1', kind: 'Gadget', metadata: { name, namespace: 'default' }, spec };
}

function messages(object: Record<string, unknown>, old?: Record<string, unknown>): string[] {
  return version.validate(object, old).map((e) => e.message);
}

describe('CEL rules on create', () => {
  const cases: { name: string; spec: string; expected: string[] }[] = [
    {
      name: 'valid',
      spec: 'min: 1, max: 2, owner: a, peer: b, count: 4, labels: {a: b}, port: 8080, tags: [a, b]',
      expected: [],
    },
    {
      name: 'default message on an object',
      spec: 'min: 3, max: 2',
      expected: [
        'spec: Invalid value: "object": failed rule: !has(self.min) || !has(self.max) || self.min <= self.max',
      ],
    },
    {
      name: 'message and fieldPath',
      spec: 'owner: a, peer: a',
      expected: ['spec.peer: Invalid value: "object": owner and peer must differ'],
    },
    {
      name: 'reason FieldValueForbidden',
      spec: 'secret: x',
      expected: ['spec.secret: Forbidden: secret may not be set'],
    },
    {
      name: 'scalar failure prints its type name',
      spec: 'count: 3',
      expected: ['spec.count: Invalid value: "integer": failed rule: self % 2 == 0'],
    },
    {
      name: 'messageExpression',
      spec: 'id: abcdefghij',
      expected: ['spec.id: Invalid value: "string": id abcdefghij is 10 characters, more than 8'],
    },
    {
      name: 'failing messageExpression falls back to message',
      spec: 'count: 200',
      expected: ['spec.count: Invalid value: "integer": count too large'],
    },
    {
      name: 'fieldPath naming a map key',
      spec: "labels: {'bad.key': x}",
      expected: ['spec.labels[bad.key]: Invalid value: "object": bad.key is reserved'],
    },
    {
      name: 'rule on a map',
      spec: 'labels: {Abc: x}',
      expected: ['spec.labels: Invalid value: "object": keys must be lower case'],
    },
    {
      name: 'rule on a list-type map',
      spec: 'members: [{name: root}]',
      expected: ['spec.members: Invalid value: "array": root may not be a member'],
    },
    {
      name: 'reason FieldValueDuplicate',
      spec: 'tags: [b, a]',
      expected: ['spec.tags: Duplicate value: "array"'],
    },
    {
      name: 'int-or-string as a number',
      spec: 'port: 0',
      expected: ['spec.port: Invalid value: "": port must be a positive number or a name'],
    },
    {
      name: 'int-or-string as a name',
      spec: 'port: "HTTP"',
      expected: ['spec.port: Invalid value: "": port must be a positive number or a name'],
    },
    {
      name: 'preserved unknown fields do not break typed access',
      spec: 'nested: {value: 1, extra: {deep: true}}',
      expected: [],
    },
    {
      name: 'runtime error: missing key',
      spec: 'nested: {extra: 1}',
      expected: [
        'spec: Invalid value: "object": no such key: value evaluating rule: !has(self.nested) || self.nested.value == 1',
      ],
    },
  ];
  it.each(cases)('$name', ({ spec, expected }) => {
    expect(messages(gadget(spec))).toEqual(expected);
  });

  it('sees date-time strings as timestamps and duration strings as durations', () => {
    expect(messages(gadget('expiresAt: "2030-01-01T00:00:00Z", timeout: 30m'))).toEqual([]);
    expect(messages(gadget('expiresAt: "2019-12-31T23:59:59Z", timeout: 2h'))).toEqual([
      'spec.expiresAt: Invalid value: "string": must be in this century, after 2020',
      'spec.timeout: Invalid value: "string": failed rule: self <= duration(\'1h\')',
    ]);
  });

  it('renders runtime errors with cel-go wording', () => {
    expect(messages(gadget('divisor: 0'))).toEqual([
      'spec.divisor: Invalid value: "integer": division by zero evaluating rule: 100 / self > 1',
    ]);
    expect(messages(gadget('level: high'))).toEqual([
      `spec.level: Invalid value: "": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: self > 0`,
    ]);
    expect(messages(gadget('divisor: 5, level: 3'))).toEqual([]);
  });

  it('reports reason FieldValueRequired at the fieldPath', () => {
    const object = gadget('');
    delete (object.spec as Record<string, unknown>).id;
    expect(version.validate(object)).toEqual([
      { type: 'FieldValueRequired', field: 'spec.id', message: 'spec.id: Required value: id is required' },
    ]);
  });

  it("binds self at the root to the whole object, metadata included; the root path is Go's <nil>", () => {
    expect(version.validate(gadget('', 'widget'))).toEqual([
      {
        type: 'FieldValueInvalid',
        field: '<nil>',
        message: '<nil>: Invalid value: "object": metadata.name must start with g',
      },
    ]);
  });

  it('treats a null field as absent', () => {
    expect(messages(gadget('note: null'))).toEqual([]);
    expect(messages(gadget('note: ""'))).toEqual(['spec: Invalid value: "object": note may not be empty']);
  });

  it('skips rules after a blocking schema error, as the real server does', () => {
    expect(messages(gadget('count: "x", min: 3, max: 2'))).toEqual([
      'spec.count: Invalid value: "string": spec.count in body must be of type integer: "string"',
      '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });
});

describe('CEL transition rules on update', () => {
  it('skips transition rules on create', () => {
    expect(messages(gadget('id: new'))).toEqual([]);
  });

  it('allows an unchanged immutable field', () => {
    expect(messages(gadget('id: same'), gadget('id: same'))).toEqual([]);
  });

  it('refuses a changed immutable field', () => {
    expect(version.validate(gadget('id: new'), gadget('id: old'))).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.id',
        message: 'spec.id: Invalid value: "string": is immutable',
      },
    ]);
  });

  it('skips a transition rule when the old object did not have the field', () => {
    const old = gadget('');
    delete (old.spec as Record<string, unknown>).id;
    expect(messages(gadget('id: new'), old)).toEqual([]);
  });

  it('correlates list-type map items by key, not by position', () => {
    const old = gadget('members: [{name: a, role: admin}, {name: b, role: viewer}]');
    expect(
      messages(gadget('members: [{name: b, role: viewer}, {name: a, role: admin}, {name: c, role: x}]'), old),
    ).toEqual([]);
    expect(messages(gadget('members: [{name: b, role: admin}, {name: a, role: admin}]'), old)).toEqual([
      'spec.members[0].role: Invalid value: "string": role is immutable',
    ]);
  });
});

describe('validation performance', () => {
  // CPU time (not wall time) of the best of several batches: other processes share this machine.
  it('validates a small object well under a millisecond', () => {
    const object = gadget(
      'min: 1, max: 2, owner: a, peer: b, count: 4, labels: {a: b}, port: 8080, tags: [a, b], members: [{name: a, role: x}]',
    );
    const old = structuredClone(object);
    for (let i = 0; i < 200; i++) version.validate(object, old);
    const runs = 200;
    const perRun: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const start = process.cpuUsage();
      for (let i = 0; i < runs; i++) version.validate(object, old);
      const used = process.cpuUsage(start);
      perRun.push((used.user + used.system) / 1000 / runs);
    }
    expect(Math.min(...perRun)).toBeLessThan(0.5);
  });
});
