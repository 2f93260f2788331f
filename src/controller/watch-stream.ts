import { request as httpRequest, type ClientRequest, type IncomingMessage, STATUS_CODES } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';

/**
 * One WATCH request as a stream of events, with an abort that works at any moment (also while the
 * request still waits for its response headers, which client-node's `Watch` cannot abort).
 * Authentication and TLS come from the kubeconfig, as for every other request.
 */

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /** The object; for ERROR a `Status` (`code` 410 means the resourceVersion is too old). */
  object: KubernetesObject & { code?: number; reason?: string; message?: string };
}

/** How a watch ended: `error` is set when it failed (an HTTP status other than 200, a network error). */
export interface WatchEnd {
  error?: Error & { statusCode?: number };
  /** Whether the server had accepted the watch (answered 200) before it ended. */
  established?: boolean;
}

export interface OpenWatch {
  /** Resolves once the watch has ended, whatever the reason; never rejects. */
  ended: Promise<WatchEnd>;
  /** Ends the watch now (idempotent); `ended` resolves without an error. */
  abort(): void;
}

export type WatchParams = Record<string, string | number | boolean | undefined>;

/** Opens `GET <path>?watch=true&<params>` and calls `onEvent` for every event line, in order. */
export function openWatch(
  kubeConfig: KubeConfig,
  path: string,
  params: WatchParams,
  onEvent: (event: WatchEvent) => void,
): OpenWatch {
  let request: ClientRequest | undefined;
  let aborted = false;
  let done = false;
  let established = false;
  let settle: (end: WatchEnd) => void = () => {};
  const ended = new Promise<WatchEnd>((resolve) => {
    settle = (end) => {
      if (done) return;
      done = true;
      request?.destroy();
      resolve({ ...end, established });
    };
  });
  const fail = (error: unknown) =>
    settle({ error: error instanceof Error ? error : new Error(String(error)) });
  const start = async () => {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig names no cluster');
    const url = new URL(server.replace(/\/$/, '') + path);
    url.searchParams.set('watch', 'true');
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const options: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    await kubeConfig.applyToHTTPSOptions(options);
    if (aborted) return settle({});
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    request = send(url, options, (response) => receive(response));
    request.on('error', fail);
    request.end();
  };
  const receive = (response: IncomingMessage) => {
    // A cut connection surfaces as an 'error' on the response (and on readline, which forwards it).
    response.on('error', fail);
    if (response.statusCode !== 200) {
      const status = response.statusCode ?? 0;
      response.resume();
      const error = new Error(`watch ${path}: ${status} ${STATUS_CODES[status] ?? ''}`.trim());
      return settle({ error: Object.assign(error, { statusCode: status }) });
    }
    established = true;
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (done || line.trim() === '') return;
      let event: WatchEvent;
      try {
        event = JSON.parse(line) as WatchEvent;
      } catch {
        return fail(new Error(`watch ${path}: an event is not JSON`));
      }
      onEvent(event);
    });
    lines.on('error', fail);
    // A clean end (the server's timeout) and a cut connection both close the stream: the caller tells
    // them apart by how long the watch lived, not by this.
    lines.on('close', () => settle({}));
    response.on('aborted', () => settle({ error: new Error(`watch ${path}: connection cut`) }));
  };
  start().catch(fail);
  return {
    ended,
    abort: () => {
      aborted = true;
      settle({});
    },
  };
}
