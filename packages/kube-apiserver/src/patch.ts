/**
 * The three patch formats the server applies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and a
 * simple strategic merge patch (maps merge, lists replace, `$patch: delete|replace`, null deletes; the
 * `$setElementOrder`/`$retainKeys` directives kubectl adds are dropped).
 */
import { ApiError, badRequest } from './errors.js';
import { cloneJson, isJsonObject, jsonEqual, type JsonObject } from './types.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const base: JsonObject = directive === 'replace' || !isJsonObject(target) ? {} : { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = base[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        base[field] = current.filter((item) => !value.some((v) => jsonEqual(v, item)));
      }
      continue;
    }
    if (value === null) {
      delete base[key];
      continue;
    }
    const merged = strategicMergePatch(base[key], value);
    if (merged === undefined) delete base[key];
    else base[key] = merged;
  }
  return base;
}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function invalidPatch(message: string): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

/** Walks to the parent of the pointer's last segment. */
function locate(document: unknown, pointer: string, op: string): { parent: Container; key: string } {
  const parts = parsePointer(pointer);
  const key = parts.pop();
  if (key === undefined)
    throw invalidPatch(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  let current: unknown = document;
  for (const part of parts) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isJsonObject(current)) current = current[part];
    else current = undefined;
    if (current === undefined) {
      throw invalidPatch(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
    }
  }
  if (!Array.isArray(current) && !isJsonObject(current)) {
    throw invalidPatch(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  }
  return { parent: current, key };
}

function getAt(document: unknown, pointer: string, op: string): unknown {
  if (pointer === '') return document;
  const { parent, key } = locate(document, pointer, op);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) {
    throw invalidPatch(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  }
  return value;
}

function arrayIndex(parent: unknown[], key: string, allowEnd: boolean, pointer: string): number {
  if (key === '-' && allowEnd) return parent.length;
  const index = Number(key);
  const max = allowEnd ? parent.length : parent.length - 1;
  if (!/^\d+$/.test(key) || index > max)
    throw invalidPatch(`Unable to access invalid index: ${key}: ${pointer}`);
  return index;
}

function removeAt(document: unknown, pointer: string, op: string): unknown {
  const { parent, key } = locate(document, pointer, op);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, false, pointer);
    return parent.splice(index, 1)[0];
  }
  if (!(key in parent)) {
    throw invalidPatch(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  }
  const value = parent[key];
  delete parent[key];
  return value;
}

function addAt(document: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  if (pointer === '') return value;
  const op = replace ? 'replace' : 'add';
  const { parent, key } = locate(document, pointer, op);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, !replace, pointer);
    parent.splice(index, replace ? 1 : 0, value);
  } else {
    if (replace && !(key in parent)) {
      throw invalidPatch(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    }
    parent[key] = value;
  }
  return document;
}

/** Applies RFC 6902 operations; a failed `test` or a missing path is a 422, a malformed patch a 400. */
export function jsonPatch(document: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = cloneJson(document);
  for (const raw of patch as unknown[]) {
    if (!isJsonObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequest('Unexpected kind: unknown');
    }
    const op = raw as unknown as JsonPatchOperation;
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, cloneJson(op.value), false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, cloneJson(op.value), true);
        break;
      case 'remove':
        removeAt(doc, op.path, 'remove');
        break;
      case 'move': {
        const value = removeAt(doc, op.from ?? '', 'move');
        doc = addAt(doc, op.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, cloneJson(getAt(doc, op.from ?? '', 'copy')), false);
        break;
      case 'test': {
        const actual = getAt(doc, op.path, 'test');
        if (!jsonEqual(actual, op.value)) throw invalidPatch(`testing value ${op.path} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
