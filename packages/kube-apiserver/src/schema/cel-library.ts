/**
 * The Kubernetes additions to standard CEL that CRD validation rules may call
 * (k8s.io/apiserver/pkg/cel/library): the lists library (`isSorted`, `sum`, `min`, `max`, `indexOf`,
 * `lastIndexOf` on lists), the regex library (`find`, `findAll`) and `sets.contains`,
 * `sets.equivalent`, `sets.intersects`. The cel-go strings extension comes from @bufbuild/cel/ext.
 * Not provided (rules using them are refused at compile time): url, quantity, ip, cidr, semver,
 * format, authz and the optional-types syntax. Caveat: `find`/`findAll` use JS RegExp, not RE2.
 */
import {
  celFunc,
  celMethod,
  CelScalar,
  isCelList,
  listType,
  type CelFunc,
  type CelList,
  type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

const LIST = listType(CelScalar.DYN);
const { DYN, INT, STRING, BOOL } = CelScalar;

type Comparable = bigint | number | string | boolean;

function compare(a: CelValue, b: CelValue): number {
  const x = unwrapNumber(a);
  const y = unwrapNumber(b);
  if (typeof x !== typeof y && !(isNumeric(x) && isNumeric(y))) throw new Error('no such overload');
  if (x < y) return -1;
  return x > y ? 1 : 0;
}

function isNumeric(v: Comparable): boolean {
  return typeof v === 'bigint' || typeof v === 'number';
}

function unwrapNumber(v: CelValue): Comparable {
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    return v;
  throw new Error('no such overload');
}

function items(list: CelList): CelValue[] {
  return [...list];
}

function equal(a: CelValue, b: CelValue): boolean {
  if (isNumeric(a as Comparable) && isNumeric(b as Comparable)) return compare(a, b) === 0;
  if (isCelList(a) && isCelList(b)) {
    const xs = items(a);
    const ys = items(b);
    return xs.length === ys.length && xs.every((x, i) => equal(x, ys[i] as CelValue));
  }
  return a === b;
}

function extreme(list: CelList, sign: 1 | -1): CelValue {
  const xs = items(list);
  if (xs.length === 0) throw new Error(`${sign > 0 ? 'max' : 'min'}(list) called on empty list`);
  return xs.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
}

function sum(list: CelList): bigint | number {
  const xs = items(list);
  if (xs.every((x) => typeof x === 'bigint')) return xs.reduce<bigint>((acc, x) => acc + x, 0n);
  if (xs.every((x) => typeof x === 'number')) return xs.reduce<number>((acc, x) => acc + x, 0);
  throw new Error('no such overload');
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'gu');
    regexCache.set(pattern, re);
  }
  return re;
}

function findAll(text: string, pattern: string, limit: bigint): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(regex(pattern))) {
    if (limit >= 0n && BigInt(out.length) >= limit) break;
    out.push(m[0]);
  }
  return out;
}

const kubernetesFuncs: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    const xs = items(this);
    return xs.every((x, i) => i === 0 || compare(xs[i - 1] as CelValue, x) <= 0);
  }),
  celMethod('sum', LIST, [], DYN, function () {
    return sum(this);
  }),
  celMethod('min', LIST, [], DYN, function () {
    return extreme(this, -1);
  }),
  celMethod('max', LIST, [], DYN, function () {
    return extreme(this, 1);
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (x) {
    return BigInt(items(this).findIndex((y) => equal(x, y)));
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    const xs = items(this);
    for (let i = xs.length - 1; i >= 0; i--) if (equal(x, xs[i] as CelValue)) return BigInt(i);
    return -1n;
  }),
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    return findAll(this, pattern, 1n)[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], LIST, function (pattern) {
    return findAll(this, pattern, -1n);
  }),
  celMethod('findAll', STRING, [STRING, INT], LIST, function (pattern, limit) {
    return findAll(this, pattern, limit);
  }),
  celFunc('sets.contains', [LIST, LIST], BOOL, (a, b) =>
    items(b).every((y) => items(a).some((x) => equal(x, y))),
  ),
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => {
    const xs = items(a);
    const ys = items(b);
    return ys.every((y) => xs.some((x) => equal(x, y))) && xs.every((x) => ys.some((y) => equal(x, y)));
  }),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) =>
    items(a).some((x) => items(b).some((y) => equal(x, y))),
  ),
];

/** Every function added to standard CEL for CRD rules. */
export function kubernetesCelFunctions(): CelFunc[] {
  return [...strings, ...kubernetesFuncs];
}
