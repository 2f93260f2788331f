/**
 * The project's own CRD through the schema machinery: it must compile, its examples must validate
 * clean after pruning and defaulting, and the CEL rules it ships must refuse what they are meant to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { compileCrd, type VersionSchema } from '@ram-delegation/kube-apiserver/schema';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CRD_FILE = join(ROOT, 'crds', 'crossaccountdelegations.ram-delegation.dev.yaml');

const crd = parse(readFileSync(CRD_FILE, 'utf8')) as Record<string, any>;

function compileProjectCrd(): VersionSchema {
  const result = compileCrd(crd);
  if (!result.ok) throw new Error(`project CRD refused:\n${result.errors.map((e) => e.message).join('\n')}`);
  const version = result.crd.versions.get('v1alpha1');
  if (!version) throw new Error('v1alpha1 is not served');
  return version;
}

function examples(): { file: string; object: Record<string, unknown> }[] {
  const dir = join(ROOT, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8'))
        .map((doc) => doc.toJSON() as Record<string, unknown> | null)
        .filter((o): o is Record<string, unknown> => o?.kind === 'CrossAccountDelegation')
        .map((object) => ({ file, object })),
    );
}

/**
 * The message of the CRD's rule whose text contains `ruleText`, on the schema node at `schemaPath`
 * (property names from the root schema): the tests follow the CRD the lead generates, not a copy.
 */
function ruleMessage(schemaPath: string[], ruleText: string): string {
  let node = crd.spec.versions[0].schema.openAPIV3Schema;
  for (const name of schemaPath) node = name === '[]' ? node.items : node.properties[name];
  const rule = (node['x-kubernetes-validations'] as { rule: string; message?: string }[]).find((r) =>
    r.rule.includes(ruleText),
  );
  if (!rule) throw new Error(`no rule containing ${ruleText} at ${schemaPath.join('.')}`);
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** An example as the server would store it: pruned and defaulted. */
function admitted(version: VersionSchema, object: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(object);
  version.prune(copy);
  version.applyDefaults(copy);
  return copy;
}

const version = compileProjectCrd();
const all = examples();
const minimal = all.find((e) => e.file === 'minimal.yaml')?.object;

describe('the project CRD', () => {
  it('has examples to check', () => {
    expect(all.length).toBeGreaterThan(0);
    expect(minimal).toBeDefined();
  });

  it.each(all.map((e) => [e.file, e.object] as const))(
    '%s validates clean after pruning and defaulting',
    (_file, object) => {
      const copy = structuredClone(object);
      expect(version.prune(copy)).toEqual([]);
      version.applyDefaults(copy);
      expect(version.validate(copy)).toEqual([]);
    },
  );

  it('defaults the minimal example like the design says', () => {
    const spec = admitted(version, minimal ?? {}).spec as Record<string, any>;
    expect(spec.role.maxSessionDuration).toBe(3600);
    expect(spec.role.trust).toEqual({ principals: 'Account', requireMFA: false });
    expect(spec.assumeRoleGrant).toBe('Scoped');
    expect(spec.deletionPolicy).toBe('Delete');
    expect(spec.suspend).toBe(false);
  });

  it('refuses the same account as owner and authorized', () => {
    const bad = admitted(version, minimal ?? {}) as Record<string, any>;
    bad.spec.authorized.accountId = bad.spec.owner.accountId;
    expect(version.validate(bad).map((e) => e.message)).toEqual([
      `spec.authorized.accountId: Invalid value: "object": ${ruleMessage(['spec'], 'self.owner.accountId != self.authorized.accountId')}`,
    ]);
  });

  it('refuses changing an immutable account id on update', () => {
    const old = admitted(version, minimal ?? {}) as Record<string, any>;
    const updated = structuredClone(old);
    updated.spec.owner.accountId = '3333333333333333';
    expect(version.validate(updated, old).map((e) => e.message)).toEqual([
      `spec.owner.accountId: Invalid value: "string": ${ruleMessage(['spec', 'owner', 'accountId'], 'self == oldSelf')}`,
    ]);
  });

  it('refuses a malformed account id and an unknown deletion policy', () => {
    const bad = admitted(version, minimal ?? {}) as Record<string, any>;
    bad.spec.owner.accountId = '123';
    bad.spec.deletionPolicy = 'Keep';
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    const pattern = spec.owner.properties.accountId.pattern as string;
    const policies = (spec.deletionPolicy.enum as string[]).map((v) => `"${v}"`).join(', ');
    expect(version.validate(bad).map((e) => e.message)).toEqual([
      `spec.owner.accountId: Invalid value: "123": spec.owner.accountId in body should match '${pattern}'`,
      `spec.deletionPolicy: Unsupported value: "Keep": supported values: ${policies}`,
      '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('refuses a policy that is both system and custom', () => {
    const bad = admitted(version, minimal ?? {}) as Record<string, any>;
    bad.spec.policies = [
      {
        system: 'A',
        custom: {
          name: 'b',
          document: { Version: '1', Statement: [{ Effect: 'Allow', Action: ['x'], Resource: ['*'] }] },
        },
      },
    ];
    expect(version.validate(bad).map((e) => e.message)).toEqual([
      `spec.policies[0]: Invalid value: "object": ${ruleMessage(['spec', 'policies', '[]'], 'has(self.system) != has(self.custom)')}`,
    ]);
  });
});
