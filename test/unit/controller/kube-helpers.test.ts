import { describe, expect, it } from 'vitest';
import { truncateUtf8 } from '../../../src/controller/events.js';
import {
  delegationFingerprint,
  referencedSecretNames,
  secretFingerprint,
} from '../../../src/controller/delegation-informers.js';
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

  it('a delegation fingerprint ignores resourceVersion and status, not generation, deletion or annotations', () => {
    const base = delegationFingerprint(delegation());
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

  it('lists the credential and user Secrets a delegation references, once each', () => {
    const names = referencedSecretNames({
      spec: {
        owner: { credentials: { secretRef: { name: 'enterprise-a' } } },
        authorized: { credentials: { secretRef: { name: 'enterprise-a' } } },
        users: [{ credentialsSecretName: 'u1-ak' }, { credentialsSecretName: 42 }, {}],
      },
    } as never);
    expect(names).toEqual(['enterprise-a', 'u1-ak']);
    expect(referencedSecretNames({ spec: 'not an object' } as never)).toEqual([]);
  });
});
