import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, isCelError } from '@bufbuild/cel';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CRD_FILE,
  celRules,
  crossAccountDelegationCrd,
  openApiSchema,
  printerColumns,
  renderCrdYaml,
} from '../../../src/api/index.js';
import { aDelegationSpec } from '../../support/gen.js';

/** The seed spec as loose JSON, to break on purpose. */
const seedSpec = (): Record<string, any> => aDelegationSpec();

const crdPath = join(import.meta.dirname, '..', '..', '..', 'crds', CRD_FILE);

/** CEL sees YAML objects as maps and whole numbers as int, as the Kubernetes CEL environment does. */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** Evaluates the CRD's CEL rule at `path` against `self` (and `oldSelf` for transition rules). */
function evaluate(path: string, ruleIndex: number, self: unknown, oldSelf?: unknown): boolean {
  const rule = celRules().filter((r) => r.path === path)[ruleIndex];
  if (!rule) throw new Error(`no CEL rule ${ruleIndex} at ${path}`);
  const bindings: Record<string, unknown> = { self: toCel(self) };
  if (oldSelf !== undefined) bindings.oldSelf = toCel(oldSelf);
  const result = run(rule.rule, bindings as never) as unknown;
  if (isCelError(result)) throw new Error(`${rule.rule}: ${String(result)}`);
  return result as boolean;
}

/** Walks a schema and returns the paths of nodes a structural schema would refuse. */
function nonStructural(node: Record<string, any>, path: string): string[] {
  const problems: string[] = [];
  if (!node.type && !node['x-kubernetes-preserve-unknown-fields'] && !node['x-kubernetes-int-or-string'])
    problems.push(`${path}: no type`);
  for (const key of ['anyOf', 'oneOf', '$ref', '$schema']) if (key in node) problems.push(`${path}: ${key}`);
  if (node.additionalProperties === false) problems.push(`${path}: additionalProperties false`);
  if (node.properties && node.additionalProperties)
    problems.push(`${path}: properties and additionalProperties`);
  for (const [name, child] of Object.entries<Record<string, any>>(node.properties ?? {}))
    problems.push(...nonStructural(child, `${path}.${name}`));
  if (node.items) problems.push(...nonStructural(node.items, `${path}[]`));
  if (typeof node.additionalProperties === 'object')
    problems.push(...nonStructural(node.additionalProperties, `${path}{}`));
  return problems;
}

describe('generated CRD', () => {
  it('matches the committed crds/ file (run `npm run crds` after changing src/api/)', () => {
    expect(readFileSync(crdPath, 'utf8')).toBe(renderCrdYaml());
  });

  it('round-trips through YAML to the generator object', () => {
    expect(parse(renderCrdYaml())).toEqual(crossAccountDelegationCrd());
  });

  it('is a structural schema', () => {
    expect(nonStructural(openApiSchema(), 'openAPIV3Schema')).toEqual([]);
  });

  it('serves the status subresource, short name, category and printer columns', () => {
    const crd = crossAccountDelegationCrd() as any;
    const version = crd.spec.versions[0];
    expect(version.subresources).toEqual({ status: {} });
    expect(crd.spec.names.shortNames).toEqual(['cad']);
    expect(crd.spec.names.categories.length).toBeGreaterThan(0);
    expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual([
      'Ready',
      'Reason',
      'Role ARN',
      'Owner',
      'Authorized',
      'Expires',
      'Age',
    ]);
    expect(printerColumns[0]?.jsonPath).toBe('.status.conditions[?(@.type=="Ready")].status');
  });

  it('carries the CEL rules the issue asks for', () => {
    const rules = celRules().map((r) => `${r.path}: ${r.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'spec.owner.accountId: self == oldSelf',
        'spec.authorized.accountId: self == oldSelf',
        'spec.role.name: self == oldSelf',
        'spec: self.owner.accountId != self.authorized.accountId',
        'spec.policies[].custom: has(self.document)',
      ]),
    );
  });
});

describe('CRD CEL rules, evaluated by a real CEL implementation', () => {
  const transitionCases: [path: string, oldValue: string, newValue: string, allowed: boolean][] = [
    ['spec.owner.accountId', '1111111111111111', '1111111111111111', true],
    ['spec.owner.accountId', '1111111111111111', '3333333333333333', false],
    ['spec.authorized.accountId', '2222222222222222', '2222222222222222', true],
    ['spec.authorized.accountId', '2222222222222222', '4444444444444444', false],
    ['spec.role.name', 'orders-bus-publisher', 'orders-bus-publisher', true],
    ['spec.role.name', 'orders-bus-publisher', 'orders-bus-admin', false],
  ];
  it.each(transitionCases)('%s: %s -> %s allowed=%s', (path, oldValue, newValue, allowed) => {
    expect(evaluate(path, 0, newValue, oldValue)).toBe(allowed);
  });

  it('requires owner and authorized to differ', () => {
    const spec = seedSpec();
    expect(evaluate('spec', 0, spec)).toBe(true);
    spec.authorized.accountId = spec.owner.accountId;
    expect(evaluate('spec', 0, spec)).toBe(false);
  });

  it('requires users when the trust names users', () => {
    const spec = seedSpec();
    spec.role.trust.principals = 'Users';
    expect(evaluate('spec', 1, spec)).toBe(true);
    spec.users = [];
    expect(evaluate('spec', 1, spec)).toBe(false);
    delete spec.role.trust;
    expect(evaluate('spec', 1, spec)).toBe(true);
  });

  it('requires a document on a custom policy', () => {
    const custom = seedSpec().policies[0].custom;
    expect(evaluate('spec.policies[].custom', 0, custom)).toBe(true);
    delete custom.document;
    expect(evaluate('spec.policies[].custom', 0, custom)).toBe(false);
  });

  it('requires exactly one of system or custom', () => {
    const policy = seedSpec().policies[0];
    expect(evaluate('spec.policies[]', 0, policy)).toBe(true);
    expect(evaluate('spec.policies[]', 0, { ...policy, system: 'AliyunEventBridgeReadOnlyAccess' })).toBe(
      false,
    );
    expect(evaluate('spec.policies[]', 0, {})).toBe(false);
    expect(evaluate('spec.policies[]', 0, { system: 'AliyunEventBridgeReadOnlyAccess' })).toBe(true);
  });

  it('allows mfaRequired on Console users only', () => {
    const [programmatic, consoleUser] = seedSpec().users;
    expect(evaluate('spec.users[]', 0, consoleUser)).toBe(true);
    expect(evaluate('spec.users[]', 0, programmatic)).toBe(true);
    expect(evaluate('spec.users[]', 0, { ...programmatic, mfaRequired: false })).toBe(false);
  });
});
