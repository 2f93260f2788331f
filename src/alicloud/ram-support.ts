/**
 * What the RAM port's parts share: the SDK client, the call path, and the idioms that make RAM's answers
 * level-friendly (missing → undefined or "already done", paging to the end).
 */
import { callCloud, type CallContext } from './call.js';
import type { RamClient } from './clients.js';
import { CloudError, isCloudError } from './errors.js';
import type { CallKind, PolicyRef, PolicyType } from './ports.js';

export interface RamContext {
  client: RamClient;
  call: CallContext;
  /** MaxItems / PageSize for list calls (RAM allows 1-1000; default 100). */
  pageSize: number;
}

export function ramCall<T>(
  ctx: RamContext,
  action: string,
  kind: CallKind,
  invoke: () => Promise<T>,
): Promise<T> {
  return callCloud(ctx.call, action, kind, invoke);
}

/** Resolves undefined when the entity does not exist (any NotFound, i.e. `EntityNotExist.*`). */
export async function orUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return undefined;
    throw error;
  }
}

/** Deletes, detaches and removals: "already gone" (`EntityNotExist.*`) is success. */
export async function ignoreMissing(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return;
    throw error;
  }
}

/** Attachments and memberships: "already attached" (`EntityAlreadyExists.*`) is success. */
export async function ignoreExisting(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (isCloudError(error, 'AlreadyExists')) return;
    throw error;
  }
}

export interface Page<T> {
  items: T[];
  /** The token of the next page; undefined on the last page. */
  next: string | undefined;
}

/** Upper bound on pages, so a service that never stops truncating cannot loop us forever. */
const MAX_PAGES = 10_000;

/** Fetches pages until the service says there are no more (RAM's IsTruncated/Marker, or NextToken). */
export async function collectPages<T>(
  action: string,
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await fetchPage(token);
    all.push(...page.items);
    if (page.next === undefined) return all;
    if (page.next === token) {
      throw new CloudError(
        'Transient',
        'MalformedResponse',
        `${action}: the service returned the same page marker twice`,
        { action },
      );
    }
    token = page.next;
  }
  throw new CloudError('Transient', 'MalformedResponse', `${action}: more than ${MAX_PAGES} pages`, {
    action,
  });
}

/** RAM's marker paging: the next marker only counts when IsTruncated says so. */
export function markerPage<T>(
  items: T[],
  isTruncated: boolean | undefined,
  marker: string | undefined,
): Page<T> {
  return { items, next: isTruncated && marker ? marker : undefined };
}

export function policyType(value: string | undefined): PolicyType {
  return value === 'System' ? 'System' : 'Custom';
}

/** Maps `{PolicyName, PolicyType}` rows (ListPoliciesFor*) to refs. */
export function policyRefs(
  rows: readonly { policyName?: string; policyType?: string }[] | undefined,
): PolicyRef[] {
  return (rows ?? []).flatMap((row) =>
    row.policyName ? [{ policyName: row.policyName, policyType: policyType(row.policyType) }] : [],
  );
}

export function malformed(action: string, what: string): CloudError {
  return new CloudError('Transient', 'MalformedResponse', `${action}: the response has no ${what}`, {
    action,
  });
}
