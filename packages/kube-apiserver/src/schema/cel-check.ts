/**
 * A static checker for CEL rules, standing in for cel-go's type checker (which @bufbuild/cel does
 * not ship): undeclared identifiers and functions, fields a schema object does not have, calls with
 * no overload of that shape, `==` between different known types, and the type of the whole
 * expression. Issues carry cel-go's wording and source offsets (calls at their `(`, selections at
 * their `.`). Caveat: types are inferred only where obvious; everything else is dyn and passes.
 */
import type { Expr, SourceInfo } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import type { CheckIssue } from './cel-issues.js';
import { invalidLiteralArgument } from './cel-literals.js';
import { fromCelType, matchingOverloads, type FunctionTable } from './cel-overloads.js';
import { DYN, typeName, type CheckType } from './cel-types.js';

const BOOL: CheckType = { kind: 'bool' };
const PRIMITIVES = new Set(['int', 'uint', 'double', 'string', 'bool', 'bytes']);

export class CelChecker {
  readonly issues: CheckIssue[] = [];
  private scopes: Map<string, CheckType>[] = [];

  constructor(
    private readonly source: string,
    private readonly sourceInfo: SourceInfo | undefined,
    private readonly funcs: FunctionTable,
    variables: Map<string, CheckType>,
  ) {
    this.scopes.push(variables);
  }

  /** Checks `expr` and returns its inferred type. */
  check(expr: Expr): CheckType {
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'constExpr':
        return this.constType(kind.value.constantKind.case);
      case 'identExpr':
        return this.ident(kind.value.name, expr);
      case 'selectExpr': {
        const operand = this.check(kind.value.operand as Expr);
        const t = this.select(operand, kind.value.field, expr);
        return kind.value.testOnly ? BOOL : t;
      }
      case 'callExpr':
        return this.call(expr, kind.value.function, kind.value.target, kind.value.args);
      case 'listExpr': {
        const elems = kind.value.elements.map((e) => this.check(e));
        return { kind: 'list', elem: this.homogeneous(kind.value.elements, elems) };
      }
      case 'structExpr': {
        if (kind.value.messageName !== '') {
          this.report(expr, `undeclared reference to '${kind.value.messageName}' (in container '')`);
          return DYN;
        }
        const keys: Expr[] = [];
        const values: Expr[] = [];
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') keys.push(entry.keyKind.value);
          if (entry.value) values.push(entry.value);
        }
        const key = this.homogeneous(
          keys,
          keys.map((k) => this.check(k)),
        );
        const value = this.homogeneous(
          values,
          values.map((v) => this.check(v)),
        );
        return { kind: 'map', key, value };
      }
      case 'comprehensionExpr':
        return this.comprehension(expr);
      default:
        return DYN;
    }
  }

  /**
   * Kubernetes compiles with cel.HomogeneousAggregateLiterals: all elements of a list (or keys, or
   * values, of a map) literal must have one type. Returns that type (dyn when unknown or empty).
   */
  private homogeneous(exprs: Expr[], types: CheckType[]): CheckType {
    const first = types.find((t) => t.kind !== 'dyn');
    if (!first) return DYN;
    types.forEach((t, i) => {
      const at = exprs[i];
      if (at && t.kind !== 'dyn' && t.kind !== first.kind) {
        this.report(at, `expected type '${typeName(first)}' but found '${typeName(t)}'`);
      }
    });
    return types.every((t) => t.kind === first.kind) ? first : DYN;
  }

  private constType(kind: string | undefined): CheckType {
    switch (kind) {
      case 'boolValue':
        return BOOL;
      case 'int64Value':
        return { kind: 'int' };
      case 'uint64Value':
        return { kind: 'uint' };
      case 'doubleValue':
        return { kind: 'double' };
      case 'stringValue':
        return { kind: 'string' };
      case 'bytesValue':
        return { kind: 'bytes' };
      case 'nullValue':
        return { kind: 'null' };
      default:
        return DYN;
    }
  }

  private lookup(name: string): CheckType | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const t = this.scopes[i]?.get(name);
      if (t) return t;
    }
    return undefined;
  }

  private ident(name: string, expr: Expr): CheckType {
    const t = this.lookup(name);
    if (t) return t;
    if (PRIMITIVES.has(name) || name === 'list' || name === 'map' || name === 'null_type' || name === 'type')
      return { kind: 'type' };
    this.report(expr, `undeclared reference to '${name}' (in container '')`);
    return DYN;
  }

  private select(operand: CheckType, field: string, expr: Expr): CheckType {
    switch (operand.kind) {
      case 'object': {
        const t = operand.fields.get(field);
        if (t === undefined) this.report(expr, `undefined field '${field}'`);
        return t ?? DYN;
      }
      case 'map':
        return operand.value;
      case 'dyn':
        return DYN;
      default:
        this.report(expr, `type '${typeName(operand)}' does not support field selection`);
        return DYN;
    }
  }

  private call(expr: Expr, fn: string, target: Expr | undefined, args: Expr[]): CheckType {
    // `sets.contains(a, b)` parses as a method call on the identifier `sets`.
    if (target?.exprKind.case === 'identExpr' && !this.lookup(target.exprKind.value.name)) {
      const qualified = `${target.exprKind.value.name}.${fn}`;
      if (this.funcs.has(qualified)) return this.call(expr, qualified, undefined, args);
    }
    const targetType = target ? this.check(target) : undefined;
    const argTypes = args.map((a) => this.check(a));
    if (fn === '_?_:_') return argTypes[1] ?? DYN;
    if (fn === '_[_]') {
      const container = argTypes[0] ?? DYN;
      if (container.kind === 'object' || PRIMITIVES.has(container.kind)) {
        this.noOverload(expr, fn, undefined, argTypes);
      }
      return this.index(container);
    }
    if (fn === '_==_' || fn === '_!=_') {
      if (!this.comparable(argTypes[0] ?? DYN, argTypes[1] ?? DYN))
        this.noOverload(expr, fn, undefined, argTypes);
      return BOOL;
    }
    if (fn === '_&&_' || fn === '_||_' || fn === '@not_strictly_false') {
      if (argTypes.some((t) => t.kind !== 'bool' && t.kind !== 'dyn'))
        this.noOverload(expr, fn, undefined, argTypes);
      return BOOL;
    }
    const badLiteral = invalidLiteralArgument(fn, target, args);
    if (badLiteral) this.report(badLiteral, `invalid ${fn} argument`);
    const overloads = this.funcs.get(fn);
    if (!overloads) {
      this.report(expr, `undeclared reference to '${fn}' (in container '')`);
      return DYN;
    }
    const matched = matchingOverloads(overloads, targetType, argTypes);
    const [first] = matched;
    if (!first) {
      this.noOverload(expr, fn, targetType, argTypes);
      return DYN;
    }
    if (matched.some((o) => o.result !== first.result)) return DYN;
    const result = fromCelType(first.result);
    // List concatenation keeps the element type its operands agree on.
    if (fn === '_+_' && result.kind === 'list' && argTypes[0]?.kind === 'list') return argTypes[0];
    return result;
  }

  private noOverload(expr: Expr, fn: string, target: CheckType | undefined, args: CheckType[]): void {
    const applied = `${target ? `${typeName(target)}.` : ''}(${args.map(typeName).join(', ')})`;
    this.report(expr, `found no matching overload for '${fn}' applied to '${applied}'`);
  }

  private index(container: CheckType): CheckType {
    if (container.kind === 'list') return container.elem;
    if (container.kind === 'map') return container.value;
    return DYN;
  }

  /** cel-go's `_==_` needs both sides of one type; null only matches objects (and dyn). */
  private comparable(a: CheckType, b: CheckType): boolean {
    if (a.kind === 'dyn' || b.kind === 'dyn') return true;
    if (a.kind === 'null' || b.kind === 'null')
      return a.kind === b.kind || a.kind === 'object' || b.kind === 'object';
    if (a.kind === 'list' && b.kind === 'list') return this.comparable(a.elem, b.elem);
    if (a.kind === 'map' && b.kind === 'map') return this.comparable(a.value, b.value);
    return a.kind === b.kind;
  }

  private comprehension(expr: Expr): CheckType {
    if (expr.exprKind.case !== 'comprehensionExpr') return DYN;
    const c = expr.exprKind.value;
    const range = this.check(c.iterRange as Expr);
    const elem = range.kind === 'list' ? range.elem : range.kind === 'map' ? range.key : DYN;
    const scope = new Map<string, CheckType>([[c.iterVar, elem]]);
    if (c.iterVar2 !== '') scope.set(c.iterVar2, range.kind === 'map' ? range.value : elem);
    const accu = this.check(c.accuInit as Expr);
    scope.set(c.accuVar, accu);
    this.scopes.push(scope);
    this.check(c.loopCondition as Expr);
    this.check(c.loopStep as Expr);
    const result = this.check(c.result as Expr);
    this.scopes.pop();
    const macro = this.sourceInfo?.macroCalls[expr.id.toString()];
    const name = macro?.exprKind.case === 'callExpr' ? macro.exprKind.value.function : '';
    if (name === 'all' || name === 'exists' || name === 'exists_one') return BOOL;
    if (name === 'filter') return { kind: 'list', elem };
    if (name === 'map') return { kind: 'list', elem: DYN };
    return result;
  }

  private report(expr: Expr, message: string): void {
    let offset = this.sourceInfo?.positions[expr.id.toString()] ?? 0;
    if (expr.exprKind.case === 'callExpr' && /^[A-Za-z_]/.test(expr.exprKind.value.function)) {
      const paren = this.source.indexOf('(', offset);
      if (paren >= 0) offset = paren;
    }
    this.issues.push({ offset, message });
  }
}
