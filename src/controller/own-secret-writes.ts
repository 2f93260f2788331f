import type { V1Secret } from '@kubernetes/client-node';
import { secretFingerprint } from './secret-informers.js';

/**
 * The users' Secrets a pass is writing, and what they will hold once written (their fingerprint), so
 * that the watch event of the operator's own write does not enqueue the delegation for a pass that
 * would find nothing to do (client-go's "expectations", for Secret content).
 *
 * The expectation is registered before the write, from what is sent: the watch event may arrive
 * before the write's response. It is consumed by the first event of that Secret: an event with other
 * content (someone else's edit) still enqueues. An expectation whose event never came (the write
 * failed, or the Secret was deleted before it was seen) is dropped after `ttlMs`.
 */
export class OwnSecretWrites {
  /** By `namespace/name`, oldest first. */
  private readonly expected = new Map<string, { fingerprint: string; at: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** The Secret `key` is about to hold `data` (base64 values, as in `Secret.data`). */
  expect(key: string, data: Record<string, string>): void {
    this.dropExpired();
    this.expected.delete(key);
    this.expected.set(key, { fingerprint: secretFingerprint({ data }), at: this.now() });
  }

  /** The write to `key` failed: its event, if any, is someone else's news. */
  forget(key: string): void {
    this.expected.delete(key);
  }

  /** Whether this event of `key` shows the operator's own write (and no more); consumes the expectation. */
  isOwnWrite(key: string, fingerprint: string): boolean {
    const expected = this.expected.get(key);
    if (!expected) return false;
    this.expected.delete(key);
    return expected.fingerprint === fingerprint;
  }

  get size(): number {
    return this.expected.size;
  }

  private dropExpired(): void {
    const oldest = this.now() - this.ttlMs;
    for (const [key, { at }] of this.expected) {
      if (at > oldest) return;
      this.expected.delete(key);
    }
  }
}

/** The data a Secret holds after a merge patch of `patch` (null removes a key). */
export function dataAfterMergePatch(
  existing: V1Secret,
  patch: Record<string, string | null>,
): Record<string, string> {
  const merged: Record<string, string | null> = { ...existing.data, ...patch };
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}
