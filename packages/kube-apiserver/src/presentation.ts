/** How a stored object is shown through one served version (apiVersion rewritten, Events converted). */
import { apiVersionOf, type ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

export function present(type: ResourceType, stored: KubeObject): KubeObject {
  if (type.hooks.fromStorage) return type.hooks.fromStorage(stored);
  const apiVersion = apiVersionOf(type);
  if (stored.apiVersion === apiVersion && stored.kind === type.kind) return stored;
  return { ...stored, apiVersion, kind: type.kind };
}
