/**
 * Releases each official-SDK request as soon as its response has been read.
 *
 * The SDKs' HTTP layer (`httpx`, under `@darabonba/typescript`) arms a read-timeout timer per request
 * (our `readTimeoutMs`, 15 s) and clears it only in its own `httpx.read`. The SDKs read response bodies
 * with `@darabonba/typescript`'s stream reader instead, so the timer stays armed for the full timeout,
 * and its closure keeps the request, its signed URL and headers and the response reachable: about 6 KiB
 * per call, tens of MiB at a few hundred calls per second. When it finally fires it also clears the read
 * timer of whichever request is using the keep-alive socket by then.
 *
 * Node publishes every HTTP client response on the diagnostics channel `http.client.response.finish`;
 * for a socket carrying httpx's read timer, the timer of this request is cleared once its body has ended
 * (exactly what `httpx.read` would have done). Other HTTP clients' sockets carry no such timer and are
 * left alone. A response whose body is never read keeps its timer, as before.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

const RESPONSE_CHANNEL = 'http.client.response.finish';
/** The description of the symbol under which httpx keeps a socket's current read timer. */
const HTTPX_READ_TIMER = 'TIMER::READ_TIMER';

let installed = false;

function readTimerKey(socket: object): symbol | undefined {
  return Object.getOwnPropertySymbols(socket).find((key) => key.description === HTTPX_READ_TIMER);
}

function onResponse(message: unknown): void {
  const { request, response } = message as { request?: ClientRequest; response?: IncomingMessage };
  const socket = request?.socket;
  if (!socket || !response) return;
  const key = readTimerKey(socket);
  if (!key) return;
  const timer = (socket as unknown as Record<symbol, unknown>)[key];
  if (!timer) return;
  response.once('end', () => clearTimeout(timer as NodeJS.Timeout));
}

/** Subscribes the release once per process (the diagnostics channel is process-wide); idempotent. */
export function releaseSdkReadTimers(): void {
  if (installed) return;
  installed = true;
  subscribe(RESPONSE_CHANNEL, onResponse);
}
