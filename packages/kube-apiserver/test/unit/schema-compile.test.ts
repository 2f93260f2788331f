/**
 * CRD admission by the schema machinery: structural-schema rules, per-node schema rules and CEL rule
 * compilation, with the messages the real apiextensions-apiserver gives.
 */
import { describe, expect, it } from 'vitest';
import { compileCrd } from '../../src/schema/index.js';
import { crdWithSchema } from './schema-fixtures.js';

const ROOT = 'spec.versions[0].schema.openAPIV3Schema';

function specSchema(specYaml: string): string {
  const indented = specYaml
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return `type: object\nproperties:\n  spec:\n${indented}\n`;
}

/** The Go struct the real server prints as the bad value; json.Marshal escapes <, > and &. */
function ruleValue(rule: string): string {
  const value = JSON.stringify({
    Rule: rule,
    Message: '',
    MessageExpression: '',
    Reason: null,
    FieldPath: '',
    OptionalOldSelf: null,
  });
  return value.replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026');
}

function messages(schemaYaml: string): string[] {
  const result = compileCrd(crdWithSchema(schemaYaml));
  return result.ok ? [] : result.errors.map((e) => e.message);
}

describe('compileCrd refuses non-structural schemas', () => {
  const cases: { name: string; schema: string; expected: string[] }[] = [
    {
      name: 'property without type',
      schema: specSchema('properties: {size: {minimum: 1}}\ntype: object'),
      expected: [
        `${ROOT}.properties[spec].properties[size].type: Required value: must not be empty for specified object fields`,
      ],
    },
    {
      name: 'object field without type',
      schema: 'type: object\nproperties:\n  spec:\n    properties: {a: {type: string}}\n',
      expected: [
        `${ROOT}.properties[spec].type: Required value: must not be empty for specified object fields`,
      ],
    },
    {
      name: 'array items without type',
      schema: specSchema('type: object\nproperties: {tags: {type: array, items: {maxLength: 3}}}'),
      expected: [
        `${ROOT}.properties[spec].properties[tags].items.type: Required value: must not be empty for specified array items`,
      ],
    },
    {
      name: 'root without type',
      schema: 'properties: {spec: {type: object}}',
      expected: [`${ROOT}.type: Required value: must not be empty at the root`],
    },
    {
      name: 'root not an object',
      schema: 'type: string',
      expected: [`${ROOT}.type: Invalid value: "string": must be object at the root`],
    },
    {
      name: 'array without items',
      schema: specSchema('type: object\nproperties: {tags: {type: array}}'),
      expected: [`${ROOT}.properties[spec].properties[tags].items: Required value: must be specified`],
    },
    {
      name: 'additionalProperties next to properties',
      schema: specSchema(
        'type: object\nproperties: {a: {type: string}}\nadditionalProperties: {type: string}',
      ),
      expected: [
        `${ROOT}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      ],
    },
    {
      name: 'additionalProperties at the root',
      schema: 'type: object\nadditionalProperties: {type: string}',
      expected: [`${ROOT}.additionalProperties: Forbidden: must not be used at the root`],
    },
    {
      name: 'uniqueItems',
      schema: specSchema(
        'type: object\nproperties: {tags: {type: array, uniqueItems: true, items: {type: string}}}',
      ),
      expected: [
        `${ROOT}.properties[spec].properties[tags].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      ],
    },
    {
      name: 'metadata restricting more than name',
      schema: 'type: object\nproperties:\n  metadata: {type: object, properties: {labels: {type: object}}}\n',
      expected: [
        `${ROOT}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
      ],
    },
    {
      name: 'type inside a value validation',
      schema: specSchema(
        'type: object\nproperties: {a: {type: string}}\nanyOf: [{type: object, required: [a]}]',
      ),
      expected: [`${ROOT}.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural`],
    },
    {
      name: 'value validation naming an unspecified field',
      schema: specSchema(
        'type: object\nproperties: {a: {type: string}}\noneOf: [{properties: {b: {minLength: 1}}}]',
      ),
      expected: [
        `${ROOT}.properties[spec].properties[b]: Required value: because it is defined in ${ROOT}.properties[spec].oneOf[0].properties[b]`,
      ],
    },
    {
      name: 'x-kubernetes-preserve-unknown-fields: false',
      schema: specSchema('type: object\nx-kubernetes-preserve-unknown-fields: false'),
      expected: [
        `${ROOT}.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
      ],
    },
    {
      name: 'list-type map without keys',
      schema: specSchema(
        'type: object\nproperties:\n  users: {type: array, x-kubernetes-list-type: map, items: {type: object, properties: {name: {type: string}}}}',
      ),
      expected: [
        `${ROOT}.properties[spec].properties[users].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      ],
    },
    {
      name: 'list-map-keys naming no item property',
      schema: specSchema(
        'type: object\nproperties:\n  users: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [id], items: {type: object, required: [name], properties: {name: {type: string}}}}',
      ),
      expected: [
        `${ROOT}.properties[spec].properties[users].x-kubernetes-list-map-keys: Invalid value: ["id"]: entries must all be names of item properties`,
      ],
    },
    {
      name: 'list-map key neither required nor defaulted',
      schema: specSchema(
        'type: object\nproperties:\n  users: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, properties: {name: {type: string}}}}',
      ),
      expected: [
        `${ROOT}.properties[spec].properties[users].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      ],
    },
    {
      name: 'unknown list type',
      schema: specSchema(
        'type: object\nproperties: {tags: {type: array, x-kubernetes-list-type: bag, items: {type: string}}}',
      ),
      expected: [
        `${ROOT}.properties[spec].properties[tags].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
      ],
    },
    {
      name: 'unknown rule reason',
      schema: specSchema("type: object\nx-kubernetes-validations: [{rule: 'true', reason: FieldValueBad}]"),
      expected: [
        `${ROOT}.properties[spec].x-kubernetes-validations[0].reason: Unsupported value: "FieldValueBad": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
      ],
    },
    {
      name: 'pattern RE2 refuses (lookahead)',
      schema: specSchema("type: object\nproperties: {p: {type: string, pattern: '^(?=a)b'}}"),
      expected: [
        `${ROOT}.properties[spec].properties[p].pattern: Invalid value: "^(?=a)b": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: \`(?=\``,
      ],
    },
    {
      name: 'pattern that does not parse',
      schema: specSchema("type: object\nproperties: {p: {type: string, pattern: '^(a'}}"),
      expected: [
        `${ROOT}.properties[spec].properties[p].pattern: Invalid value: "^(a": must be a valid regular expression, but isn't: error parsing regexp: missing closing ): \`^(a\``,
      ],
    },
    {
      name: 'default violating its schema',
      schema: specSchema('type: object\nproperties: {size: {type: integer, maximum: 10, default: 11}}'),
      expected: [
        `${ROOT}.properties[spec].properties[size].default: Invalid value: 11:  in body should be less than or equal to 10`,
      ],
    },
    {
      name: 'default with fields pruning would drop',
      schema: specSchema(
        'type: object\nproperties:\n  limits: {type: object, properties: {cpu: {type: string}}, default: {cpu: "1", gpu: 1}}',
      ),
      expected: [
        `${ROOT}.properties[spec].properties[limits].default: Invalid value: {"cpu":"1","gpu":1}: must not have unknown fields`,
      ],
    },
    {
      name: 'default failing its CEL rule',
      schema: specSchema(
        "type: object\nproperties:\n  name: {type: string, default: ABC, x-kubernetes-validations: [{rule: 'self.lowerAscii() == self', message: lower case only}]}",
      ),
      expected: [
        `${ROOT}.properties[spec].properties[name].default: Invalid value: "string": lower case only`,
      ],
    },
    {
      name: 'default on top-level metadata',
      schema: 'type: object\nproperties:\n  metadata: {type: object, default: {name: x}}\n',
      expected: [`${ROOT}.properties[metadata].default: Forbidden: must not be set in top-level metadata`],
    },
    {
      name: 'rule fieldPath naming no field',
      schema: specSchema(
        "type: object\nproperties: {a: {type: string}}\nx-kubernetes-validations: [{rule: 'true', fieldPath: .b}]",
      ),
      expected: [
        `${ROOT}.properties[spec].x-kubernetes-validations[0].fieldPath: Invalid value: ".b": must be a valid path`,
      ],
    },
  ];
  it.each(cases)('$name', ({ schema, expected }) => {
    expect(messages(schema)).toEqual(expected);
  });

  it('sorts structural errors by message, as the real server does', () => {
    const got = messages(
      'type: object\nproperties:\n  b: {properties: {x: {type: string}}}\n  a: {type: array}\n',
    );
    expect(got).toEqual([
      `${ROOT}.properties[a].items: Required value: must be specified`,
      `${ROOT}.properties[b].type: Required value: must not be empty for specified object fields`,
    ]);
  });
});

describe('compileCrd accepts structural schemas', () => {
  const cases: { name: string; schema: string }[] = [
    {
      name: 'metadata restricting name only',
      schema:
        'type: object\nproperties:\n  metadata: {type: object, properties: {name: {type: string, maxLength: 20}}}\n',
    },
    {
      name: 'int-or-string with its anyOf pattern',
      schema: specSchema(
        'type: object\nproperties:\n  port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}',
      ),
    },
    {
      name: 'preserve-unknown-fields without type',
      schema: specSchema('type: object\nproperties: {raw: {x-kubernetes-preserve-unknown-fields: true}}'),
    },
    {
      name: 'value validation on specified fields',
      schema: specSchema(
        'type: object\nproperties: {a: {type: string}, b: {type: string}}\noneOf: [{required: [a]}, {required: [b]}]',
      ),
    },
    {
      name: 'map of strings',
      schema: specSchema(
        'type: object\nproperties: {labels: {type: object, additionalProperties: {type: string}}}',
      ),
    },
  ];
  it.each(cases)('$name', ({ schema }) => {
    const result = compileCrd(crdWithSchema(schema));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('restricts the root schema when the status subresource is enabled', () => {
    const crd = crdWithSchema('type: object\nminProperties: 1\nproperties: {spec: {type: object}}');
    const spec = crd.spec as { versions: Record<string, unknown>[] };
    expect(compileCrd(crd).ok).toBe(true);
    spec.versions[0]!.subresources = { status: {} };
    const result = compileCrd(crd);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      `${ROOT}: Invalid value: {"type":"object","minProperties":1,"properties":{"spec":{"type":"object"}}}: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled`,
    ]);
  });

  it('compiles only served versions into the result, but checks every version', () => {
    const crd = crdWithSchema('type: object');
    const spec = crd.spec as { versions: Record<string, unknown>[] };
    spec.versions.push({
      name: 'v2',
      served: false,
      storage: false,
      schema: { openAPIV3Schema: { type: 'object' } },
    });
    const result = compileCrd(crd);
    expect(result.ok && [...result.crd.versions.keys()]).toEqual(['v1']);
    spec.versions[1] = {
      name: 'v2',
      served: false,
      storage: false,
      schema: { openAPIV3Schema: { type: 'string' } },
    };
    const refused = compileCrd(crd);
    expect(refused.ok ? [] : refused.errors.map((e) => e.field)).toEqual([
      'spec.versions[1].schema.openAPIV3Schema.type',
    ]);
  });
});

describe('compileCrd compiles CEL rules', () => {
  const rulePath = `${ROOT}.properties[spec].x-kubernetes-validations[0].rule`;
  const withRule = (rule: string, extra = ''): string =>
    specSchema(
      `type: object\nproperties:\n  name: {type: string}\n  size: {type: integer}\n  ratio: {type: number}\n  tags: {type: array, items: {type: string}}\n  at: {type: string, format: date-time}\n${extra}x-kubernetes-validations:\n  - rule: ${JSON.stringify(rule)}`,
    );

  it('refuses a function the environment does not have, with cel-go rendering', () => {
    expect(messages(withRule('foo(self)'))).toEqual([
      `${rulePath}: Invalid value: ${ruleValue('foo(self)')}: compilation failed: ERROR: <input>:1:4: undeclared reference to 'foo' (in container '')\n | foo(self)\n | ...^`,
    ]);
  });

  const refused: { name: string; rule: string; detail: string }[] = [
    {
      name: 'unknown method',
      rule: "self.name.shout() == 'A'",
      detail: "ERROR: <input>:1:16: undeclared reference to 'shout' (in container '')",
    },
    {
      name: 'url library (not provided)',
      rule: "url(self.name).getHost() == 'x'",
      detail: "undeclared reference to 'url'",
    },
    {
      name: 'undeclared variable',
      rule: 'other.size > 1',
      detail: "ERROR: <input>:1:1: undeclared reference to 'other' (in container '')",
    },
    {
      name: 'field the schema does not have',
      rule: 'self.nope == 1',
      detail: "ERROR: <input>:1:5: undefined field 'nope'",
    },
    { name: 'has() on an undefined field', rule: 'has(self.nope)', detail: "undefined field 'nope'" },
    {
      name: 'string compared with null',
      rule: 'self.name != null',
      detail: "found no matching overload for '_!=_' applied to '(string, null)'",
    },
    {
      name: 'int compared with string',
      rule: "self.size == 'a'",
      detail: "found no matching overload for '_==_' applied to '(int, string)'",
    },
    {
      name: 'double compared with int',
      rule: 'self.ratio == 1',
      detail: "found no matching overload for '_==_' applied to '(double, int)'",
    },
    {
      name: 'object indexed like a map',
      rule: "self['name'] == 'a'",
      detail: "found no matching overload for '_[_]'",
    },
    {
      name: 'wrong arity',
      rule: "self.name.startsWith('a', 'b')",
      detail: "found no matching overload for 'startsWith'",
    },
    { name: 'syntax error', rule: 'self.size >', detail: 'ERROR: <input>:1:' },
    {
      name: 'method on the wrong type',
      rule: "self.size.startsWith('a')",
      detail: "ERROR: <input>:1:21: found no matching overload for 'startsWith' applied to 'int.(string)'",
    },
    {
      name: 'string plus int',
      rule: 'self.name + 1 == "a1"',
      detail: "found no matching overload for '_+_' applied to '(string, int)'",
    },
    {
      name: 'string less than int',
      rule: 'self.name < 1',
      detail: "found no matching overload for '_<_' applied to '(string, int)'",
    },
    {
      name: 'non-bool operand of &&',
      rule: 'self.name && true',
      detail: "found no matching overload for '_&&_' applied to '(string, bool)'",
    },
    {
      name: 'timestamp compared with a string',
      rule: "self.at == '2020-01-01'",
      detail: "found no matching overload for '_==_' applied to '(timestamp, string)'",
    },
    {
      name: 'mixed list literal',
      rule: "self.size in [1, 'two']",
      detail: "ERROR: <input>:1:18: expected type 'int' but found 'string'",
    },
    {
      name: 'size of an int',
      rule: 'size(self.size) > 0',
      detail: "found no matching overload for 'size' applied to '(int)'",
    },
    {
      name: 'invalid regex literal',
      rule: "self.name.matches(')')",
      detail: 'ERROR: <input>:1:19: invalid matches argument',
    },
    {
      name: 'invalid duration literal',
      rule: "duration('1d') > duration('1h')",
      detail: 'ERROR: <input>:1:10: invalid duration argument',
    },
    {
      name: 'invalid timestamp literal',
      rule: "timestamp('1000-00-00T00:00:00Z') != timestamp('2000-01-01T00:00:00Z')",
      detail: 'ERROR: <input>:1:11: invalid timestamp argument',
    },
  ];
  it.each(refused)('refuses $name', ({ rule, detail }) => {
    const got = messages(withRule(rule));
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(`${rulePath}: Invalid value: ${ruleValue(rule)}: compilation failed: `);
    expect(got[0]).toContain(detail);
  });

  it('infers the result type of method calls', () => {
    expect(messages(withRule('self.name.size()'))).toEqual([
      `${rulePath}: Invalid value: ${ruleValue('self.name.size()')}: cel expression must evaluate to a bool`,
    ]);
  });

  it('prints the rule as Go json.Marshal does, HTML characters escaped', () => {
    const got = messages(withRule('self.size < 1 && nope()'));
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(
      `${rulePath}: Invalid value: {"Rule":"self.size \\u003c 1 \\u0026\\u0026 nope()","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: compilation failed: ERROR: <input>:1:22: undeclared reference to 'nope' (in container '')`,
    );
  });

  it('refuses a rule that does not evaluate to a bool', () => {
    expect(messages(withRule('self.name'))).toEqual([
      `${rulePath}: Invalid value: ${ruleValue('self.name')}: cel expression must evaluate to a bool`,
    ]);
  });

  it('refuses a messageExpression that does not compile or is not a string', () => {
    const schema = specSchema(
      "type: object\nproperties: {size: {type: integer}}\nx-kubernetes-validations:\n  - {rule: 'self.size > 0', messageExpression: 'bar(self)'}\n  - {rule: 'self.size > 0', messageExpression: 'self.size'}",
    );
    const got = messages(schema);
    expect(got).toHaveLength(2);
    expect(got[0]).toContain(
      `${ROOT}.properties[spec].x-kubernetes-validations[0].messageExpression: Invalid value: {"Rule":"self.size \\u003e 0"`,
    );
    expect(got[0]).toContain(
      "messageExpression compilation failed: ERROR: <input>:1:4: undeclared reference to 'bar' (in container '')",
    );
    expect(got[1]).toMatch(
      /x-kubernetes-validations\[1\]\.messageExpression: Invalid value: .*: messageExpression must evaluate to a string$/,
    );
  });

  it('refuses oldSelf under a list that cannot correlate items', () => {
    const schema = specSchema(
      "type: object\nproperties:\n  items:\n    type: array\n    items:\n      type: object\n      properties: {id: {type: string}}\n      x-kubernetes-validations: [{rule: 'self.id == oldSelf.id'}]",
    );
    expect(messages(schema)).toEqual([
      `${ROOT}.properties[spec].properties[items].items.x-kubernetes-validations[0].rule: Invalid value: "self.id == oldSelf.id": oldSelf cannot be used on the uncorrelatable portion of the schema within ${ROOT}.properties[spec].properties[items]`,
    ]);
  });

  it('allows oldSelf under a list-type map', () => {
    const schema = specSchema(
      "type: object\nproperties:\n  items:\n    type: array\n    x-kubernetes-list-type: map\n    x-kubernetes-list-map-keys: [id]\n    items:\n      type: object\n      required: [id]\n      properties: {id: {type: string}, v: {type: string}}\n      x-kubernetes-validations: [{rule: 'self.v == oldSelf.v'}]",
    );
    expect(messages(schema)).toEqual([]);
  });

  const accepted = [
    'self.tags.all(t, t.size() < 10) && self.tags.exists(t, t == "a") && self.tags.exists_one(t, t == "b")',
    'self.tags.map(t, t.lowerAscii()).filter(t, t.startsWith("x")).size() >= 0',
    'has(self.name) ? self.name.matches("^[a-z]+$") && self.name.endsWith("z") && self.name.contains("q") : true',
    'self.tags.isSorted() && [1, 2].sum() == 3 && [3, 1].min() == 1 && [3, 1].max() == 3',
    'self.tags.indexOf("a") >= -1 && self.tags.lastIndexOf("a") >= -1',
    'self.name.upperAscii().split(",").join("-").replace("a", "b").trim().substring(0).charAt(0) != "" || true',
    'self.name.indexOf("a") < 5 && self.size + 1 > 0 && int(self.ratio) >= 0 && string(self.size) != ""',
    'sets.contains(self.tags, ["a"]) || sets.intersects(self.tags, ["b"]) || sets.equivalent(self.tags, [])',
    'self.name.find("[0-9]+") == "" || self.name.findAll("[0-9]").size() > 0',
    'self.ratio > 0.5 && self.size in [1, 2, 3] && type(self.size) == int',
    'self.ratio > 1 && self.size < 2.5 && self.tags + ["x"] != self.tags && duration("1h30m") > duration("1m")',
    'self.name + "x" != "" && -self.size < 0 && !(self.size > 3) && self.tags[0] != "a" && self.name.size() + 1 > 1',
  ];
  it.each(accepted)('compiles %s', (rule) => {
    expect(messages(withRule(rule))).toEqual([]);
  });
});
