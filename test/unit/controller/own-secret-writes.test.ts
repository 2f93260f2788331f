import { describe, expect, it } from 'vitest';
import { dataAfterMergePatch, OwnSecretWrites } from '../../../src/controller/own-secret-writes.js';
import { secretFingerprint } from '../../../src/controller/secret-informers.js';

const data = { accessKeyId: 'TFRBSTE=', accessKeySecret: 'czE=' };
const fingerprint = (d: Record<string, string>) => secretFingerprint({ data: d });

describe('OwnSecretWrites', () => {
  it.each([
    { name: 'the content written', event: data, own: true },
    {
      name: 'the same content, keys in another order',
      event: { accessKeySecret: 'czE=', accessKeyId: 'TFRBSTE=' },
      own: true,
    },
    { name: 'other content', event: { ...data, accessKeyId: 'b3RoZXI=' }, own: false },
  ])('an event with $name is own: $own, and consumes the expectation', ({ event, own }) => {
    const writes = new OwnSecretWrites();
    writes.expect('ns/s', data);
    expect(writes.isOwnWrite('ns/s', fingerprint(event))).toBe(own);
    expect(writes.isOwnWrite('ns/s', fingerprint(data))).toBe(false);
    expect(writes.size).toBe(0);
  });

  it('knows nothing of a write it was not told of, or one that failed', () => {
    const writes = new OwnSecretWrites();
    expect(writes.isOwnWrite('ns/s', fingerprint(data))).toBe(false);
    writes.expect('ns/s', data);
    writes.forget('ns/s');
    expect(writes.isOwnWrite('ns/s', fingerprint(data))).toBe(false);
  });

  it('drops expectations whose event never came, after the time to live', () => {
    let now = 0;
    const writes = new OwnSecretWrites(() => now, 60_000);
    writes.expect('ns/old', data);
    now = 30_000;
    writes.expect('ns/newer', data);
    now = 61_000;
    writes.expect('ns/newest', data);
    expect(writes.size).toBe(2);
    expect(writes.isOwnWrite('ns/old', fingerprint(data))).toBe(false);
    expect(writes.isOwnWrite('ns/newer', fingerprint(data))).toBe(true);
  });
});

describe('dataAfterMergePatch', () => {
  it('sets, replaces and (with null) removes keys, keeping the rest', () => {
    const existing = { data: { keep: 'a2VlcA==', replace: 'b2xk', drop: 'eA==' } };
    expect(dataAfterMergePatch(existing, { replace: 'bmV3', drop: null, add: 'YWRk' })).toEqual({
      keep: 'a2VlcA==',
      replace: 'bmV3',
      add: 'YWRk',
    });
  });
});
