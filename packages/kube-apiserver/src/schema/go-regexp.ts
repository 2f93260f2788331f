/**
 * OpenAPI `pattern`s as the Go API server reads them (Go `regexp`, RE2 syntax, unanchored match),
 * run on JS RegExp: leading flag groups (`(?i)`, `(?s)`, `(?m)`), `\A`/`\z` and the ASCII POSIX
 * classes (`[[:alpha:]]`) are translated; Perl constructs RE2 refuses (lookaround, backreferences)
 * are refused with Go's error text. Caveat: other RE2-only syntax (`\pN` one-letter classes, `(?U)`)
 * is not translated and may fail to compile or match differently.
 */

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Go's error for a pattern RE2 refuses, or undefined when it is acceptable. */
export function goRegexpError(pattern: string): string | undefined {
  const perl = /\(\?<?[=!]/.exec(pattern);
  if (perl) return `error parsing regexp: invalid or unsupported Perl syntax: \`${perl[0]}\``;
  const backref = /\\[1-9]/.exec(pattern);
  if (backref) return `error parsing regexp: invalid escape sequence: \`${backref[0]}\``;
  try {
    compileGoRegexp(pattern);
    return undefined;
  } catch (error) {
    return `error parsing regexp: ${goSyntaxError(pattern, (error as Error).message)}`;
  }
}

/** Go's wording for the common syntax errors JS reports (others keep the JS text). */
function goSyntaxError(pattern: string, jsMessage: string): string {
  if (/Unterminated group/.test(jsMessage)) return `missing closing ): \`${pattern}\``;
  if (/Unmatched '\)'/.test(jsMessage)) return `unexpected ): \`${pattern}\``;
  if (/Unterminated character class/.test(jsMessage))
    return `missing closing ]: \`${pattern.slice(pattern.lastIndexOf('['))}\``;
  if (/\\ at end of pattern/.test(jsMessage)) return 'trailing backslash at end of expression: ``';
  const repeat = /Nothing to repeat/.test(jsMessage) ? /(?:^|[(|])([*+?{])/.exec(pattern) : null;
  if (repeat) return `missing argument to repetition operator: \`${repeat[1]}\``;
  return jsMessage;
}

const cache = new Map<string, RegExp>();

/** Compiles a Go pattern to an equivalent JS RegExp (cached; throws when it cannot). */
export function compileGoRegexp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = pattern;
  let flags = '';
  const flagGroup = /^\(\?([ims]+)\)/.exec(source);
  if (flagGroup) {
    flags = [...new Set(flagGroup[1])].join('');
    source = source.slice(flagGroup[0].length);
  }
  source = source
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negate: string, name: string) => {
      const set = POSIX[name];
      if (set === undefined) return whole;
      return negate === '' ? set : `^${set}`;
    })
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])');
  let re: RegExp;
  try {
    re = new RegExp(source, `${flags}u`);
  } catch {
    re = new RegExp(source, flags);
  }
  cache.set(pattern, re);
  return re;
}
