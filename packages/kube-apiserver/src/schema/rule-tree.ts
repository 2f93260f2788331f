/**
 * Compiles every `x-kubernetes-validations` rule of a schema into a RuleTree (see cel-validate.ts),
 * reporting rules that do not compile as errors on the CRD, with the real server's rendering:
 * `<path>.x-kubernetes-validations[0].rule: Invalid value: {"Rule":...}: compilation failed: ERROR: ...`.
 * Also refuses `oldSelf` under lists that cannot correlate old and new items (any list that is not
 * x-kubernetes-list-type=map).
 */
import type { FieldError } from './contract.js';
import { compileRule, type CelCompileContext, type CompiledRule } from './cel-compile.js';
import { checkTypeOf, DYN } from './cel-types.js';
import type { RuleTree } from './cel-validate.js';
import { invalid } from './field-errors.js';
import { goJsonString } from './go-format.js';
import { resolveRuleFieldPath } from './rule-field-path.js';
import type { RawValidationRule, SchemaNode } from './schema-node.js';

/** The internal Go ValidationRule struct as json.Marshal prints it (no json tags: Go field names, in order). */
function goRuleValue(rule: RawValidationRule): string {
  const reason = rule.reason === undefined ? 'null' : goJsonString(rule.reason);
  const optional = rule.optionalOldSelf === undefined ? 'null' : String(rule.optionalOldSelf);
  return (
    `{"Rule":${goJsonString(rule.rule)},"Message":${goJsonString(rule.message ?? '')},` +
    `"MessageExpression":${goJsonString(rule.messageExpression ?? '')},"Reason":${reason},` +
    `"FieldPath":${goJsonString(rule.fieldPath ?? '')},"OptionalOldSelf":${optional}}`
  );
}

function invalidRule(path: string, rule: RawValidationRule, detail: string): FieldError {
  const error = invalid(path, '', detail);
  // The bad value is a struct, printed as JSON (not quoted).
  return { ...error, message: `${path}: Invalid value: ${goRuleValue(rule)}: ${detail}` };
}

interface Walk {
  ctx: CelCompileContext;
  errors: FieldError[];
}

/** Compiles the rules of `node` (at CRD path `path`) and below; returns undefined when no rules exist there. */
export function compileRuleTree(
  walk: Walk,
  node: SchemaNode,
  path: string,
  resourceRoot: boolean,
  uncorrelatable: string | undefined,
): RuleTree | undefined {
  const tree: RuleTree = {
    schema: node,
    formats: walk.ctx.formats,
    rules: [],
    properties: new Map(),
    additionalProperties: undefined,
    items: undefined,
  };
  let any = false;
  if (node.items) {
    const listPath = node.listType === 'map' ? uncorrelatable : (uncorrelatable ?? path);
    tree.items = compileRuleTree(walk, node.items, `${path}.items`, node.items.embeddedResource, listPath);
    any ||= tree.items !== undefined;
  }
  for (const [name, prop] of node.properties ?? []) {
    const sub = compileRuleTree(
      walk,
      prop,
      `${path}.properties[${name}]`,
      prop.embeddedResource,
      uncorrelatable,
    );
    if (sub) {
      tree.properties.set(name, sub);
      any = true;
    }
  }
  if (typeof node.additionalProperties === 'object') {
    const ap = node.additionalProperties;
    tree.additionalProperties = compileRuleTree(
      walk,
      ap,
      `${path}.additionalProperties`,
      ap.embeddedResource,
      uncorrelatable,
    );
    any ||= tree.additionalProperties !== undefined;
  }
  if (node.validations.length > 0) {
    tree.rules = compileNodeRules(walk, node, path, resourceRoot, uncorrelatable);
    any = true;
  }
  return any ? tree : undefined;
}

function compileNodeRules(
  walk: Walk,
  node: SchemaNode,
  path: string,
  resourceRoot: boolean,
  uncorrelatable: string | undefined,
): CompiledRule[] {
  const selfType = checkTypeOf(node, resourceRoot) ?? DYN;
  const compiled: CompiledRule[] = [];
  node.validations.forEach((rule, i) => {
    if (rule.rule.trim() === '') return;
    const rulePath = `${path}.x-kubernetes-validations[${i}]`;
    const result = compileRule(walk.ctx, rule, selfType);
    if (!result.ok) {
      if (result.ruleError !== undefined)
        walk.errors.push(invalidRule(`${rulePath}.rule`, rule, result.ruleError));
      if (result.messageExpressionError !== undefined) {
        walk.errors.push(invalidRule(`${rulePath}.messageExpression`, rule, result.messageExpressionError));
      }
    } else {
      const fieldPath = rule.fieldPath?.trim() ?? '';
      const errorFieldPath = fieldPath === '' ? '' : (resolveRuleFieldPath(node, fieldPath) ?? '');
      compiled.push({ ...result.compiled, errorFieldPath });
    }
    const usesOldSelf = result.ok ? result.compiled.usesOldSelf : result.usesOldSelf;
    if (usesOldSelf && uncorrelatable !== undefined) {
      walk.errors.push(
        invalid(
          `${rulePath}.rule`,
          rule.rule,
          `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`,
        ),
      );
    } else if (!usesOldSelf && rule.optionalOldSelf !== undefined) {
      walk.errors.push(
        invalid(
          `${rulePath}.optionalOldSelf`,
          rule.optionalOldSelf,
          'may not be set if oldSelf is not used in rule',
        ),
      );
    }
  });
  return compiled;
}
