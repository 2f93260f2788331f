import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP request as the emulator's routes see it: fully read, not yet interpreted. */
export interface WireRequest {
  method: string;
  /** The raw path, without the query string. */
  path: string;
  /** The raw query string, without `?`. */
  rawQuery: string;
  /** Node's lower-cased headers. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  secureTransport: boolean;
  requestId: string;
  /** When the request arrived, by the emulator's injected clock. */
  receivedAt: Date;
}

/** What a route answers; the HTTP layer adds the request id header and writes it. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON document, or undefined for an empty body (204). */
  body: string | undefined;
}

/** A header as one string: undefined when absent, repeated headers joined with commas. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

export function jsonResponse(
  status: number,
  document: unknown,
  headers: Record<string, string> = {},
): WireResponse {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(document),
  };
}
