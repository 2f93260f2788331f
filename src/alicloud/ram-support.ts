/**
 * What the RAM port's parts share: the SDK client, the call path, and paging to the end. The idioms that
 * make answers level-friendly (missing → undefined or "already done") live with the error taxonomy.
 */
import { callCloud, type CallContext } from './call.js';
import type { RamClient } from './clients.js';
import { MalformedResponseError } from './errors.js';
import type { CallKind, PolicyRef, PolicyType, Tags } from './ports.js';

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
      throw new MalformedResponseError(action, 'the service returned the same page marker twice');
    }
    token = page.next;
  }
  throw new MalformedResponseError(action, `more than ${MAX_PAGES} pages`);
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

/** `Tag.N.Key` / `Tag.N.Value` request rows. */
export function tagRows<T>(
  tags: Tags | undefined,
  make: (row: { key: string; value: string }) => T,
): T[] | undefined {
  if (!tags || Object.keys(tags).length === 0) return undefined;
  return Object.entries(tags).map(([key, value]) => make({ key, value }));
}
