/**
 * Overload resolution for the CEL checker: which of the environment's functions accept a call's
 * target and argument types (as far as they are known statically), and what they return. Unknown
 * (dyn) types match anything, as in cel-go; list and map element types are not compared.
 */
import type { CelEnv, CelType } from '@bufbuild/cel';
import { DYN, type CheckType } from './cel-types.js';

export interface Overload {
  target: CelType | undefined;
  args: readonly CelType[];
  result: CelType;
}

/** The environment's functions by name (built once per environment). */
export type FunctionTable = Map<string, Overload[]>;

export function functionTable(env: CelEnv): FunctionTable {
  const table: FunctionTable = new Map();
  for (const f of env.funcs) {
    const list = table.get(f.name) ?? [];
    list.push({ target: f.target, args: f.arguments, result: f.result });
    table.set(f.name, list);
  }
  return table;
}

const OBJECT_KINDS: Record<string, CheckType['kind']> = {
  'google.protobuf.Timestamp': 'timestamp',
  'google.protobuf.Duration': 'duration',
};

/** The checker's view of a CEL type (objects other than timestamp/duration become dyn). */
export function fromCelType(t: CelType): CheckType {
  switch (t.kind) {
    case 'scalar':
      return t.scalar === 'null_type' ? { kind: 'null' } : { kind: t.scalar };
    case 'list':
      return { kind: 'list', elem: fromCelType(t.element) };
    case 'map':
      return { kind: 'map', key: fromCelType(t.key), value: fromCelType(t.value) };
    default: {
      const kind = OBJECT_KINDS[t.name];
      return kind ? ({ kind } as CheckType) : DYN;
    }
  }
}

/** Whether a value of checker type `actual` may be passed where `expected` is declared. */
function accepts(expected: CelType, actual: CheckType): boolean {
  if (actual.kind === 'dyn') return true;
  if (expected.kind === 'scalar') return expected.scalar === 'dyn' || expected.scalar === actual.kind;
  if (expected.kind === 'list' || expected.kind === 'map') return expected.kind === actual.kind;
  return OBJECT_KINDS[expected.name] === actual.kind;
}

/** The overloads that accept this call shape. */
export function matchingOverloads(
  overloads: Overload[],
  target: CheckType | undefined,
  args: CheckType[],
): Overload[] {
  return overloads.filter(
    (o) =>
      (o.target === undefined) === (target === undefined) &&
      (o.target === undefined || target === undefined || accepts(o.target, target)) &&
      o.args.length === args.length &&
      o.args.every((a, i) => accepts(a, args[i] ?? DYN)),
  );
}
