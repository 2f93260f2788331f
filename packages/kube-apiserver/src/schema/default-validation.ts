/**
 * CRD-time validation of schema `default`s (apiextensions-apiserver schema/defaulting/validation.go):
 * a default must not contain fields pruning would drop, must pass the OpenAPI validation of its node
 * and the node's CEL rules (transition rules see the default as both self and oldSelf). Errors are
 * reported under `<node path>.default`, with kube-openapi's messages for a value at the root (so
 * `... in body should be ...` starts with the empty path, as on the real server).
 * Defaults under additionalProperties are not followed, as on the real server.
 */
import { evaluateRules, type RuleTree } from './cel-validate.js';
import type { FieldError } from './contract.js';
import { cloneJson } from './defaults.js';
import { invalid } from './field-errors.js';
import { validateValue } from './openapi-validate.js';
import { pruneUnder } from './prune.js';
import type { SchemaNode } from './schema-node.js';

/** Moves an error found while validating a default value under the `.default` path of its node. */
function underDefault(error: FieldError, defaultPath: string): FieldError {
  const field = error.field === '<nil>' ? defaultPath : `${defaultPath}.${error.field}`;
  return { ...error, field, message: `${field}${error.message.slice(error.field.length)}` };
}

/**
 * Validates every `default` under `node` (CRD path `path`); `rules` is the node's compiled rule tree.
 * At the root, apiVersion/kind/metadata are skipped (defaults there are forbidden outright).
 */
export function validateDefaults(
  node: SchemaNode,
  rules: RuleTree | undefined,
  path: string,
  errors: FieldError[],
  root = true,
): void {
  if (node.hasDefault) checkDefault(node, rules, `${path}.default`, errors);
  if (node.items) validateDefaults(node.items, rules?.items, `${path}.items`, errors, false);
  for (const [name, prop] of node.properties ?? []) {
    if (root && (name === 'apiVersion' || name === 'kind' || name === 'metadata')) continue;
    validateDefaults(prop, rules?.properties.get(name), `${path}.properties[${name}]`, errors, false);
  }
}

function checkDefault(
  node: SchemaNode,
  rules: RuleTree | undefined,
  defaultPath: string,
  errors: FieldError[],
): void {
  const value = node.default;
  if (pruneUnder(cloneJson(value), node).length > 0) {
    errors.push(invalid(defaultPath, value, 'must not have unknown fields'));
    return;
  }
  const schemaErrors: FieldError[] = [];
  validateValue(value, node, '', schemaErrors);
  if (schemaErrors.length > 0) {
    errors.push(...schemaErrors.map((e) => underDefault(e, defaultPath)));
    return;
  }
  if (!rules) return;
  const celErrors: FieldError[] = [];
  evaluateRules(rules, value, value, defaultPath, celErrors);
  if (celErrors.length === 0) evaluateRules(rules, value, undefined, defaultPath, celErrors);
  errors.push(...celErrors);
}
