import { literalKeys } from './literal-keys.js';
import { ADOPT_ANNOTATION, OWNERSHIP_TAG_KEY, ROTATE_ACCESS_KEYS_ANNOTATION } from './names.js';

/**
 * Every reason the operator writes into a condition or an Event, declared once with what it means and
 * what to do about it. `Reason` and `EventReason` are derived from these tables, and
 * `docs/reference/reasons.md` is generated from them (`npm run docs`; a test fails while it differs).
 * A reason is part of the API: tools and alerts match on it, so renaming one is a breaking change.
 */

/** What a condition reason means for the delegation as a whole. */
export type ReasonEffect = 'Ready' | 'Revoked' | 'Retrying' | 'Stalled' | 'Detail';

export const reasonEffectDocs: Readonly<Record<ReasonEffect, string>> = {
  Ready: 'Ready=True: nothing to do.',
  Revoked:
    'Ready=False, neither Reconciling nor Stalled: access was ended on purpose and stays ended until the spec changes.',
  Retrying: 'Reconciling=True: the operator tries again by itself, with backoff or a short poll.',
  Stalled:
    'Stalled=True: a retry cannot help. The operator waits for a change to the delegation or to a Secret it references, and looks again at every resync.',
  Detail: "Only on OwnerSynced, AuthorizedSynced or AccessVerified; Ready's reason says what matters.",
};

export interface ConditionReasonDoc {
  effect: ReasonEffect;
  /** The conditions that carry it, with their status, e.g. `Ready=False`. */
  conditions: readonly string[];
  meaning: string;
  whatToDo: string;
}

export interface EventReasonDoc {
  /** `Normal`, `Warning`, or both when the outcome decides. */
  types: readonly ('Normal' | 'Warning')[];
  /** The Event's `action`: what the operator was doing. */
  action: 'Reconcile' | 'Revoke' | 'Reconcile, Revoke';
  meaning: string;
  whatToDo: string;
}

const stalled = ['Ready=False', 'Stalled=True'] as const;
const retrying = ['Ready=False', 'Reconciling=True'] as const;

/** Condition reasons (CamelCase, as metav1.Condition requires), in the order the reference lists them. */
export const conditionReasonDocs = {
  Reconciled: {
    effect: 'Ready',
    conditions: ['Ready=True', 'OwnerSynced=True', 'AuthorizedSynced=True'],
    meaning: 'Both accounts match the spec, and access was verified when the spec has a Programmatic user.',
    whatToDo: 'Nothing.',
  },
  Suspended: {
    effect: 'Ready',
    conditions: ['Ready=True', 'OwnerSynced=True', 'AccessVerified=False'],
    meaning:
      '`spec.suspend` is true: the role exists with no policy attached, so STS tokens issued for it stop working once that change has propagated (seconds). Users, group and grant stay.',
    whatToDo: 'Set `spec.suspend` to false to restore access.',
  },
  Expired: {
    effect: 'Revoked',
    conditions: ['Ready=False', 'OwnerSynced=True', 'AccessVerified=False'],
    meaning:
      '`spec.expiresAt` has passed: at that second the role lost its policies, as with `suspend`, so STS tokens issued for it stop working once that change has propagated (seconds). Users, group and grant stay.',
    whatToDo:
      'Move `spec.expiresAt` later, or remove it, to grant access again; delete the delegation to remove everything.',
  },
  Progressing: {
    effect: 'Detail',
    conditions: ['AuthorizedSynced=Unknown', 'OwnerSynced=Unknown'],
    meaning:
      "One account waits for the other: account B is left alone until account A matches the spec; with `role.trust.principals: Users`, A's trust policy waits until B's users exist.",
    whatToDo: "Read Ready's reason: it says what holds the other account up.",
  },
  InvalidSpec: {
    effect: 'Stalled',
    conditions: stalled,
    meaning:
      'The spec breaks a rule the CRD cannot express (policy document size, duplicate names), or RAM refused a value (`MalformedPolicyDocument`), or the Kubernetes API refused a request the spec leads to (a 4xx other than 401, 403, 409, 410 and 429). The message names the field or the answer. A spec that fails validation causes no cloud call.',
    whatToDo: 'Fix the field; the new generation is reconciled at once.',
  },
  CredentialsNotFound: {
    effect: 'Stalled',
    conditions: stalled,
    meaning:
      'A referenced credentials Secret, or its `accessKeyId` or `accessKeySecret` key, is missing, or the Secret is being deleted.',
    whatToDo:
      "Create the Secret in the delegation's namespace with `accessKeyId` and `accessKeySecret` (optionally `securityToken`). A fix to a Secret that exists is seen at once. A Secret that did not exist yet is looked for again 5 s after the delegation stalled, then at doubling gaps, at least once a resync period; labelled `ram-delegation.dev/credentials` when created, it is seen at once.",
  },
  CredentialsNotAllowed: {
    effect: 'Stalled',
    conditions: stalled,
    meaning:
      "The account has no `credentials`, and the operator's own credential chain is not allowed in this namespace.",
    whatToDo:
      'Reference a Secret, or start the operator with the namespace in `--credential-chain-namespaces`.',
  },
  CredentialsAccountMismatch: {
    effect: 'Stalled',
    conditions: stalled,
    meaning:
      '`GetCallerIdentity` answered another account than the declared `accountId`. Nothing was changed in either account; a deletion waits with the finalizer in place.',
    whatToDo:
      "Put that account's keys in the Secret (or fix `assumeRoleArn`); the delegation recovers when the Secret changes.",
  },
  EntityNotManaged: {
    effect: 'Stalled',
    conditions: stalled,
    meaning: `A role, policy, user, group or Secret with a name the spec asks for exists without this delegation's ownership marker (\`${OWNERSHIP_TAG_KEY}\`). It is never modified or deleted.`,
    whatToDo: `Rename it in the spec, remove the entity, or annotate the delegation \`${ADOPT_ANNOTATION}: "true"\` to take it over.`,
  },
  PolicyTooBroad: {
    effect: 'Stalled',
    conditions: stalled,
    meaning: 'A policy grants `*` on `*`, or is `AdministratorAccess`. Nothing was read or written.',
    whatToDo: 'Narrow the policy, or start the operator with `--allow-broad-policies`.',
  },
  PermissionDenied: {
    effect: 'Stalled',
    conditions: stalled,
    meaning:
      "RAM or STS refused a call of the operator's identity (`NoPermission`, 403), or the Kubernetes API refused one of its ServiceAccount (401, 403).",
    whatToDo:
      "Give the operator's identity in that account the policy from `deploy/alicloud/`; in Kubernetes, install the RBAC from `deploy/` (the message names the verb and resource).",
  },
  LimitExceeded: {
    effect: 'Stalled',
    conditions: stalled,
    meaning: 'A RAM quota is exhausted: roles, policies, policy versions, AccessKeys or attachments.',
    whatToDo: 'Free quota, or ask Alibaba Cloud to raise it; the next resync tries again.',
  },
  Throttled: {
    effect: 'Retrying',
    conditions: retrying,
    meaning:
      'Alibaba Cloud throttled the operator beyond its in-place retries; the pass is retried with backoff, honouring `x-acs-retry-after`.',
    whatToDo: "Nothing. If it persists, set `--account-qps` a little below the account's quota.",
  },
  TransientError: {
    effect: 'Retrying',
    conditions: retrying,
    meaning:
      'A 5xx answer, a network error, or a race with another writer (in RAM or the Kubernetes API); the pass is retried with exponential backoff (1 s to 5 min, jittered).',
    whatToDo: 'Nothing, unless it persists: then check connectivity to the RAM and STS endpoints.',
  },
  AssumeRoleSucceeded: {
    effect: 'Detail',
    conditions: ['AccessVerified=True'],
    meaning: 'A Programmatic user of B obtained STS credentials for the role (900 s, discarded at once).',
    whatToDo: 'Nothing.',
  },
  AssumeRoleFailed: {
    effect: 'Retrying',
    conditions: ['AccessVerified=False', ...retrying],
    meaning:
      "B's user could not obtain STS credentials for the role. Normal for a few seconds after a change while RAM propagates it; the operator checks again after 5 s, then at doubling intervals up to the resync period.",
    whatToDo:
      'If it persists, read the message: the trust policy (`role.trust`), the grant in B, or a deny elsewhere in either account.',
  },
  RequiresMFA: {
    effect: 'Detail',
    conditions: ['AccessVerified=Unknown'],
    meaning:
      "The role's trust policy requires MFA (`role.trust.requireMFA: true`). The operator would verify with a B user's AccessKey, which never carries MFA, so STS would refuse it: access cannot be proven that way, and the operator does not try. Ready does not wait for it.",
    whatToDo: 'Nothing. To check by hand, let a B user signed in with MFA switch to the role in the console.',
  },
  NotVerified: {
    effect: 'Detail',
    conditions: ['AccessVerified=Unknown'],
    meaning: 'Verification did not run: the spec has no Programmatic user, or a side is not synced.',
    whatToDo: 'Nothing; add a Programmatic user to have access checked.',
  },
} as const satisfies Record<string, ConditionReasonDoc>;

/** Event reasons (events.k8s.io/v1, shown by `kubectl describe cad` and `kubectl events`). */
export const eventReasonDocs = {
  Created: {
    types: ['Normal'],
    action: 'Reconcile',
    meaning: 'A pass created the role and whatever else the spec asks for; the note lists the changes.',
    whatToDo: 'Nothing.',
  },
  Updated: {
    types: ['Normal'],
    action: 'Reconcile',
    meaning: 'A pass applied a change of the spec to an existing delegation; the note lists the changes.',
    whatToDo: 'Nothing.',
  },
  DriftCorrected: {
    types: ['Warning'],
    action: 'Reconcile',
    meaning:
      'A pass put back changes made out of band in either account (a detached policy, an extra attachment, an edited trust policy, a removed user...). Counted by `ram_delegation_drift_corrections_total`.',
    whatToDo:
      'Find who changes these entities (ActionTrail) and stop it: the operator manages them exclusively.',
  },
  Revoked: {
    types: ['Normal', 'Warning'],
    action: 'Revoke',
    meaning:
      'The delegation was deleted and access revoked: the note says when (after the start of revocation) the role was left without policies before it was deleted, and how many entities were deleted. Alibaba Cloud stops honouring STS tokens issued for the role once that change has propagated (seconds), not at that instant. Warning: account B could not be cleaned (its credentials failed), and the note says why.',
    whatToDo: `Normal: nothing. Warning: remove B's leftovers by hand: users and group carry \`${OWNERSHIP_TAG_KEY}=<cluster>/<namespace>/<name>\` in their Comments, the grant policy carries it as a tag.`,
  },
  ExpiresSoon: {
    types: ['Warning'],
    action: 'Reconcile',
    meaning:
      'Access ends at `spec.expiresAt`, within `--expiry-warning` (default 168h). Emitted once, when `status.expiresSoon` becomes true.',
    whatToDo: 'Move `spec.expiresAt` later if access must go on; otherwise nothing.',
  },
  Expired: {
    types: ['Warning'],
    action: 'Reconcile',
    meaning:
      '`spec.expiresAt` has passed and the role lost its policies (Ready=False, reason `Expired`). Emitted on the pass that revoked access.',
    whatToDo: 'Move `spec.expiresAt` later, or remove it, to grant access again.',
  },
  AccessKeyRotated: {
    types: ['Normal'],
    action: 'Reconcile',
    meaning: `A Programmatic user's AccessKey was replaced (\`accessKeyRotation.after\` passed, or a new value of \`${ROTATE_ACCESS_KEYS_ANNOTATION}\`): the Secret holds the new key; the previous one is deactivated one grace period later and deleted one more grace period after that.`,
    whatToDo: 'Nothing, if the applications read the Secret again within the grace period.',
  },
  AccessKeyUnused: {
    types: ['Warning'],
    action: 'Reconcile',
    meaning:
      "A Programmatic user's AccessKey has not signed a call (since its last use, or its creation) for longer than `--unused-key-warning` (default 2160h). Emitted once, when `status.users[].accessKeyUnused` becomes true.",
    whatToDo: 'Remove the user from the spec if nobody needs it; an unused key is only a liability.',
  },
  ReconcileError: {
    types: ['Warning'],
    action: 'Reconcile, Revoke',
    meaning:
      'A pass failed or is blocked. The note starts with the condition reason, e.g. `Throttled: ...` or `EntityNotManaged: ...`.',
    whatToDo: 'Look that reason up in [reasons](reasons.md).',
  },
} as const satisfies Record<string, EventReasonDoc>;

/** Condition reasons; see {@link conditionReasonDocs} for what each means. */
export const Reason = literalKeys(conditionReasonDocs);
export type Reason = (typeof Reason)[keyof typeof Reason];

/** Event reasons; see {@link eventReasonDocs} for what each means. */
export const EventReason = literalKeys(eventReasonDocs);
export type EventReason = (typeof EventReason)[keyof typeof EventReason];
