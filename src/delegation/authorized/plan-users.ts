import type { StoredCredentials } from '../context.js';
import { Phase, withMarker, type Step } from './actions.js';
import type { DesiredUser } from './desired.js';
import type { ObservedUser } from './observe.js';

/**
 * The steps that bring one spec user to its desired state: existence with the marker, and exactly the
 * credentials of its access mode.
 *
 * Programmatic: exactly one Active AccessKey, and it must be the one the caller stored. Every other key
 * is deleted in Prepare, and a new one is created in Provision only if none is left, so RAM's limit of
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
): Step[] {
  if (!observed) {
    return [
      {
        phase: Phase.Create,
        op: { op: 'createUser', userName: user.name, displayName: user.displayName, comments: user.comments },
      },
      user.access === 'Programmatic'
        ? { phase: Phase.Provision, op: { op: 'createAccessKey', userName: user.name } }
        : {
            phase: Phase.Provision,
            op: {
              op: 'createLoginProfile',
              userName: user.name,
              principalName: user.principalName,
              mfaBindRequired: user.mfaRequired,
            },
          },
    ];
  }
  const steps: Step[] = [];
  if (!observed.managed) {
    steps.push({
      phase: Phase.Prepare,
      op: { op: 'markUser', userName: user.name, comments: withMarker(observed.comments, marker) },
    });
  }
  if (user.access === 'Programmatic') {
    steps.push(...programmaticCredentials(user, observed, stored));
  } else {
    steps.push(...consoleCredentials(user, observed, stored));
  }
  return steps;
}

function programmaticCredentials(
  user: DesiredUser,
  observed: ObservedUser,
  stored: StoredCredentials,
): Step[] {
  const storedId = stored.accessKeyIds.get(user.name);
  const keep = observed.accessKeys.find((k) => k.accessKeyId === storedId && k.status === 'Active');
  const steps: Step[] = observed.accessKeys
    .filter((k) => k !== keep)
    .map((k) => ({
      phase: Phase.Prepare,
      op: { op: 'deleteAccessKey', userName: user.name, accessKeyId: k.accessKeyId },
    }));
  if (!keep) steps.push({ phase: Phase.Provision, op: { op: 'createAccessKey', userName: user.name } });
  if (observed.loginProfile)
    steps.push({ phase: Phase.Prepare, op: { op: 'deleteLoginProfile', userName: user.name } });
  return steps;
}

function consoleCredentials(user: DesiredUser, observed: ObservedUser, stored: StoredCredentials): Step[] {
  const steps: Step[] = observed.accessKeys.map((k) => ({
    phase: Phase.Prepare,
    op: { op: 'deleteAccessKey', userName: user.name, accessKeyId: k.accessKeyId },
  }));
  const profile = observed.loginProfile;
  const login = { userName: user.name, principalName: user.principalName, mfaBindRequired: user.mfaRequired };
  if (!profile) {
    steps.push({ phase: Phase.Provision, op: { op: 'createLoginProfile', ...login } });
  } else if (!stored.passwordsStored.has(user.name)) {
    steps.push({ phase: Phase.Provision, op: { op: 'resetPassword', ...login } });
  } else if (profile.mfaBindRequired !== user.mfaRequired) {
    steps.push({
      phase: Phase.Provision,
      op: { op: 'updateLoginProfile', userName: user.name, mfaBindRequired: user.mfaRequired },
    });
  }
  return steps;
}
