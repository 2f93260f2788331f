/**
 * RAM list paging: `MaxItems` (1-1000, default 100) and an opaque `Marker`; responses carry
 * `IsTruncated` and, when truncated, the `Marker` of the next page.
 */
import { invalidParameter } from '../errors.js';
import type { Params } from '../params.js';

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

export function paginate<T>(all: readonly T[], params: Params): Page<T> {
  const maxItems = params.int('MaxItems') ?? 100;
  if (maxItems < 1 || maxItems > 1000)
    throw invalidParameter('MaxItems', 'The parameter MaxItems must be between 1 and 1000.');
  const marker = params.optional('Marker');
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!decoded?.[1]) throw invalidParameter('Marker', 'The parameter Marker is invalid.');
    start = Number(decoded[1]);
  }
  const items = all.slice(start, start + maxItems);
  const next = start + items.length;
  if (next >= all.length) return { items, isTruncated: false };
  return { items, isTruncated: true, marker: Buffer.from(`offset:${next}`, 'utf8').toString('base64url') };
}

/** The paging fields of a list response. */
export function pageFields(page: Page<unknown>): Record<string, unknown> {
  return page.isTruncated ? { IsTruncated: true, Marker: page.marker } : { IsTruncated: false };
}
