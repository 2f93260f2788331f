/**
 * The `Condition` block of a policy statement. Semantics (as RAM documents them):
 * - every operator in the block must hold, and within an operator every key must hold (AND);
 * - a key listing several values holds when the request's value matches any of them (OR);
 * - a key absent from the request makes a positive operator false and a negated one
 *   (`StringNotEquals`, `NotIpAddress`, ...) true;
 * - key names compare case-insensitively.
 */

/** Request-side condition values: `acs:SourceIp`, `acs:CurrentTime`, ... Multi-valued keys are arrays. */
export type ConditionContext = Record<string, string | string[] | undefined>;

type Comparator = (requestValue: string, policyValue: string) => boolean;

interface Operator {
  compare: Comparator;
  /** Negated operators are the complement of the positive match over all values. */
  negated: boolean;
}

const stringEquals: Comparator = (r, p) => r === p;
const stringEqualsIgnoreCase: Comparator = (r, p) => r.toLowerCase() === p.toLowerCase();
const stringLike: Comparator = (r, p) => likeMatch(p, r);
const numeric =
  (test: (r: number, p: number) => boolean): Comparator =>
  (r, p) => {
    const a = Number(r);
    const b = Number(p);
    return r.trim() !== '' && p.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && test(a, b);
  };
const date =
  (test: (r: number, p: number) => boolean): Comparator =>
  (r, p) => {
    const a = parseDate(r);
    const b = parseDate(p);
    return a !== undefined && b !== undefined && test(a, b);
  };

const OPERATORS: Record<string, Operator> = {
  stringequals: { compare: stringEquals, negated: false },
  stringnotequals: { compare: stringEquals, negated: true },
  stringequalsignorecase: { compare: stringEqualsIgnoreCase, negated: false },
  stringnotequalsignorecase: { compare: stringEqualsIgnoreCase, negated: true },
  stringlike: { compare: stringLike, negated: false },
  stringnotlike: { compare: stringLike, negated: true },
  numericequals: { compare: numeric((a, b) => a === b), negated: false },
  numericnotequals: { compare: numeric((a, b) => a === b), negated: true },
  numericlessthan: { compare: numeric((a, b) => a < b), negated: false },
  numericlessthanequals: { compare: numeric((a, b) => a <= b), negated: false },
  numericgreaterthan: { compare: numeric((a, b) => a > b), negated: false },
  numericgreaterthanequals: { compare: numeric((a, b) => a >= b), negated: false },
  dateequals: { compare: date((a, b) => a === b), negated: false },
  datenotequals: { compare: date((a, b) => a === b), negated: true },
  datelessthan: { compare: date((a, b) => a < b), negated: false },
  datelessthanequals: { compare: date((a, b) => a <= b), negated: false },
  dategreaterthan: { compare: date((a, b) => a > b), negated: false },
  dategreaterthanequals: { compare: date((a, b) => a >= b), negated: false },
  bool: { compare: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false },
  ipaddress: { compare: (r, p) => ipInRange(r, p), negated: false },
  notipaddress: { compare: (r, p) => ipInRange(r, p), negated: true },
};

/** True when `name` is a condition operator the engine knows (used to reject malformed documents). */
export function isKnownOperator(name: string): boolean {
  return Object.hasOwn(OPERATORS, name.toLowerCase());
}

/** Evaluates a whole `Condition` block; an absent block holds. Unknown operators never hold. */
export function conditionsHold(
  block: Record<string, Record<string, unknown>> | undefined,
  context: ConditionContext,
): boolean {
  if (!block) return true;
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(block).every(([operatorName, keys]) => {
    const operator = OPERATORS[operatorName.toLowerCase()];
    if (!operator) return false;
    return Object.entries(keys).every(([key, expected]) => {
      const actual = lowerContext.get(key.toLowerCase());
      if (actual === undefined) return operator.negated;
      const requestValues = Array.isArray(actual) ? actual : [actual];
      const policyValues = (Array.isArray(expected) ? expected : [expected]).map(String);
      const anyMatch = requestValues.some((r) => policyValues.some((p) => operator.compare(r, p)));
      return operator.negated ? !anyMatch : anyMatch;
    });
  });
}

/** `StringLike`: `*` any run, `?` one character, case-sensitive, whole-value. */
function likeMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
  return regex.test(value);
}

/** ISO 8601 dates, or epoch seconds as a number. */
function parseDate(value: string): number | undefined {
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** IPv4 address against an address or CIDR block; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) counts as IPv4. */
function ipInRange(ip: string, range: string): boolean {
  const address = parseIpv4(ip.replace(/^::ffff:/i, ''));
  const [base = '', bitsText] = range.trim().split('/');
  const network = parseIpv4(base);
  if (address === undefined || network === undefined) return ip.trim() === range.trim();
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (address & mask) >>> 0 === (network & mask) >>> 0;
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value >>> 0;
}
