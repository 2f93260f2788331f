import { z } from 'zod';

/** A JSON/OpenAPI schema node as zod emits it and as a CRD's `openAPIV3Schema` holds it. */
export type SchemaNode = { [key: string]: unknown };

/**
 * Converts a zod schema into a Kubernetes *structural* schema: zod's OpenAPI 3.0 output, minus what
 * apiextensions refuses (`additionalProperties: false`, type unions, `$schema`), plus
 * `x-kubernetes-preserve-unknown-fields` where a node may hold values of several types (a policy's
 * `Action: string | string[]`). Those nodes lose admission-time type checking; runtime parsing with the
 * same zod schema still checks them (a bad value makes the delegation Stalled, not half-applied).
 */
export function toStructuralSchema(schema: z.ZodType): SchemaNode {
  const raw = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'throw',
  }) as SchemaNode;
  return structural(raw);
}

function structural(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  const union = (node.anyOf ?? node.oneOf) as SchemaNode[] | undefined;
  if (union) {
    // A union of types cannot be structural: keep the node's own keywords, accept any value.
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'anyOf' && key !== 'oneOf') out[key] = value;
    }
    out['x-kubernetes-preserve-unknown-fields'] = true;
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    switch (key) {
      case '$schema':
      case 'id':
        break;
      case 'maximum':
      case 'minimum':
        // zod bounds every integer by Number.MAX_SAFE_INTEGER; Kubernetes says int64 instead.
        if (Math.abs(value as number) === Number.MAX_SAFE_INTEGER) out.format = 'int64';
        else out[key] = value;
        break;
      case 'additionalProperties':
        if (value === false) break;
        out.additionalProperties =
          value === true || Object.keys(value as SchemaNode).length === 0
            ? { 'x-kubernetes-preserve-unknown-fields': true }
            : structural(value as SchemaNode);
        break;
      case 'properties':
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, SchemaNode>).map(([name, child]) => [
            name,
            structural(child),
          ]),
        );
        break;
      case 'items':
        out.items = structural(value as SchemaNode);
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}
