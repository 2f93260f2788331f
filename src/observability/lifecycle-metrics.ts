import { Gauge, type Registry } from 'prom-client';

/**
 * The lifecycle gauges: seconds to a delegation's expiry, and the age and idle time of each Programmatic
 * user's AccessKey. Unlike the operator's other metrics they are labelled by delegation (`namespace`,
 * `name`) and `user`: an alert must say which delegation expires and which key nobody uses. Their
 * cardinality is the number of delegations and users, and a delegation's series go when it does.
 *
 * Passes record the instants (expiry, key creation, last use); the seconds are computed at each scrape
 * from the injected clock, so the values never go stale between passes.
 */

export interface AccessKeyTimes {
  user: string;
  /** When the key in the user's Secret was created. */
  createdAt: Date;
  /** When it last signed a call; undefined: never (its idle time then counts from its creation). */
  lastUsedAt: Date | undefined;
}

export interface LifecycleMetrics {
  /** Records when a delegation expires (undefined: it does not, and its series goes). */
  setExpiry(namespace: string, name: string, expiresAt: Date | undefined): void;
  /** Records the keys of a delegation's Programmatic users; users not listed lose their series. */
  setAccessKeys(namespace: string, name: string, keys: readonly AccessKeyTimes[]): void;
  /** Drops every series of a delegation (it was deleted). */
  forget(namespace: string, name: string): void;
}

const delegationKey = (namespace: string, name: string) => JSON.stringify([namespace, name]);

export function createLifecycleMetrics(
  prefix: string,
  registers: Registry[],
  clock: () => Date,
): LifecycleMetrics {
  const expiries = new Map<string, { namespace: string; name: string; at: Date }>();
  const keys = new Map<string, { namespace: string; name: string; keys: readonly AccessKeyTimes[] }>();
  const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

  new Gauge({
    name: `${prefix}seconds_to_expiry`,
    help: 'Seconds until a delegation expires (spec.expiresAt); negative once it has. Only delegations that expire.',
    labelNames: ['namespace', 'name'] as const,
    registers,
    collect() {
      this.reset();
      const now = clock();
      for (const { namespace, name, at } of expiries.values())
        this.set({ namespace, name }, seconds(now, at));
    },
  });
  const perKey = (metric: string, help: string, since: (key: AccessKeyTimes) => Date) =>
    new Gauge({
      name: `${prefix}${metric}`,
      help,
      labelNames: ['namespace', 'name', 'user'] as const,
      registers,
      collect() {
        this.reset();
        const now = clock();
        for (const entry of keys.values()) {
          for (const key of entry.keys) {
            const labels = { namespace: entry.namespace, name: entry.name, user: key.user };
            this.set(labels, seconds(since(key), now));
          }
        }
      },
    });
  perKey(
    'access_key_age_seconds',
    "Age of the AccessKey in a Programmatic user's Secret.",
    (key) => key.createdAt,
  );
  perKey(
    'access_key_idle_seconds',
    "Seconds since a Programmatic user's AccessKey last signed a call (since its creation when it never has).",
    (key) => key.lastUsedAt ?? key.createdAt,
  );

  return {
    setExpiry(namespace, name, expiresAt) {
      const key = delegationKey(namespace, name);
      if (expiresAt) expiries.set(key, { namespace, name, at: expiresAt });
      else expiries.delete(key);
    },
    setAccessKeys(namespace, name, list) {
      const key = delegationKey(namespace, name);
      if (list.length > 0) keys.set(key, { namespace, name, keys: [...list] });
      else keys.delete(key);
    },
    forget(namespace, name) {
      expiries.delete(delegationKey(namespace, name));
      keys.delete(delegationKey(namespace, name));
    },
  };
}
