/**
 * GET of one object and LIST with selectors and pagination (`limit`/`continue`; a continue token older
 * than the retained history is a 410 Expired, as after an etcd compaction).
 */
import type { ServerContext } from './context.js';
import { badRequest, gone, notFound } from './errors.js';
import { matches, parseFilter } from './list-query.js';
import { present } from './presentation.js';
import { apiVersionOf, type ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

export function getObject(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): KubeObject {
  const object = ctx.store.get(type.storageKey, namespace, name);
  if (!object) throw notFound(type, name);
  return present(type, object);
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string')
      throw new Error();
    return parsed as ContinueToken;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

export function listObjects(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string | undefined,
  params: URLSearchParams,
): ListResult {
  const filter = parseFilter(type, namespace, params);
  const limitText = params.get('limit');
  const limit = limitText ? Number(limitText) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${limitText}`);
  const continueText = params.get('continue');
  let revision = ctx.store.currentRevision();
  let afterKey: string | undefined;
  if (continueText) {
    const token = decodeContinue(continueText);
    if (token.rv < ctx.store.oldestValidRevision()) throw gone(EXPIRED_CONTINUE);
    revision = token.rv;
    afterKey = token.start;
  }
  const items: KubeObject[] = [];
  let lastKey: string | undefined;
  let more = false;
  let remaining = 0;
  for (const [key, object] of ctx.store.scan(type.storageKey, namespace, afterKey)) {
    if (!matches(type, filter, object)) continue;
    if (limit > 0 && items.length >= limit) {
      more = true;
      remaining++;
      continue;
    }
    items.push(present(type, object));
    lastKey = key;
  }
  const result: ListResult = { items, resourceVersion: String(revision) };
  if (more && lastKey !== undefined) {
    result.continueToken = encodeContinue({ v: 'meta.k8s.io/v1', rv: revision, start: lastKey });
    if (filter.labels.length === 0 && filter.fields.length === 0) result.remainingItemCount = remaining;
  }
  return result;
}

/** The JSON body of a list response. */
export function listBody(type: ResourceType, result: ListResult): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continueToken) metadata.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  return { kind: type.listKind, apiVersion: apiVersionOf(type), metadata, items: result.items };
}
