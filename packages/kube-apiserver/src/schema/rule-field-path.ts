/**
 * A rule's `fieldPath` (`.spec.name`, `.labels['app.kubernetes.io/name']`) resolved against the
 * rule's schema node, printed as the real server prints the normalised path (field.Path: properties
 * as `.name`, map keys as `[key]`), after apiextensions schema/cel ValidFieldPath. List indexes are
 * not supported, as on the real server for CRD rules.
 */
import type { SchemaNode } from './schema-node.js';

/** The printed relative path, or undefined when `fieldPath` does not name a field of `node`. */
export function resolveRuleFieldPath(node: SchemaNode, fieldPath: string): string | undefined {
  const segments = splitFieldPath(fieldPath.trim());
  if (!segments) return undefined;
  let current: SchemaNode | undefined = node;
  let printed = '';
  for (const name of segments) {
    if (!current) return undefined;
    if (current.properties) {
      current = current.properties.get(name);
      if (!current) return undefined;
      printed = printed === '' ? name : `${printed}.${name}`;
    } else if (typeof current.additionalProperties === 'object') {
      current = current.additionalProperties;
      printed = `${printed}[${name}]`;
    } else {
      return undefined;
    }
  }
  return segments.length === 0 ? undefined : printed;
}

function splitFieldPath(text: string): string[] | undefined {
  const segments: string[] = [];
  const re = /\.([^.[\]']+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    segments.push(m[1] ?? (m[2] ?? '').replace(/\\(.)/g, '$1'));
    at = re.lastIndex;
  }
  return segments;
}
