import { Reason } from '../api/constants.js';
import type { StsPort } from '../alicloud/ports.js';
import { isCloudError } from '../alicloud/errors.js';

/** The shortest session STS issues; the credentials are discarded at once. */
export const VERIFY_SESSION_SECONDS = 900;
export const VERIFY_SESSION_NAME = 'ram-delegation-verify';

export interface Verification {
  verified: boolean;
  reason: Reason;
  /** Human text for the AccessVerified condition; never contains credentials. */
  message: string;
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
      reason: Reason.AssumeRoleSucceeded,
      message: `${identityLabel} assumed ${roleArn}`,
    };
  } catch (error) {
    if (isCloudError(error) && !error.retryable) {
      return {
        verified: false,
        reason: Reason.AssumeRoleFailed,
        message: `${identityLabel} could not assume ${roleArn}: ${error.code}: ${error.message}`,
      };
    }
    throw error;
  }
}
