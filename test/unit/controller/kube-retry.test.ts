import { describe, expect, it } from 'vitest';
import { readWithRetry } from '../../../src/controller/kube-retry.js';

const failure = (statusCode?: number) =>
  Object.assign(new Error(`failed with ${statusCode ?? 'no answer'}`), statusCode ? { statusCode } : {});

/** A read that fails with the given statuses first, then answers `ok`; and the delays it was made to wait. */
function scripted(statuses: Array<number | undefined>) {
  const slept: number[] = [];
  let calls = 0;
  const read = async () => {
    const next = calls++;
    if (next < statuses.length) throw failure(statuses[next]);
    return 'ok';
  };
  const sleep = async (ms: number) => void slept.push(ms);
  return { run: () => readWithRetry(read, sleep), slept, calls: () => calls };
}

describe('readWithRetry', () => {
  it.each([
    ['two 5xx', [500, 503], [100, 200]],
    ['a network error', [undefined], [100]],
    ['a 429 (Retry-After: 1)', [429], [1_000]],
  ])('repeats a read after %s', async (_, statuses, delays) => {
    const read = scripted(statuses);
    await expect(read.run()).resolves.toBe('ok');
    expect(read.slept).toEqual(delays);
  });

  it.each([[404], [403], [409], [400]])('does not repeat a %i', async (status) => {
    const read = scripted([status]);
    await expect(read.run()).rejects.toThrow(`failed with ${status}`);
    expect(read.calls()).toBe(1);
  });

  it('gives up after three attempts, with the last failure', async () => {
    const read = scripted([500, 502, 503, 504]);
    await expect(read.run()).rejects.toThrow('failed with 503');
    expect(read.calls()).toBe(3);
  });
});
