/**
 * What the operator's lifecycle features need from its configuration, and the memory they keep
 * between passes: when each user's AccessKey was last looked up with `GetAccessKeyLastUsed`.
 */

export const DEFAULT_EXPIRY_WARNING_MS = 168 * 3_600_000;
export const DEFAULT_UNUSED_KEY_WARNING_MS = 2160 * 3_600_000;

export interface LifecycleSettings {
  /** `--expiry-warning`: how long before `spec.expiresAt` the ExpiresSoon Warning comes. */
  expiryWarningMs: number;
  /** `--unused-key-warning`: how long a key may go unused before the AccessKeyUnused Warning. */
  unusedKeyWarningMs: number;
  /**
   * The shortest time between two `GetAccessKeyLastUsed` of one key: a little under a resync period
   * (a delegation resyncs at its phase, once a period), so a resync reads it and the passes in between
   * (retries, timed passes, watch events) do not.
   */
  lastUsedIntervalMs: number;
}

/** The settings from the operator's configuration (flags `--expiry-warning`, `--unused-key-warning`). */
export function lifecycleSettings(config: {
  expiryWarningMs: number;
  unusedKeyWarningMs: number;
  resyncPeriodMs: number;
}): LifecycleSettings {
  return {
    expiryWarningMs: config.expiryWarningMs,
    unusedKeyWarningMs: config.unusedKeyWarningMs,
    lastUsedIntervalMs: Math.floor(config.resyncPeriodMs * 0.9),
  };
}

interface LastUsedRead {
  readAt: number;
  accessKeyId: string;
  /** What RAM answered; undefined: the key never signed a call. */
  lastUsed: string | undefined;
}

/**
 * When each user's key was last looked up, and the answer, in memory: at most one lookup per key per
 * {@link LifecycleSettings.lastUsedIntervalMs}. After a restart the first pass of each delegation
 * looks again (one lookup per key, as a resync would).
 */
export class LastUsedReads {
  /** Delegation key (`namespace/name`) → user → the last lookup. */
  private readonly reads = new Map<string, Map<string, LastUsedRead>>();

  /** Whether `user` of delegation `key` is due for a lookup at `now`. */
  due(key: string, user: string, now: Date, intervalMs: number): boolean {
    const read = this.reads.get(key)?.get(user);
    return read === undefined || now.getTime() - read.readAt >= intervalMs;
  }

  remember(key: string, user: string, accessKeyId: string, lastUsed: string | undefined, now: Date): void {
    const users = this.reads.get(key) ?? new Map<string, LastUsedRead>();
    users.set(user, { readAt: now.getTime(), accessKeyId, lastUsed });
    this.reads.set(key, users);
  }

  /** The last answer for this very key; `known: false` when it was not looked up since it was issued. */
  lastUsed(key: string, user: string, accessKeyId: string): { known: boolean; lastUsed?: string } {
    const read = this.reads.get(key)?.get(user);
    if (read?.accessKeyId !== accessKeyId) return { known: false };
    return read.lastUsed === undefined ? { known: true } : { known: true, lastUsed: read.lastUsed };
  }

  /** Forgets the delegation's users other than `keep` (the whole delegation when `keep` is empty). */
  retain(key: string, keep: readonly string[]): void {
    const users = this.reads.get(key);
    if (!users) return;
    for (const user of users.keys()) if (!keep.includes(user)) users.delete(user);
    if (users.size === 0) this.reads.delete(key);
  }
}
