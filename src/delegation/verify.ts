import { Reason } from '../api/constants.js';
import type { StsPort } from '../alicloud/ports.js';
import { isCloudError } from '../alicloud/errors.js';

/** The shortest session STS issues; the credentials are discarded at once. */
const VERIFY_SESSION_SECONDS = 900;
const VERIFY_SESSION_NAME = 'ram-delegation-verify';

export interface Verification {
  verified: boolean;
  reason: Reason;
  /** Human text for the AccessVerified condition; never contains credentials. */
  message: string;
  /** False when no AssumeRole was made because it could not prove anything (see {@link mfaVerification}). */
  attempted: boolean;
}

/**
 * `requireMFA: true`: the trust policy admits only sessions signed in with MFA, and verification signs
 * with a user's AccessKey, which never carries MFA. STS must refuse it, so no AssumeRole is made (a
 * retry could only fail again); AccessVerified says why access cannot be proven this way.
 */
export function mfaVerification(roleArn: string): Verification {
  return {
    verified: false,
    attempted: false,
    reason: Reason.RequiresMFA,
    message: `the trust policy of ${roleArn} requires MFA; an AssumeRole signed with an AccessKey carries none, so access cannot be proven this way and is not tried`,
  };
}

/**
 * Proves the delegation works end to end: an identity of the authorized account (a Programmatic user the
 * operator manages) assumes the role. The returned STS credentials are dropped unread. A failure is a
 * finding, not an exception: throttling and transient errors are rethrown so the caller retries.
 */
export async function verifyAccess(
  sts: StsPort,
  roleArn: string,
  identityLabel: string,
): Promise<Verification> {
  try {
    await sts.assumeRole({
      roleArn,
      roleSessionName: VERIFY_SESSION_NAME,
      durationSeconds: VERIFY_SESSION_SECONDS,
    });
    return {
      verified: true,
      attempted: true,
      reason: Reason.AssumeRoleSucceeded,
      message: `${identityLabel} assumed ${roleArn}`,
    };
  } catch (error) {
    if (isCloudError(error) && !error.retryable) {
      return {
        verified: false,
        attempted: true,
        reason: Reason.AssumeRoleFailed,
        message: `${identityLabel} could not assume ${roleArn}: ${error.code}: ${error.message}`,
      };
    }
    throw error;
  }
}
