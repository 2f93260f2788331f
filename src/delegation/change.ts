import type { Reason } from '../api/constants.js';

/** Which account a change happens in: A owns the role, B holds the users. */
export type Side = 'owner' | 'authorized';

/**
 * `Rotated`: a Programmatic user's AccessKey was replaced by a new one (see `accessKeyRotation`);
 * `Deactivated`: the replaced key was set Inactive at the end of its grace period.
 */
export type ChangeVerb =
  'Created' | 'Updated' | 'Deleted' | 'Attached' | 'Detached' | 'Tagged' | 'Rotated' | 'Deactivated';

/**
 * One write the engine made (or plans to make), described for Events, logs and tests. Never carries a
 * secret value.
 */
export interface Change {
  side: Side;
  verb: ChangeVerb;
  /** `role/<name>`, `policy/<name>`, `policy/<name>@<version>`, `user/<name>`, `accesskey/<user>/<id>`,
   *  `loginprofile/<user>`, `group/<name>`, `attachment/<policy>-><kind>/<name>`, `membership/<user>->group/<name>`. */
  entity: string;
  /** True when the entity existed and differed from the spec for a reason other than a spec change,
   *  i.e. someone changed it behind the operator's back. */
  drift: boolean;
  /**
   * A step the spec scheduled for this moment (expiry, a key rotation and its grace period): neither
   * drift nor a new spec being applied, whatever pass it falls on.
   */
  scheduled?: boolean;
  /** One human sentence, e.g. `attach custom policy orders-bus-publish to role orders-bus-publisher`. */
  description: string;
}

/**
 * Why a side cannot be brought to the spec without a human: the delegation goes Stalled with this reason
 * and nothing is written for that side.
 */
export interface Blocked {
  reason: Reason;
  message: string;
}
