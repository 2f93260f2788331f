/**
 * The emulator's admin API (`/_emulator/...`) as the tests call it: plain HTTP with JSON bodies, the way
 * an engineer would script it with curl. `baseUrl` is the emulator's `url` (`http://127.0.0.1:<port>`);
 * `path` starts with `/_emulator/`.
 */

/** An account's root AccessKey, as `POST /_emulator/accounts` returns it. */
export interface RootKey {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
}

export interface AdminAnswer {
  status: number;
  /** The parsed JSON body; `{}` when the answer has none. */
  body: Record<string, unknown>;
}

async function send(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, text: await response.text() };
}

/** Calls the admin API and returns whatever it answers, error statuses included. */
export async function adminCall(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<AdminAnswer> {
  const { status, text } = await send(baseUrl, method, path, body);
  return { status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

/** Calls the admin API and returns the parsed body (undefined when empty); a non-2xx answer throws. */
export async function adminRequest(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const { status, text } = await send(baseUrl, method, path, body);
  if (status < 200 || status > 299) throw new Error(`emulator admin ${method} ${path}: ${status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Creates account `accountId` (or finds it) and returns its root key; a refusal throws. */
export async function createAccount(baseUrl: string, accountId: string, alias?: string): Promise<RootKey> {
  return (await adminRequest(baseUrl, 'POST', '/_emulator/accounts', {
    accountId,
    ...(alias === undefined ? {} : { alias }),
  })) as RootKey;
}

/** The account's signed-call counts by `<service>:<Action>` (`GET /_emulator/accounts/{id}/calls`). */
export async function callCounts(baseUrl: string, accountId: string): Promise<Record<string, number>> {
  const answer = (await adminRequest(baseUrl, 'GET', `/_emulator/accounts/${accountId}/calls`)) as {
    calls: Record<string, number>;
  };
  return answer.calls;
}
