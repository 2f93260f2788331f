/**
 * Alibaba Cloud's percent-encoding: RFC 3986, where only `A-Z a-z 0-9 - _ . ~` stay literal. It is
 * `encodeURIComponent` plus the five characters that function leaves alone (`! ' ( ) *`), exactly as the
 * official SDKs encode values when they sign (ACS3 canonical query, v1 string to sign).
 */
export function acsPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Decodes one `application/x-www-form-urlencoded` component; a malformed escape is kept as written. */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * Parses a query string or a form body into `into` (a null-prototype record, so that a parameter named
 * `__proto__` is just a parameter). `+` means a space; when a name repeats, the last value wins.
 */
export function parseFormEncoded(text: string, into: Record<string, string>): void {
  if (text.length === 0) return;
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    into[name] = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
  }
}

/** A record without a prototype, safe for names chosen by the client. */
export function emptyParams(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}
