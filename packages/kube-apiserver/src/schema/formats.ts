/**
 * String `format`s the real API server enforces (apiextensions-apiserver pkg/apiserver/validation
 * formats.go plus go-openapi strfmt checkers). Names are normalised like go-openapi does (dashes
 * removed, so `date-time` is `datetime`); unknown formats are not enforced, as on the real server.
 * Caveat: several checkers are regex approximations of Go parsers (net/mail, time.Parse, url).
 */

const uuidRe = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const dnsLabel = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const hostLabel = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  try {
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m || !isDate(m[1] ?? '')) return false;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? '0') < 60;
}

function isBase64(s: string): boolean {
  return s.length % 4 === 0 && /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s);
}

function isUri(s: string): boolean {
  if (s.startsWith('/')) return true;
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}

function isCidr(s: string): boolean {
  const [ip = '', bits, ...rest] = s.split('/');
  if (bits === undefined || rest.length > 0 || !/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

const checkers: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isUri,
  email: (s) => /^(?:[^<>@\s]+|.*<[^<>@\s]+@[^<>@\s]+>)@?[^<>@\s]*$/.test(s) && s.includes('@'),
  hostname: (s) => s.length <= 255 && new RegExp(`^${hostLabel}(?:\\.${hostLabel})*\\.?$`).test(s),
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCidr,
  mac: (s) =>
    /^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(s) || /^(?:[0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/.test(s),
  uuid: (s) => uuidRe.test(s),
  uuid3: (s) => uuidRe.test(s) && /^[0-9a-f]{8}-?[0-9a-f]{4}-?3/i.test(s),
  uuid4: (s) => uuidRe.test(s) && /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab]/i.test(s),
  uuid5: (s) => uuidRe.test(s) && /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab]/i.test(s),
  isbn: (s) => /^(?:\d[- ]?){9}[\dXx]$|^(?:\d[- ]?){12}\d$/.test(s),
  isbn10: (s) => /^(?:\d[- ]?){9}[\dXx]$/.test(s),
  isbn13: (s) => /^(?:\d[- ]?){12}\d$/.test(s),
  creditcard: (s) => /^\d{12,19}$/.test(s.replace(/\D/g, '')),
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(s),
  byte: isBase64,
  password: () => true,
  date: isDate,
  duration: (s) =>
    /^(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$|^\d+\s*(?:ns|us|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$/.test(
      s,
    ),
  datetime: isDateTime,
  k8sshortname: (s) => s.length <= 63 && new RegExp(`^${dnsLabel}$`).test(s),
  k8slongname: (s) => s.length <= 253 && new RegExp(`^${dnsLabel}(\\.${dnsLabel})*$`).test(s),
};

/** The checker for a string format, or undefined when the server does not enforce it. */
export function stringFormatChecker(format: string): ((value: string) => boolean) | undefined {
  return checkers[format.replaceAll('-', '')];
}
