import type { UserStatus } from '../api/status.js';
import type { AuthorizedUserStatus } from '../delegation/authorized/index.js';
import type { AccessKeyTimes } from '../observability/lifecycle-metrics.js';

/**
 * What a pass knows about the AccessKey in a Programmatic user's Secret: when RAM says it was created,
 * when it last signed a call (`GetAccessKeyLastUsed`), and whether it has gone unused too long. Pure;
 * the review step (sync/review-keys-step.ts) does the lookups.
 */
export interface KeyReview {
  user: string;
  accessKeyId: string;
  /** As RAM reported it; '' when it did not. */
  created: string;
  /** When it last signed a call; undefined when it never has, or it was not looked up yet. */
  lastUsed: string | undefined;
  /** Unused (since its last use, else its creation) for longer than the warning threshold. */
  unused: boolean;
}

const epochMs = (text: string | undefined) => (text === undefined ? NaN : Date.parse(text));

export function reviewKey(input: {
  user: string;
  accessKeyId: string;
  created: string;
  lastUsed: string | undefined;
  now: Date;
  unusedWarningMs: number;
}): KeyReview {
  const moments = [epochMs(input.created), epochMs(input.lastUsed)].filter((ms) => !Number.isNaN(ms));
  const unused = moments.length > 0 && input.now.getTime() - Math.max(...moments) > input.unusedWarningMs;
  return {
    user: input.user,
    accessKeyId: input.accessKeyId,
    created: input.created,
    lastUsed: input.lastUsed,
    unused,
  };
}

/** A user as the status reports it, with its key's review when it has one. */
export function userStatus(user: AuthorizedUserStatus, review: KeyReview | undefined): UserStatus {
  const { name, principalName, credentialsSecretName } = user;
  return {
    name,
    principalName,
    credentialsSecretName,
    ...(review?.created ? { accessKeyCreated: review.created } : {}),
    ...(review?.lastUsed ? { accessKeyLastUsed: review.lastUsed } : {}),
    ...(review?.unused ? { accessKeyUnused: true } : {}),
  };
}

/** The reviews as the lifecycle gauges take them (keys without a readable creation date are left out). */
export function keyTimes(reviews: readonly KeyReview[]): AccessKeyTimes[] {
  return reviews.flatMap((review) => {
    const created = epochMs(review.created);
    if (Number.isNaN(created)) return [];
    const used = epochMs(review.lastUsed);
    return [
      {
        user: review.user,
        createdAt: new Date(created),
        lastUsedAt: Number.isNaN(used) ? undefined : new Date(used),
      },
    ];
  });
}
