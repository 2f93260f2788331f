/**
 * Evaluation of compiled `x-kubernetes-validations`, after apiextensions-apiserver
 * pkg/apiserver/schema/cel/validation.go: rules run on every non-null value of their node with `self`
 * bound to it; transition rules (those using `oldSelf`) run only when the old object has a
 * correlatable value there (same property or map key; list items only in list-type=map lists, matched
 * by their keys). On update, failures of rules without `oldSelf` on unchanged values are ratcheted
 * (dropped; the real server turns them into warnings). Failures render as Kubernetes 1.32 does: the
 * bad value is the node's schema type name (`spec: Invalid value: "object": <message>`,
 * `spec.name: Invalid value: "string": <message>`).
 */
import { isCelError } from '@bufbuild/cel';
import type { FieldError } from './contract.js';
import type { CompiledRule } from './cel-compile.js';
import { toCelValue, type CelFormatConverters } from './cel-types.js';
import { duplicate, forbidden, invalid, required } from './field-errors.js';
import { goJson } from './go-format.js';
import { oldField, oldItem, unchanged, type OldValue } from './ratcheting.js';
import { isRecord, type SchemaNode } from './schema-node.js';

/** The compiled rules of one schema node and of the nodes below it that have rules. */
export interface RuleTree {
  schema: SchemaNode;
  /** Converts format strings (date-time, duration) into CEL values. */
  formats: CelFormatConverters;
  rules: CompiledRule[];
  properties: Map<string, RuleTree>;
  additionalProperties: RuleTree | undefined;
  items: RuleTree | undefined;
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/**
 * Validates `value` against the rule tree; pushes failures into `errors`. On update, `oldValue` is the
 * value `oldSelf` binds to and `ratchetOld` the old value ratcheting compares with (they correlate
 * list items differently).
 */
export function evaluateRules(
  tree: RuleTree,
  value: unknown,
  oldValue: unknown,
  path: string,
  errors: FieldError[],
  ratchetOld?: OldValue,
): void {
  if (value === null || value === undefined) return;
  const old = oldValue === null ? undefined : oldValue;
  if (tree.rules.length > 0) evaluateNode(tree, value, old, path, errors, unchanged(value, ratchetOld));
  if (Array.isArray(value)) {
    const items = tree.items;
    if (!items) return;
    const oldItems = correlateListItems(tree.schema, Array.isArray(old) ? old : undefined);
    value.forEach((item, i) => {
      const ratchet = oldItem(tree.schema, ratchetOld, item, i);
      evaluateRules(items, item, oldItems(item), `${path}[${i}]`, errors, ratchet);
    });
    return;
  }
  if (!isRecord(value)) return;
  const oldMap = isRecord(old) ? old : undefined;
  for (const [key, v] of Object.entries(value)) {
    const declared = tree.schema.properties?.has(key) ?? false;
    const sub = declared ? tree.properties.get(key) : tree.additionalProperties;
    if (sub) evaluateRules(sub, v, oldMap?.[key], child(path, key), errors, oldField(ratchetOld, key));
  }
}

/** Old list items can be matched to new ones only in list-type=map lists (by their map keys). */
function correlateListItems(schema: SchemaNode, oldList: unknown[] | undefined): (item: unknown) => unknown {
  if (!oldList || schema.listType !== 'map' || schema.listMapKeys.length === 0) return () => undefined;
  const keyOf = (item: unknown): string | undefined =>
    isRecord(item) ? goJson(schema.listMapKeys.map((k) => item[k] ?? null)) : undefined;
  const byKey = new Map<string, unknown>();
  for (const item of oldList) {
    const k = keyOf(item);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, item);
  }
  return (item) => {
    const k = keyOf(item);
    return k === undefined ? undefined : byKey.get(k);
  };
}

function ruleErrorString(rule: CompiledRule['rule']): string {
  const message = rule.message?.trim() ?? '';
  return message.length > 0 ? message : rule.rule.trim();
}

/** cel-go's wording for the runtime errors @bufbuild/cel reports differently. */
function runtimeMessage(error: Error): string {
  const text = error.message;
  if (text.startsWith('field not found: ')) return text.replace('field not found: ', 'no such key: ');
  if (text.startsWith('found no matching overload')) return 'no such overload';
  if (text === 'int divide by zero') return 'division by zero';
  if (text === 'int modulus by zero') return 'modulus by zero';
  if (/^int overflow/.test(text)) return 'integer overflow';
  return text;
}

function evaluateNode(
  tree: RuleTree,
  value: unknown,
  oldValue: unknown,
  path: string,
  errors: FieldError[],
  ratchet: boolean,
): void {
  const schema = tree.schema;
  const typeName = schema.type;
  const self = toCelValue(value, schema, tree.formats);
  const bindings: Record<string, unknown> = { self };
  if (oldValue !== undefined) bindings.oldSelf = toCelValue(oldValue, schema, tree.formats);
  for (const compiled of tree.rules) {
    if (compiled.usesOldSelf && oldValue === undefined) continue;
    const result = compiled.program(bindings);
    if (isCelError(result)) {
      const text = runtimeMessage(result);
      const detail = text.startsWith('no such overload')
        ? `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(compiled.rule)}`
        : `${text} evaluating rule: ${ruleErrorString(compiled.rule)}`;
      errors.push(invalid(path, typeName, detail));
      continue;
    }
    if (result === true || (ratchet && !compiled.usesOldSelf)) continue;
    const errorPath = compiled.errorFieldPath === '' ? path : child(path, compiled.errorFieldPath);
    const detail = evaluateMessage(compiled, bindings) ?? defaultMessage(compiled.rule);
    errors.push(errorForReason(compiled.rule.reason, errorPath, typeName, detail));
  }
}

function defaultMessage(rule: CompiledRule['rule']): string {
  const message = rule.message ?? '';
  return message.length === 0 ? `failed rule: ${ruleErrorString(rule)}` : message.trim();
}

/** The messageExpression's result, or undefined to fall back to the static message (as the server does). */
function evaluateMessage(compiled: CompiledRule, bindings: Record<string, unknown>): string | undefined {
  if (!compiled.messageProgram) return undefined;
  const result = compiled.messageProgram(bindings);
  if (typeof result !== 'string') return undefined;
  const trimmed = result.trim();
  if (trimmed.length === 0 || trimmed.length > 5120 || /\n/.test(trimmed)) return undefined;
  return trimmed;
}

function errorForReason(
  reason: string | undefined,
  path: string,
  value: unknown,
  detail: string,
): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return forbidden(path, detail);
    case 'FieldValueRequired':
      return required(path, detail);
    case 'FieldValueDuplicate':
      return duplicate(path, value);
    default:
      return invalid(path, value, detail);
  }
}
