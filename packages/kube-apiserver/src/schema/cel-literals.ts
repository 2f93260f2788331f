/**
 * The literal checks Kubernetes adds to CEL compilation (cel-go ASTValidators, on since 1.29): a
 * constant argument of `matches`/`find`/`findAll` must be a valid RE2 pattern, of `duration` a Go
 * duration, of `timestamp` an RFC 3339 time. Failures read `invalid <function> argument`.
 */
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { goRegexpError } from './go-regexp.js';

const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+)$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function validLiteral(fn: string, text: string): boolean {
  switch (fn) {
    case 'matches':
    case 'find':
    case 'findAll':
      return goRegexpError(text) === undefined;
    case 'duration':
      return GO_DURATION.test(text);
    case 'timestamp':
      return RFC3339.test(text) && !Number.isNaN(Date.parse(text));
    default:
      return true;
  }
}

/** The string-literal argument of `fn` that is invalid, if any (the expression to report at). */
export function invalidLiteralArgument(fn: string, target: Expr | undefined, args: Expr[]): Expr | undefined {
  const isMethod = target !== undefined;
  const literal =
    fn === 'duration' || fn === 'timestamp' ? (isMethod ? undefined : args[0]) : isMethod ? args[0] : args[1];
  if (literal?.exprKind.case !== 'constExpr') return undefined;
  const constant = literal.exprKind.value.constantKind;
  if (constant.case !== 'stringValue') return undefined;
  return validLiteral(fn, constant.value) ? undefined : literal;
}
