import type { StoredCredentials } from '../context.js';
import { planAccessKeys } from './access-keys.js';
import { withMarker, type AuthorizedStep } from './actions.js';
import type { DesiredUser } from './desired.js';
import type { ObservedUser } from './observe.js';

/**
 * The steps that bring one spec user to its desired state: existence with the marker, and exactly the
 * credentials of its access mode.
 *
 * Programmatic: one Active AccessKey, the one the caller stored, plus, during a rotation, the key it
 * replaced until that key's grace periods are over (see access-keys.ts). A key whose secret was lost (a
 * crash before the Secret was written) is deleted, and a new one is created in provision only once no
 * other key is left, so RAM's limit of two keys per user is never hit. An Inactive stored key is
 * replaced too: somebody disabled it, so it no longer works. No login profile.
 *
 * Console: a login profile, no AccessKeys. A profile whose password the caller never stored gets a new
 * password. MFABindRequired is enforced; PasswordResetRequired is only set when a password is issued,
 * because RAM clears it when the user changes the password, and setting it again would force a reset
 * after every resync.
 */
export function planUser(
  user: DesiredUser,
  observed: ObservedUser | undefined,
  stored: StoredCredentials,
  marker: string,
  clock: KeyClock,
): UserPlan {
  if (!observed) {
    const steps: AuthorizedStep[] = [
      createUserStep(user),
      user.access === 'Programmatic'
        ? { phase: 'provision', op: { kind: 'createAccessKey', userName: user.name } }
        : {
            phase: 'provision',
            op: {
              kind: 'createLoginProfile',
              userName: user.name,
              principalName: user.principalName,
              mfaBindRequired: user.mfaRequired,
            },
          },
    ];
    return { steps };
  }
  const steps: AuthorizedStep[] = [];
  if (!observed.managed || observed.markerMissing) {
    steps.push({
      phase: 'prepare',
      op: { kind: 'markUser', userName: user.name, comments: withMarker(observed.comments, marker) },
    });
  }
  if (user.access === 'Console') return { steps: [...steps, ...consoleCredentials(user, observed, stored)] };
  const storedId = stored.accessKeyIds.get(user.name);
  const keys = planAccessKeys({
    userName: user.name,
    keys: observed.accessKeys,
    storedId,
    replacedId: stored.replacedKeyIds?.get(user.name),
    rotation: user.accessKeyRotation,
    requested:
      storedId !== undefined &&
      clock.rotationRequest !== undefined &&
      stored.rotatedFor?.get(user.name) !== clock.rotationRequest,
    now: clock.now,
  });
  steps.push(...keys.steps);
  if (observed.loginProfile)
    steps.push({ phase: 'prepare', op: { kind: 'deleteLoginProfile', userName: user.name } });
  return keys.wakeAt ? { steps, wakeAt: keys.wakeAt } : { steps };
}

/** What the timed part of planning needs: the time of the pass and the delegation's rotation request. */
export interface KeyClock {
  now: Date;
  /** The `ram-delegation.dev/rotate-access-keys` annotation's value, if any. */
  rotationRequest?: string | undefined;
}

export interface UserPlan {
  steps: AuthorizedStep[];
  /** The next moment an AccessKey step falls due (see access-keys.ts). */
  wakeAt?: Date;
}

/** Creates the user with the ownership marker in its Comments (it never exists unmarked). */
export function createUserStep(user: DesiredUser): AuthorizedStep {
  const { name: userName, displayName, comments } = user;
  return { phase: 'create', op: { kind: 'createUser', userName, displayName, comments } };
}

function consoleCredentials(
  user: DesiredUser,
  observed: ObservedUser,
  stored: StoredCredentials,
): AuthorizedStep[] {
  const steps: AuthorizedStep[] = observed.accessKeys.map((k) => ({
    phase: 'prepare',
    op: { kind: 'deleteAccessKey', userName: user.name, accessKeyId: k.accessKeyId },
  }));
  const profile = observed.loginProfile;
  const login = { userName: user.name, principalName: user.principalName, mfaBindRequired: user.mfaRequired };
  if (!profile) {
    steps.push({ phase: 'provision', op: { kind: 'createLoginProfile', ...login } });
  } else if (!stored.passwordsStored.has(user.name)) {
    steps.push({ phase: 'provision', op: { kind: 'resetPassword', ...login } });
  } else if (profile.mfaBindRequired !== user.mfaRequired) {
    steps.push({
      phase: 'provision',
      op: { kind: 'updateLoginProfile', userName: user.name, mfaBindRequired: user.mfaRequired },
    });
  }
  return steps;
}
