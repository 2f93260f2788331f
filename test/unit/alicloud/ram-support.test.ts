import { describe, expect, it } from 'vitest';
import {
  CloudError,
  ignoreExisting,
  ignoreMissing,
  orUndefined,
  type CloudErrorKind,
} from '../../../src/alicloud/errors.js';
import { collectPages, markerPage, policyRefs, type Page } from '../../../src/alicloud/ram-support.js';

function failure(kind: CloudErrorKind): Promise<never> {
  return Promise.reject(new CloudError(kind, `Code.${kind}`, 'x'));
}

describe('level-friendly wrappers', () => {
  const kinds: CloudErrorKind[] = [
    'NotFound',
    'AlreadyExists',
    'Conflict',
    'Throttled',
    'Forbidden',
    'Invalid',
    'Transient',
  ];

  it.each(kinds)('orUndefined turns only NotFound into undefined (%s)', async (kind) => {
    const result = orUndefined(failure(kind));
    if (kind === 'NotFound') await expect(result).resolves.toBeUndefined();
    else await expect(result).rejects.toMatchObject({ kind });
  });

  it.each(kinds)('ignoreMissing swallows only NotFound (%s)', async (kind) => {
    const result = ignoreMissing(failure(kind));
    if (kind === 'NotFound') await expect(result).resolves.toBeUndefined();
    else await expect(result).rejects.toMatchObject({ kind });
  });

  it.each(kinds)('ignoreExisting swallows only AlreadyExists (%s)', async (kind) => {
    const result = ignoreExisting(failure(kind));
    if (kind === 'AlreadyExists') await expect(result).resolves.toBeUndefined();
    else await expect(result).rejects.toMatchObject({ kind });
  });

  it('passes values through', async () => {
    await expect(orUndefined(Promise.resolve(7))).resolves.toBe(7);
  });
});

describe('collectPages', () => {
  it('follows tokens to the last page', async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], next: 'a' },
      a: { items: [3, 4], next: 'b' },
      b: { items: [5], next: undefined },
    };
    const asked: (string | undefined)[] = [];
    const all = await collectPages('ListUsers', (token) => {
      asked.push(token);
      return Promise.resolve(pages[token ?? 'start']!);
    });
    expect(all).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'a', 'b']);
  });

  it('refuses a service that repeats the same marker', async () => {
    await expect(
      collectPages('ListUsers', () => Promise.resolve({ items: [1], next: 'same' })),
    ).rejects.toMatchObject({
      kind: 'Transient',
      code: 'MalformedResponse',
    });
  });

  it.each([
    [true, 'm', 'm'],
    [false, 'm', undefined],
    [true, undefined, undefined],
    [undefined, 'm', undefined],
    [true, '', undefined],
  ])('markerPage(IsTruncated=%s, Marker=%s) -> next %s', (isTruncated, marker, next) => {
    expect(markerPage([], isTruncated, marker).next).toBe(next);
  });
});

describe('policyRefs', () => {
  it('maps rows and skips nameless ones', () => {
    expect(
      policyRefs([
        { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' },
        { policyName: 'mine', policyType: 'Custom' },
        { policyType: 'Custom' },
      ]),
    ).toEqual([
      { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' },
      { policyName: 'mine', policyType: 'Custom' },
    ]);
    expect(policyRefs(undefined)).toEqual([]);
  });
});
