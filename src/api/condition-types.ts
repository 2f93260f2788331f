import { literalKeys } from './literal-keys.js';

/**
 * The condition types a CrossAccountDelegation's status carries (metav1.Condition, kstatus-compatible),
 * declared once with what they mean. `ConditionType` is derived from this table and the API reference
 * in `docs/reference/` is generated from it.
 */

export interface ConditionTypeDoc {
  /** `always`: present once reconciled. `abnormal-true`: present only while True (kstatus polarity). */
  presence: 'always' | 'abnormal-true';
  trueMeans: string;
  otherwise: string;
}

export const conditionTypeDocs = {
  Ready: {
    presence: 'always',
    trueMeans:
      'Both accounts match the spec and, when the spec has a Programmatic user, access was verified (reason `Reconciled`), or the delegation is suspended on purpose (reason `Suspended`).',
    otherwise: 'Its reason says why; see the reasons below.',
  },
  OwnerSynced: {
    presence: 'always',
    trueMeans:
      'Account A holds the role with the trust policy and maximum session duration of the spec, and exactly the spec’s policies are attached (none while suspended or expired).',
    otherwise: 'Its reason names what is wrong in account A.',
  },
  AuthorizedSynced: {
    presence: 'always',
    trueMeans:
      'Account B holds the users with their access modes, the group and the AssumeRole grant of the spec.',
    otherwise: 'Its reason names what is wrong in account B (`Progressing`: B waits for A).',
  },
  AccessVerified: {
    presence: 'always',
    trueMeans: 'A Programmatic user of B obtained STS credentials for the role (900 s, discarded at once).',
    otherwise:
      '`Unknown` with `NotVerified`: the check did not run. `False` with `AssumeRoleFailed`: the check failed; `Suspended` or `Expired`: access is off on purpose.',
  },
  Reconciling: {
    presence: 'abnormal-true',
    trueMeans: 'The operator will try again by itself: a retry with backoff, or access not yet effective.',
    otherwise: 'Absent: nothing is pending.',
  },
  Stalled: {
    presence: 'abnormal-true',
    trueMeans: 'The operator cannot go on without a change from you; its reason names the problem.',
    otherwise: 'Absent: nothing blocks the delegation.',
  },
} as const satisfies Record<string, ConditionTypeDoc>;

/** Condition types; see {@link conditionTypeDocs} for what each means. */
export const ConditionType = literalKeys(conditionTypeDocs);
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];
