import { isCloudError } from '../../alicloud/errors.js';
import { reviewKey, type KeyReview } from '../key-review.js';
import { fromStep, type SyncPass, type SyncStep } from './sync-pass.js';

/**
 * The last-used review of the Programmatic users' AccessKeys, once account B is synced: when each key
 * in a Secret was created, when it last signed a call (`GetAccessKeyLastUsed`, looked up at most once
 * per resync period per key, never on the retries and timed passes in between), and whether it has gone
 * unused for longer than `--unused-key-warning`. The lookup only informs: a failed one is logged and
 * the last answer kept, it never fails the pass.
 */
export const reviewKeysStep: SyncStep = {
  name: 'review AccessKeys',
  async run(pass) {
    if (pass.blocked || !pass.users) return 'continue';
    const { lastUsed } = pass.deps.lifecycle;
    const keyed = pass.users.flatMap((user) =>
      user.accessKey ? [{ user: user.name, ...user.accessKey }] : [],
    );
    lastUsed.retain(
      pass.key,
      keyed.map((k) => k.user),
    );
    pass.keyReviews = await Promise.all(keyed.map((key) => review(pass, key)));
    return 'continue';
  },
};

async function review(
  pass: SyncPass,
  key: { user: string; accessKeyId: string; createDate: string },
): Promise<KeyReview> {
  const { settings, lastUsed } = pass.deps.lifecycle;
  if (lastUsed.due(pass.key, key.user, pass.now, settings.lastUsedIntervalMs)) {
    const ram = fromStep(pass.input, 'credentials').authorized.ram;
    try {
      const answer = await ram.getAccessKeyLastUsed(key.user, key.accessKeyId);
      lastUsed.remember(pass.key, key.user, key.accessKeyId, answer, pass.now);
    } catch (error) {
      pass.log.warn(
        { err: error, user: key.user, code: isCloudError(error) ? error.code : undefined },
        'could not look up when an AccessKey was last used; keeping the last answer',
      );
    }
  }
  const looked = lastUsed.lastUsed(pass.key, key.user, key.accessKeyId);
  // Not looked up since this process started (or it failed): the status still shows it for this key.
  const shown = pass.object.status?.users?.find((u) => u.name === key.user);
  const sameKey = shown?.accessKeyCreated !== undefined && shown.accessKeyCreated === key.createDate;
  return reviewKey({
    user: key.user,
    accessKeyId: key.accessKeyId,
    created: key.createDate,
    lastUsed: looked.known ? looked.lastUsed : sameKey ? shown.accessKeyLastUsed : undefined,
    now: pass.now,
    unusedWarningMs: settings.unusedKeyWarningMs,
  });
}
