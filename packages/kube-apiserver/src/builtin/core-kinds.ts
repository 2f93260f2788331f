/** core/v1 Namespaces, Secrets and ConfigMaps with the real server's decoding and validation rules. */
import { fieldError } from '../errors.js';
import type { ResourceType } from '../resource-type.js';
import type { FieldError } from '../schema/contract.js';
import { isJsonObject, jsonEqual, type KubeObject } from '../types.js';
import { AGE_COLUMN, NAME_COLUMN, age, builtinType, countKeys, decodeError, pickString } from './define.js';

export const namespaceType: ResourceType = builtinType({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  statusSubresource: true,
  hooks: {
    knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
    normalize(object) {
      const spec = isJsonObject(object.spec) ? object.spec : {};
      spec.finalizers ??= ['kubernetes'];
      object.spec = spec;
      const status = isJsonObject(object.status) ? object.status : {};
      status.phase = object.metadata.deletionTimestamp ? 'Terminating' : 'Active';
      object.status = status;
    },
    fieldLabel(object, label) {
      return label === 'status.phase' ? (pickString(object, 'status', 'phase') ?? '') : undefined;
    },
    table: {
      columns: [
        NAME_COLUMN,
        {
          name: 'Status',
          type: 'string',
          description: 'The status of the namespace',
          jsonPath: '.status.phase',
        },
        AGE_COLUMN,
      ],
      cells: (o) => [o.metadata.name, pickString(o, 'status', 'phase') ?? '', age(o)],
    },
  },
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks that every value of a data map is base64, as the []byte decoder requires. */
function decodeBytesMap(kind: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isJsonObject(value)) {
    throw decodeError(
      kind,
      'v1',
      `json: cannot unmarshal ${typeof value} into Go struct field ${kind}.data of type map[string][]uint8`,
    );
  }
  for (const v of Object.values(value)) {
    if (typeof v !== 'string' || v.length % 4 !== 0 || !BASE64.test(v)) {
      const at = typeof v === 'string' ? Math.max(0, v.search(/[^A-Za-z0-9+/=]/)) : 0;
      throw decodeError(kind, 'v1', `illegal base64 data at input byte ${at}`);
    }
  }
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

function validateDataKeys(map: unknown, field: string): FieldError[] {
  if (!isJsonObject(map)) return [];
  return Object.keys(map)
    .filter((key) => !CONFIG_KEY.test(key) || key.length > 253)
    .map((key) =>
      fieldError(
        'FieldValueInvalid',
        field,
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        JSON.stringify(key),
      ),
    );
}

/** `immutable: true` freezes the payload and itself, as the real Secret/ConfigMap validation does. */
function validateImmutable(object: KubeObject, old: KubeObject | undefined, payload: string[]): FieldError[] {
  if (!old || old.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (object.immutable !== true) {
    errors.push(fieldError('FieldValueForbidden', 'immutable', 'field is immutable when `immutable` is set'));
  }
  for (const field of payload) {
    if (!jsonEqual(object[field] ?? {}, old[field] ?? {})) {
      errors.push(fieldError('FieldValueForbidden', field, 'field is immutable when `immutable` is set'));
    }
  }
  return errors;
}

export const secretType: ResourceType = builtinType({
  group: '',
  version: 'v1',
  resource: 'secrets',
  kind: 'Secret',
  namespaced: true,
  hooks: {
    knownFields: ['apiVersion', 'kind', 'metadata', 'data', 'stringData', 'type', 'immutable'],
    decode(object) {
      decodeBytesMap('Secret', object.data);
      if (object.stringData !== undefined && object.stringData !== null && !isJsonObject(object.stringData)) {
        throw decodeError(
          'Secret',
          'v1',
          'json: cannot unmarshal into Go struct field Secret.stringData of type map[string]string',
        );
      }
    },
    normalize(object) {
      if (isJsonObject(object.stringData)) {
        const data = isJsonObject(object.data) ? object.data : {};
        for (const [key, value] of Object.entries(object.stringData)) {
          data[key] = Buffer.from(String(value), 'utf8').toString('base64');
        }
        object.data = data;
      }
      delete object.stringData;
      if (isJsonObject(object.data) && Object.keys(object.data).length === 0) delete object.data;
      object.type ??= 'Opaque';
    },
    validate(object, old) {
      const errors = validateDataKeys(object.data, 'data');
      if (old && old.type !== object.type) {
        errors.push(
          fieldError('FieldValueInvalid', 'type', 'field is immutable', JSON.stringify(object.type)),
        );
      }
      return [...errors, ...validateImmutable(object, old, ['data'])];
    },
    fieldLabel(object, label) {
      return label === 'type' ? (pickString(object, 'type') ?? '') : undefined;
    },
    table: {
      columns: [
        NAME_COLUMN,
        { name: 'Type', type: 'string', description: 'The type of the secret', jsonPath: '.type' },
        {
          name: 'Data',
          type: 'string',
          description: 'The number of entries in the data map',
          jsonPath: '.data',
        },
        AGE_COLUMN,
      ],
      cells: (o) => [o.metadata.name, o.type ?? '', countKeys(o.data), age(o)],
    },
  },
});

export const configMapType: ResourceType = builtinType({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  shortNames: ['cm'],
  hooks: {
    knownFields: ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable'],
    decode(object) {
      decodeBytesMap('ConfigMap', object.binaryData);
      if (isJsonObject(object.data)) {
        for (const value of Object.values(object.data)) {
          if (typeof value !== 'string') {
            throw decodeError(
              'ConfigMap',
              'v1',
              `json: cannot unmarshal ${typeof value} into Go struct field ConfigMap.data of type string`,
            );
          }
        }
      }
    },
    validate(object, old) {
      return [
        ...validateDataKeys(object.data, 'data'),
        ...validateImmutable(object, old, ['data', 'binaryData']),
      ];
    },
    table: {
      columns: [
        NAME_COLUMN,
        {
          name: 'Data',
          type: 'string',
          description: 'The number of entries in the data map',
          jsonPath: '.data',
        },
        AGE_COLUMN,
      ],
      cells: (o) => [o.metadata.name, countKeys(o.data) + countKeys(o.binaryData), age(o)],
    },
  },
});
