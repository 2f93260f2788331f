/**
 * Compiling one `x-kubernetes-validations` entry: parse the rule and its messageExpression, check them
 * against the node's CEL type (see cel-check.ts) and plan them for evaluation. Errors carry the
 * apiextensions wording (`compilation failed: ERROR: <input>:1:4: undeclared reference to 'foo' ...`).
 */
import { parse, plan, type CelEnv, type CelResult } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { CelChecker } from './cel-check.js';
import { formatIssues } from './cel-issues.js';
import type { FunctionTable } from './cel-overloads.js';
import type { CelFormatConverters, CheckType } from './cel-types.js';
import type { RawValidationRule } from './schema-node.js';

type CelProgram = (bindings: Record<string, unknown>) => CelResult;

export interface CompiledRule {
  rule: RawValidationRule;
  program: CelProgram;
  messageProgram: CelProgram | undefined;
  usesOldSelf: boolean;
  /** The normalised `fieldPath` appended to the node's path in errors ('' for none). */
  errorFieldPath: string;
}

export type RuleCompileResult =
  | { ok: true; compiled: CompiledRule }
  | { ok: false; ruleError?: string; messageExpressionError?: string; usesOldSelf: boolean };

/** Everything needed to compile rules: the environment and what it can call. */
export interface CelCompileContext {
  env: CelEnv;
  funcs: FunctionTable;
  formats: CelFormatConverters;
}

interface Checked {
  program?: CelProgram;
  error?: string;
  usesOldSelf: boolean;
}

function parseError(source: string, error: unknown): string {
  const e = error as { message?: string; location?: { start?: { offset?: number } } };
  const offset = e.location?.start?.offset ?? 0;
  const text = (e.message ?? String(error)).replace(/^<input>:\d+:\d+: /, '');
  return formatIssues(source, [{ offset, message: `Syntax error: ${text}` }]);
}

function usesIdent(expr: Expr | undefined, name: string): boolean {
  if (!expr) return false;
  const k = expr.exprKind;
  switch (k.case) {
    case 'identExpr':
      return k.value.name === name;
    case 'selectExpr':
      return usesIdent(k.value.operand, name);
    case 'callExpr':
      return usesIdent(k.value.target, name) || k.value.args.some((a) => usesIdent(a, name));
    case 'listExpr':
      return k.value.elements.some((e) => usesIdent(e, name));
    case 'structExpr':
      return k.value.entries.some(
        (e) => (e.keyKind.case === 'mapKey' && usesIdent(e.keyKind.value, name)) || usesIdent(e.value, name),
      );
    case 'comprehensionExpr':
      return [
        k.value.iterRange,
        k.value.accuInit,
        k.value.loopCondition,
        k.value.loopStep,
        k.value.result,
      ].some((e) => usesIdent(e, name));
    default:
      return false;
  }
}

function compileExpression(
  ctx: CelCompileContext,
  source: string,
  selfType: CheckType,
  want: 'bool' | 'string',
): Checked {
  let parsed;
  try {
    parsed = parse(source);
  } catch (error) {
    return { error: parseError(source, error), usesOldSelf: false };
  }
  const variables = new Map<string, CheckType>([
    ['self', selfType],
    ['oldSelf', selfType],
  ]);
  const checker = new CelChecker(source, parsed.sourceInfo, ctx.funcs, variables);
  const type = checker.check(parsed.expr);
  const usesOldSelf = usesIdent(parsed.expr, 'oldSelf');
  if (checker.issues.length > 0) return { error: formatIssues(source, checker.issues), usesOldSelf };
  if (type.kind !== 'dyn' && type.kind !== want) return { error: `must evaluate to a ${want}`, usesOldSelf };
  const planned = plan(ctx.env, parsed);
  return { program: (bindings) => planned(bindings as never), usesOldSelf };
}

/** Compiles one rule for a node whose values have CEL type `selfType`. */
export function compileRule(
  ctx: CelCompileContext,
  rule: RawValidationRule,
  selfType: CheckType,
): RuleCompileResult {
  const main = compileExpression(ctx, rule.rule, selfType, 'bool');
  let ruleError: string | undefined;
  if (main.error !== undefined) {
    ruleError =
      main.error === 'must evaluate to a bool'
        ? 'cel expression must evaluate to a bool'
        : `compilation failed: ${main.error}`;
  }
  let messageProgram: CelProgram | undefined;
  let messageExpressionError: string | undefined;
  if (rule.messageExpression !== undefined && rule.messageExpression.trim() !== '') {
    const msg = compileExpression(ctx, rule.messageExpression, selfType, 'string');
    if (msg.error !== undefined) {
      messageExpressionError =
        msg.error === 'must evaluate to a string'
          ? 'messageExpression must evaluate to a string'
          : `messageExpression compilation failed: ${msg.error}`;
    }
    messageProgram = msg.program;
  }
  if (ruleError !== undefined || messageExpressionError !== undefined || main.program === undefined) {
    const failed: RuleCompileResult = { ok: false, usesOldSelf: main.usesOldSelf };
    if (ruleError !== undefined) failed.ruleError = ruleError;
    if (messageExpressionError !== undefined) failed.messageExpressionError = messageExpressionError;
    return failed;
  }
  return {
    ok: true,
    compiled: {
      rule,
      program: main.program,
      messageProgram,
      usesOldSelf: main.usesOldSelf,
      errorFieldPath: '',
    },
  };
}
