import type { StoredCredentials } from '../context.js';
import { withMarker, type AuthorizedStep } from './actions.js';
import type { DesiredUser } from './desired.js';
import type { ObservedUser } from './observe.js';

/**
 * The steps that bring one spec user to its desired state: existence with the marker, and exactly the
 * credentials of its access mode.
 *
 * Programmatic: exactly one Active AccessKey, and it must be the one the caller stored. Every other key
 * is deleted in prepare, and a new one is created in provision only if none is left, so RAM's limit of
 * two keys per user is never hit and a key whose secret was lost (a crash before the Secret was
 * written) is never kept. An Inactive stored key is replaced too: somebody disabled it, so it no
 * longer works. No login profile.
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
): AuthorizedStep[] {
  if (!observed) {
    return [
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
  }
  const steps: AuthorizedStep[] = [];
  if (!observed.managed || observed.markerMissing) {
    steps.push({
      phase: 'prepare',
      op: { kind: 'markUser', userName: user.name, comments: withMarker(observed.comments, marker) },
    });
  }
  if (user.access === 'Programmatic') {
    steps.push(...programmaticCredentials(user, observed, stored));
  } else {
    steps.push(...consoleCredentials(user, observed, stored));
  }
  return steps;
}

/** Creates the user with the ownership marker in its Comments (it never exists unmarked). */
export function createUserStep(user: DesiredUser): AuthorizedStep {
  const { name: userName, displayName, comments } = user;
  return { phase: 'create', op: { kind: 'createUser', userName, displayName, comments } };
}

function programmaticCredentials(
  user: DesiredUser,
  observed: ObservedUser,
  stored: StoredCredentials,
): AuthorizedStep[] {
  const storedId = stored.accessKeyIds.get(user.name);
  const keep = observed.accessKeys.find((k) => k.accessKeyId === storedId && k.status === 'Active');
  const steps: AuthorizedStep[] = observed.accessKeys
    .filter((k) => k !== keep)
    .map((k) => ({
      phase: 'prepare',
      op: { kind: 'deleteAccessKey', userName: user.name, accessKeyId: k.accessKeyId },
    }));
  if (!keep) steps.push({ phase: 'provision', op: { kind: 'createAccessKey', userName: user.name } });
  if (observed.loginProfile)
    steps.push({ phase: 'prepare', op: { kind: 'deleteLoginProfile', userName: user.name } });
  return steps;
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
