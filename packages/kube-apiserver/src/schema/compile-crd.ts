/**
 * compileCrd: turns a CustomResourceDefinition (apiextensions.k8s.io/v1, as stored) into per-version
 * prune/default/validate functions, or refuses it with the field errors the real API server gives.
 * Caveat: no CEL cost estimation (so no "estimated rule cost exceeds budget" refusals).
 */
import { celEnv, parse, plan } from '@bufbuild/cel';
import { functionTable } from './cel-overloads.js';
import type { CelCompileContext } from './cel-compile.js';
import { kubernetesCelFunctions } from './cel-library.js';
import { evaluateRules, type RuleTree } from './cel-validate.js';
import type { CompileCrd, CompileResult, FieldError, VersionSchema } from './contract.js';
import { applyDefaultsTo } from './defaults.js';
import { validateDefaults } from './default-validation.js';
import { forbidden, invalid, required } from './field-errors.js';
import { validateListTypes } from './list-type.js';
import { validateValue } from './openapi-validate.js';
import { pruneObject } from './prune.js';
import { compileRuleTree } from './rule-tree.js';
import { validateSchemaRules } from './schema-rules.js';
import { isRecord, readSchemaNode, type SchemaNode } from './schema-node.js';
import { validateStatusRoot } from './status-root.js';
import { validateStructural } from './structural.js';

/** Error types after which the real server skips CEL rules (strategy.go hasBlockingErr). */
const BLOCKING = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

function newCompileContext(): CelCompileContext {
  const env = celEnv({ funcs: kubernetesCelFunctions() });
  const toTimestamp = plan(env, parse('timestamp(text)'));
  const toDuration = plan(env, parse('duration(text)'));
  return {
    env,
    funcs: functionTable(env),
    formats: {
      timestamp: (text) => toTimestamp({ text }),
      duration: (text) => toDuration({ text }),
    },
  };
}

/**
 * Compiles one version's schema; errors are pushed with CRD paths under `path`, in the real order:
 * structural errors, default-value errors (only for a structural schema), per-node schema errors,
 * CEL compilation errors (only when the rest is clean, as the real server only builds CEL types then).
 */
function compileVersion(
  ctx: CelCompileContext,
  raw: Record<string, unknown>,
  path: string,
  errors: FieldError[],
): VersionSchema {
  if (raw.nullable === true)
    errors.push(forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  const structuralErrors = validateStructural(raw, path);
  errors.push(...structuralErrors);
  const schemaErrors: FieldError[] = [];
  validateSchemaRules(raw, path, schemaErrors, '', true);
  const root = readSchemaNode(raw);
  const celErrors: FieldError[] = [];
  let rules: RuleTree | undefined;
  if (structuralErrors.length === 0) {
    rules =
      schemaErrors.length === 0
        ? compileRuleTree({ ctx, errors: celErrors }, root, path, true, undefined)
        : undefined;
    const defaultErrors: FieldError[] = [];
    validateDefaults(root, rules, path, defaultErrors);
    errors.push(...defaultErrors);
    if (defaultErrors.length > 0) celErrors.length = 0;
  }
  errors.push(...schemaErrors, ...celErrors);
  return versionSchema(root, rules);
}

function versionSchema(root: SchemaNode, rules: RuleTree | undefined): VersionSchema {
  return {
    prune: (object) => pruneObject(object, root),
    applyDefaults: (object) => applyDefaultsTo(object, root),
    validate: (object, oldObject) => {
      const errors: FieldError[] = [];
      const old = oldObject === undefined ? undefined : { value: oldObject };
      validateValue(object, root, '', errors, old);
      const oldListErrors: FieldError[] = [];
      if (oldObject !== undefined) validateListTypes(oldObject, root, '', oldListErrors);
      if (oldListErrors.length === 0) validateListTypes(object, root, '', errors);
      if (rules) {
        if (errors.some((e) => BLOCKING.has(e.type))) {
          errors.push(
            invalid(
              '',
              null,
              'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
            ),
          );
        } else {
          evaluateRules(rules, object, oldObject, '', errors, old);
        }
      }
      return errors;
    },
  };
}

export const compileCrd: CompileCrd = (crd): CompileResult => {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const ctx = newCompileContext();
  const errors: FieldError[] = [];
  const compiled = new Map<string, VersionSchema>();
  versions.forEach((v, i) => {
    if (!isRecord(v)) return;
    const schema = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
    const path = `spec.versions[${i}].schema.openAPIV3Schema`;
    if (!isRecord(schema)) {
      errors.push(required(path, ''));
      return;
    }
    const subresources = isRecord(v.subresources) ? v.subresources : {};
    if (isRecord(subresources.status)) errors.push(...validateStatusRoot(schema, path));
    const version = compileVersion(ctx, schema, path, errors);
    if (v.served === true && typeof v.name === 'string') compiled.set(v.name, version);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, crd: { versions: compiled } };
};
