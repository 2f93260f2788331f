/** Request bodies in (JSON or YAML, size-limited) and JSON responses out, with Status errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, unsupportedMediaType } from './errors.js';
import { decodeKubernetesProtobuf } from './protobuf.js';

/** The real server refuses request bodies above 3 MiB. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type of a request, without parameters (`application/json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Decodes a body of a JSON, YAML or (for a few kinds) protobuf media type; an empty body is undefined. */
export function decodeBody(raw: Buffer, media: string): unknown {
  if (raw.length === 0) return undefined;
  if (media === 'application/vnd.kubernetes.protobuf') return decodeKubernetesProtobuf(raw);
  const text = raw.toString('utf8');
  if (media === 'application/json' || media.endsWith('+json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
    }
  }
  if (media === 'application/yaml' || media.endsWith('+yaml')) {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      throw badRequest(`error converting YAML to JSON: ${(error as Error).message}`);
    }
  }
  throw unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
  );
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  warnings: string[] = [],
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    ...extraHeaders,
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(
          500,
          'InternalError',
          `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        );
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, apiError.code, apiError.toStatus(), undefined, [], apiError.headers);
}
