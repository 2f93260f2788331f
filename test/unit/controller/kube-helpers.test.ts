import { describe, expect, it } from 'vitest';
import { truncateUtf8 } from '../../../src/controller/events.js';
import {
  credentialSecretNames,
  delegationFingerprint,
  delegationRecord,
  inShard,
  shardSelector,
} from '../../../src/controller/delegation-informers.js';
import { CredentialIndex, secretFingerprint } from '../../../src/controller/secret-informers.js';
import {
  httpStatusOf,
  microTime,
  objectKey,
  parseKubeTime,
  splitKey,
} from '../../../src/controller/kube-clients.js';

describe('microTime', () => {
  it.each([
    ['2026-01-02T03:04:05.123Z', '"2026-01-02T03:04:05.123000Z"'],
    ['2026-01-02T03:04:05.000Z', '"2026-01-02T03:04:05.000000Z"'],
  ])('%s serializes with six fractional digits', (iso, json) => {
    expect(JSON.stringify(microTime(new Date(iso)))).toBe(json);
    expect(JSON.stringify({ renewTime: microTime(new Date(iso)) })).toBe(`{"renewTime":${json}}`);
  });
});

describe('parseKubeTime', () => {
  it.each([
    ['2026-01-02T03:04:05.123456Z', Date.parse('2026-01-02T03:04:05.123Z')],
    ['2026-01-02T03:04:05Z', Date.parse('2026-01-02T03:04:05Z')],
    [new Date('2026-01-02T03:04:05Z'), Date.parse('2026-01-02T03:04:05Z')],
    ['', undefined],
    ['garbage', undefined],
    [undefined, undefined],
  ])('%s', (value, expected) => {
    expect(parseKubeTime(value)?.getTime()).toBe(expected);
  });
});

describe('keys', () => {
  it.each([
    ['platform', 'orders', 'platform/orders'],
    [undefined, 'cluster-thing', 'cluster-thing'],
  ])('%s/%s <-> %s', (namespace, name, key) => {
    expect(objectKey(namespace, name)).toBe(key);
    expect(splitKey(key)).toEqual({ namespace, name });
  });
});

describe('httpStatusOf', () => {
  it.each([
    [{ code: 409 }, 409],
    [{ statusCode: 503 }, 503],
    [{ code: 'ECONNREFUSED' }, undefined],
    [new Error('x'), undefined],
    ['nope', undefined],
  ])('%j -> %s', (error, expected) => {
    expect(httpStatusOf(error)).toBe(expected);
  });
});

describe('truncateUtf8', () => {
  it.each([
    ['short', 10, 'short'],
    ['abcdefghij', 8, 'abcde...'],
    ['ééééé', 7, 'éé...'],
  ])('%s to %i bytes', (text, max, expected) => {
    expect(truncateUtf8(text, max)).toBe(expected);
    expect(Buffer.byteLength(truncateUtf8(text, max))).toBeLessThanOrEqual(max);
  });
});

describe('fingerprints and references', () => {
  const delegation = (extra: Record<string, any> = {}) => ({
    metadata: { name: 'd', namespace: 'n', generation: 1, resourceVersion: '10', ...extra },
    status: { observedGeneration: 1 },
  });

  it('a delegation fingerprint ignores resourceVersion, status and finalizers, not generation, deletion or annotations', () => {
    const base = delegationFingerprint(delegation());
    expect(delegationFingerprint(delegation({ finalizers: ['ram-delegation.dev/revoke'] }))).toBe(base);
    expect(
      delegationFingerprint({
        ...delegation({ resourceVersion: '11' }),
        status: { observedGeneration: 2 },
      } as never),
    ).toBe(base);
    expect(delegationFingerprint(delegation({ generation: 2 }))).not.toBe(base);
    expect(delegationFingerprint(delegation({ deletionTimestamp: new Date() }))).not.toBe(base);
    expect(
      delegationFingerprint(delegation({ annotations: { 'ram-delegation.dev/adopt': 'true' } })),
    ).not.toBe(base);
  });

  it('a Secret fingerprint follows content and deletion and holds no secret material', () => {
    const secret = {
      metadata: { name: 's', finalizers: [] as string[] },
      data: { accessKeySecret: 'c2VjcmV0' },
    };
    const base = secretFingerprint(secret);
    expect(base).not.toContain('c2VjcmV0');
    expect(secretFingerprint({ ...secret, metadata: { name: 's', finalizers: ['x'] } })).toBe(base);
    expect(secretFingerprint({ ...secret, data: { accessKeySecret: 'b3RoZXI=' } })).not.toBe(base);
  });

  it('lists the credential Secrets a delegation references, once each', () => {
    const names = credentialSecretNames({
      spec: {
        owner: { credentials: { secretRef: { name: 'enterprise-a' } } },
        authorized: { credentials: { secretRef: { name: 'enterprise-a' } } },
        users: [{ credentialsSecretName: 'u1-ak' }],
      },
    } as never);
    expect(names).toEqual(['enterprise-a']);
    expect(credentialSecretNames({ spec: 'not an object' } as never)).toEqual([]);
  });

  it('a delegation record keeps a short fingerprint, Ready, the revocation reason and credential names only', () => {
    const lastApplied = JSON.stringify({ spec: { big: 'x'.repeat(5_000) } });
    const record = delegationRecord(
      {
        metadata: {
          name: 'd',
          namespace: 'n',
          generation: 3,
          deletionTimestamp: new Date(),
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
        },
        spec: { owner: { credentials: { secretRef: { name: 'a' } } }, authorized: { accountId: '2' } },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      } as never,
      new Date(),
    );
    expect(record).toEqual({
      fingerprint: expect.stringMatching(/^[A-Za-z0-9+/]{27}$/),
      ready: 'True',
      revocation: 'deletion',
      credentials: ['a'],
    });
  });
});

describe('shards', () => {
  it.each([
    [undefined, '!ram-delegation.dev/shard'],
    ['blue', 'ram-delegation.dev/shard=blue'],
  ])('shard %s selects %s', (shard, selector) => {
    expect(shardSelector(shard)).toBe(selector);
  });

  it.each([
    [undefined, {}, true],
    [undefined, { 'ram-delegation.dev/shard': 'blue' }, false],
    ['blue', { 'ram-delegation.dev/shard': 'blue' }, true],
    ['blue', { 'ram-delegation.dev/shard': 'green' }, false],
    ['blue', {}, false],
  ])('shard %s owns a delegation labelled %j: %s', (shard, labels, owned) => {
    expect(inShard({ metadata: { name: 'd', labels } }, shard)).toBe(owned);
  });
});

describe('the credential Secret index', () => {
  const record = (...credentials: string[]) => ({
    fingerprint: 'f',
    ready: 'Unknown' as const,
    revocation: undefined,
    credentials,
  });

  it('follows records as they come, change and go', () => {
    const index = new CredentialIndex();
    index.update('n/one', record('a', 'b'), undefined);
    index.update('n/two', record('a'), undefined);
    index.update('m/three', record('a'), undefined);
    expect(index.delegationsUsing('n/a').sort()).toEqual(['n/one', 'n/two']);
    expect(index.isUsed('n', 'a', 'n/one')).toBe(true);
    expect(index.isUsed('n', 'b', 'n/one')).toBe(false);
    expect(index.isUsed('n', 'b', undefined)).toBe(true);
    index.update('n/one', record('c'), record('a', 'b'));
    expect(index.delegationsUsing('n/b')).toEqual([]);
    expect(index.delegationsUsing('n/c')).toEqual(['n/one']);
    index.update('n/two', undefined, record('a'));
    expect(index.isUsed('n', 'a', undefined)).toBe(false);
    expect(index.delegationsUsing('m/a')).toEqual(['m/three']);
  });
});
