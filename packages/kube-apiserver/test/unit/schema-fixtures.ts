/**
 * What the kube-schema unit tests share: a real-looking CustomResourceDefinition built around one
 * openAPIV3Schema, and its compiled `v1` version. Every test CRD lives in group `example.dev`, is
 * namespaced and has one served, stored version `v1`; only the names and the schema differ.
 */
import { parse } from 'yaml';
import { compileCrd, type VersionSchema } from '../../src/schema/index.js';

export interface CrdNames {
  plural: string;
  singular: string;
  kind: string;
}

export const WIDGET_NAMES: CrdNames = { plural: 'widgets', singular: 'widget', kind: 'Widget' };

/** A CRD whose only version has the given openAPIV3Schema (YAML, indented from column 0). */
export function crdWithSchema(schemaYaml: string, names: CrdNames = WIDGET_NAMES): Record<string, unknown> {
  const crd = parse(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${names.plural}.example.dev}
spec:
  group: example.dev
  scope: Namespaced
  names: {plural: ${names.plural}, singular: ${names.singular}, kind: ${names.kind}, listKind: ${names.kind}List}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {}
`) as { spec: { versions: { schema: { openAPIV3Schema: unknown } }[] } };
  crd.spec.versions[0]!.schema.openAPIV3Schema = parse(schemaYaml);
  return crd;
}

/** Compiles the CRD and returns its `v1` schema; a CRD the compiler refuses fails the test file. */
export function compileVersion(schemaYaml: string, names: CrdNames = WIDGET_NAMES): VersionSchema {
  const result = compileCrd(crdWithSchema(schemaYaml, names));
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  const version = result.crd.versions.get('v1');
  if (!version) throw new Error('v1 missing');
  return version;
}
