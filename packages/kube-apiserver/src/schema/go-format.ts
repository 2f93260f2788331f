/**
 * Renders values the way the Go API server prints them inside field error messages: `%v` for floats,
 * `%q` for strings and `json.Marshal` (map keys sorted) for objects and lists. Exact rendering matters
 * because clients and tests compare the messages byte for byte.
 */

/** Go's `%v` for a float64 (shortest digits; exponent form when the exponent is < -4 or >= 6). */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** `%v` of a decoded JSON number: integers as int64, everything else as float64. */
function goNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? value.toFixed(0) : goFloat(value);
}

/** A string as Go's `json.Marshal` writes it: HTML-sensitive characters escaped as \u003c etc. */
export function goJsonString(value: string): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** `json.Marshal` of an unstructured value: like JSON.stringify but with object keys sorted. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${goJsonString(k)}:${goJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return typeof value === 'string' ? goJsonString(value) : JSON.stringify(value);
}

/** Go's `%q` for a string (close enough: JSON escaping of control characters and quotes). */
function goQuote(value: string): string {
  return JSON.stringify(value);
}

/**
 * How `field.Error.ErrorBody` prints a bad value: numbers and booleans bare, strings quoted, other
 * values as JSON.
 */
export function goBadValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return goJson(value);
}
