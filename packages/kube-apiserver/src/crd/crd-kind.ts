/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions as a kind: the real server's basic checks on names,
 * scope and versions, the schema module's compile errors as 422s, and the status that makes a CRD
 * Established at once (so `kubectl wait --for condition=established` returns).
 */
import { builtinType, pick, pickString } from '../builtin/define.js';
import { fieldError } from '../errors.js';
import type { ResourceType } from '../resource-type.js';
import type { CompileCrd, FieldError } from '../schema/contract.js';
import { formatTime } from '../time-format.js';
import { isJsonObject, str, type JsonObject, type KubeObject } from '../types.js';

export const CRD_STORAGE_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

function versionsOf(object: KubeObject): JsonObject[] {
  const versions = pick(object, 'spec', 'versions');
  return Array.isArray(versions) ? versions.filter(isJsonObject) : [];
}

function validateCrd(object: KubeObject, old: KubeObject | undefined, compileCrd: CompileCrd): FieldError[] {
  const errors: FieldError[] = [];
  const group = pickString(object, 'spec', 'group') ?? '';
  const plural = pickString(object, 'spec', 'names', 'plural') ?? '';
  const kind = pickString(object, 'spec', 'names', 'kind') ?? '';
  const scope = pickString(object, 'spec', 'scope') ?? '';
  if (!group) errors.push(fieldError('FieldValueRequired', 'spec.group', ''));
  else if (!group.includes('.')) {
    errors.push(
      fieldError(
        'FieldValueInvalid',
        'spec.group',
        'should be a domain with at least one dot',
        JSON.stringify(group),
      ),
    );
  }
  if (!plural) errors.push(fieldError('FieldValueRequired', 'spec.names.plural', ''));
  if (!kind) errors.push(fieldError('FieldValueRequired', 'spec.names.kind', ''));
  if (plural && group && object.metadata.name !== `${plural}.${group}`) {
    errors.push(
      fieldError(
        'FieldValueInvalid',
        'metadata.name',
        'must be spec.names.plural+"."+spec.group',
        JSON.stringify(object.metadata.name ?? ''),
      ),
    );
  }
  if (scope !== 'Namespaced' && scope !== 'Cluster') {
    errors.push(
      fieldError(
        'FieldValueNotSupported',
        'spec.scope',
        'supported values: "Cluster", "Namespaced"',
        JSON.stringify(scope),
      ),
    );
  }
  const versions = versionsOf(object);
  if (versions.length === 0)
    errors.push(
      fieldError(
        'FieldValueInvalid',
        'spec.versions',
        'must have exactly one version marked as storage version',
        '[]string(nil)',
      ),
    );
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    errors.push(
      fieldError(
        'FieldValueInvalid',
        'spec.versions',
        'must have exactly one version marked as storage version',
        JSON.stringify(versions.map((v) => v.name)),
      ),
    );
  }
  if (old) {
    if (pickString(old, 'spec', 'scope') !== scope)
      errors.push(fieldError('FieldValueInvalid', 'spec.scope', 'field is immutable', JSON.stringify(scope)));
  }
  if (errors.length) return errors;
  const compiled = compileCrd(object);
  return compiled.ok ? [] : compiled.errors;
}

/** Sets the defaults and the status the real apiextensions controllers would set. */
function normalizeCrd(object: KubeObject, now: () => Date): void {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  const names = isJsonObject(spec.names) ? spec.names : {};
  const kind = typeof names.kind === 'string' ? names.kind : '';
  names.singular ??= kind.toLowerCase();
  names.listKind ??= `${kind}List`;
  spec.conversion ??= { strategy: 'None' };
  const status = isJsonObject(object.status) ? object.status : {};
  const previous = Array.isArray(status.conditions) ? status.conditions.filter(isJsonObject) : [];
  const since = (type: string): string =>
    str(previous.find((c) => c.type === type)?.lastTransitionTime, formatTime(now()));
  const storage = versionsOf(object).find((v) => v.storage === true)?.name;
  const stored = Array.isArray(status.storedVersions) ? status.storedVersions.map(String) : [];
  if (typeof storage === 'string' && !stored.includes(storage)) stored.push(storage);
  object.status = {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: since('NamesAccepted'),
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: since('Established'),
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: { ...names },
    storedVersions: stored,
  };
}

export function crdResourceType(compileCrd: CompileCrd, now: () => Date): ResourceType {
  return builtinType({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    storageKey: CRD_STORAGE_KEY,
    statusSubresource: true,
    tracksGeneration: true,
    hooks: {
      knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
      normalize: (object) => normalizeCrd(object, now),
      validate: (object, old) => validateCrd(object, old, compileCrd),
    },
  });
}
