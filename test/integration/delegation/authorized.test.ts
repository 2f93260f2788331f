/**
 * The authorized side (account B) against the local emulator, through the real RamPort and the official
 * SDKs: reconcile from scratch, a second pass with zero writes, drift repaired, revocation, and entities
 * without our marker left alone.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAccountPorts,
  staticCredentials,
  UNLIMITED,
  type AccountPorts,
} from '../../../src/alicloud/index.js';
import type { CallKind, RamPort } from '../../../src/alicloud/ports.js';
import type { EngineOptions, IssuedCredential, StoredCredentials } from '../../../src/delegation/context.js';
import { ownsByComments } from '../../../src/delegation/ownership.js';
import {
  AuthorizedApplyError,
  desiredAuthorized,
  reconcileAuthorized,
  revokeAuthorized,
  scopedPolicyName,
} from '../../../src/delegation/authorized/index.js';
import { startEmulator, type RunningEmulator } from '@ram-delegation/alicloud-emulator';
import { createAccount } from '@ram-delegation/alicloud-emulator';
import {
  AUTHORIZED_ACCOUNT as B,
  OWNER_ACCOUNT as A,
  ROLE_ARN,
  TEST_IDENTITY as identity,
  TEST_OWNERSHIP as ownership,
  aDelegation,
  withGrant,
  withGroup,
  withProgrammaticUser,
  withUsers,
} from '../../support/gen.js';

const SCOPED = { policyName: scopedPolicyName(A, 'orders-bus-publisher'), policyType: 'Custom' as const };
const SYSTEM = { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' as const };

const options: EngineOptions = {
  allowBroadPolicies: false,
  concurrency: 4,
  generatePassword: () => `Pw${randomBytes(9).toString('hex')}7Q`,
  clock: () => new Date(),
};

/** What the caller would hold after storing every credential issued so far. */
function storeAll(stored: StoredCredentials, issued: IssuedCredential[]): StoredCredentials {
  const accessKeyIds = new Map(stored.accessKeyIds);
  const passwordsStored = new Set(stored.passwordsStored);
  for (const credential of issued) {
    if (credential.kind === 'AccessKey') accessKeyIds.set(credential.userName, credential.accessKeyId);
    else passwordsStored.add(credential.userName);
  }
  return { accessKeyIds, passwordsStored };
}

const nothingStored: StoredCredentials = { accessKeyIds: new Map(), passwordsStored: new Set() };

let emulator: RunningEmulator;
let ports: AccountPorts;
let ram: RamPort;
let calls: { action: string; kind: CallKind }[];
/** Crash injection: the next call of this action takes effect, then "the process dies" before its result is used. */
let crashAfter: string | undefined;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  const root = await createAccount(emulator.url, B);
  calls = [];
  crashAfter = undefined;
  ports = createAccountPorts({
    accountId: B,
    credentials: staticCredentials(root),
    endpoints: { ram: `127.0.0.1:${emulator.port}`, sts: `127.0.0.1:${emulator.port}`, protocol: 'http' },
    limiter: UNLIMITED,
    observer: {
      afterCall: ({ action, kind }) => {
        calls.push({ action, kind });
        if (action === crashAfter) {
          crashAfter = undefined;
          throw new Error(`injected crash after ${action}`);
        }
      },
    },
  });
  ram = ports.ram;
});

afterEach(async () => {
  await emulator.stop();
});

function reconcile(
  spec: ReturnType<typeof aDelegation>,
  stored: StoredCredentials,
  extra: { adopt?: boolean; drift?: boolean } = {},
) {
  calls = [];
  return reconcileAuthorized(
    {
      identity,
      ownership,
      spec,
      adopt: extra.adopt ?? false,
      owner: ports,
      authorized: ports,
      correctionsAreDrift: extra.drift ?? false,
      stored,
    },
    ROLE_ARN,
    options,
  );
}

const writes = () => calls.filter((c) => c.kind === 'write').map((c) => c.action);
const sorted = (values: string[]) => [...values].sort();

describe('reconcileAuthorized against the emulator', () => {
  it('from scratch: users, credentials, group and scoped grant; the second pass writes nothing', async () => {
    const spec = aDelegation(withGroup('publishers'));
    const first = await reconcile(spec, nothingStored);
    expect(first.synced).toBe(true);
    expect(first.blocked).toBeUndefined();
    expect(first.users).toEqual([
      {
        name: 'orders-publisher',
        principalName: `orders-publisher@${B}.onaliyun.com`,
        credentialsSecretName: 'orders-publisher-ak',
      },
      { name: 'alice', principalName: `alice@${B}.onaliyun.com`, credentialsSecretName: 'alice-login' },
    ]);
    expect(first.issued.map((c) => `${c.userName}:${c.kind}`).sort()).toEqual([
      'alice:Password',
      'orders-publisher:AccessKey',
    ]);

    const users = await ram.listUsers();
    expect(sorted(users.map((u) => u.userName))).toEqual(['alice', 'orders-publisher']);
    for (const user of users) expect(ownsByComments(user.comments, ownership)).toBe(true);
    const keys = await ram.listAccessKeys('orders-publisher');
    const issuedKey = first.issued.find((c) => c.kind === 'AccessKey');
    expect(keys.map((k) => k.accessKeyId)).toEqual([
      issuedKey?.kind === 'AccessKey' ? issuedKey.accessKeyId : '',
    ]);
    expect(await ram.getLoginProfile('orders-publisher')).toBeUndefined();
    expect(await ram.listAccessKeys('alice')).toEqual([]);
    expect(await ram.getLoginProfile('alice')).toMatchObject({
      passwordResetRequired: true,
      mfaBindRequired: true,
    });
    expect(sorted(await ram.listUsersForGroup('publishers'))).toEqual(['alice', 'orders-publisher']);
    expect(await ram.listPoliciesForGroup('publishers')).toEqual([expect.objectContaining(SCOPED)]);
    expect(await ram.listPoliciesForUser('alice')).toEqual([]);
    expect(await ram.listTags('policy', SCOPED.policyName)).toEqual({
      [ownership.tagKey]: ownership.tagValue,
    });
    const policy = await ram.getPolicy(SCOPED);
    expect(JSON.parse(policy?.document ?? '{}')).toEqual({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `acs:ram:*:${A}:role/orders-bus-publisher` },
      ],
    });

    // The issued AccessKey really signs requests as that user.
    if (issuedKey?.kind !== 'AccessKey') throw new Error('no AccessKey issued');
    const asUser = createAccountPorts({
      accountId: B,
      credentials: staticCredentials(issuedKey),
      endpoints: { ram: `127.0.0.1:${emulator.port}`, sts: `127.0.0.1:${emulator.port}`, protocol: 'http' },
      limiter: UNLIMITED,
    });
    expect((await asUser.sts.getCallerIdentity()).arn).toContain('orders-publisher');

    const second = await reconcile(spec, storeAll(nothingStored, first.issued));
    expect(second).toMatchObject({ synced: true, changes: [], issued: [] });
    expect(writes()).toEqual([]);
    // A converged pass reads each thing once: two listings, the grant, and three reads per user.
    expect(sorted(calls.map((c) => c.action))).toEqual(
      sorted([
        'ListUsers',
        'ListGroups',
        'GetPolicy',
        'ListTagResources',
        'ListEntitiesForPolicy',
        'ListUsersForGroup',
        'ListPoliciesForGroup',
        ...['orders-publisher', 'alice'].flatMap(() => [
          'ListAccessKeys',
          'GetLoginProfile',
          'ListPoliciesForUser',
        ]),
      ]),
    );
  });

  it('users and the group removed from the spec are deleted with everything hanging on them', async () => {
    const first = await reconcile(aDelegation(withGroup('publishers')), nothingStored);
    const stored = storeAll(nothingStored, first.issued);
    const smaller = aDelegation(withUsers(), withProgrammaticUser('orders-publisher'));
    const result = await reconcile(smaller, stored);
    expect(result.synced).toBe(true);
    expect(result.changes.map((c) => `${c.verb} ${c.entity}`)).toEqual(
      expect.arrayContaining([
        'Deleted loginprofile/alice',
        'Deleted user/alice',
        'Deleted group/publishers',
      ]),
    );
    expect((await ram.listUsers()).map((u) => u.userName)).toEqual(['orders-publisher']);
    expect(await ram.listGroups()).toEqual([]);
    expect(await ram.listPoliciesForUser('orders-publisher')).toEqual([expect.objectContaining(SCOPED)]);
    await reconcile(smaller, stored);
    expect(writes()).toEqual([]);
  });

  it('drift is repaired: grant detached from a user, an extra AccessKey, a user deleted out of band', async () => {
    const spec = aDelegation(withProgrammaticUser('bob'));
    const first = await reconcile(spec, nothingStored);
    let stored = storeAll(nothingStored, first.issued);

    await ram.detachPolicyFromUser(SCOPED, 'alice');
    const rogue = await ram.createAccessKey('orders-publisher');
    for (const k of await ram.listAccessKeys('bob')) await ram.deleteAccessKey('bob', k.accessKeyId);
    await ram.detachPolicyFromUser(SCOPED, 'bob');
    await ram.deleteUser('bob');

    const repair = await reconcile(spec, stored, { drift: true });
    expect(repair.synced).toBe(true);
    expect(sorted(repair.changes.map((c) => `${c.verb} ${c.entity}`))).toEqual(
      sorted([
        `Attached attachment/${SCOPED.policyName}->user/alice`,
        `Deleted accesskey/orders-publisher/${rogue.accessKeyId}`,
        'Created user/bob',
        'Created accesskey/bob',
        `Attached attachment/${SCOPED.policyName}->user/bob`,
      ]),
    );
    expect(repair.changes.every((c) => c.drift && c.side === 'authorized')).toBe(true);
    expect(repair.issued.map((c) => `${c.userName}:${c.kind}`)).toEqual(['bob:AccessKey']);
    expect((await ram.listAccessKeys('orders-publisher')).map((k) => k.accessKeyId)).toEqual([
      stored.accessKeyIds.get('orders-publisher'),
    ]);

    stored = storeAll(stored, repair.issued);
    await reconcile(spec, stored, { drift: true });
    expect(writes()).toEqual([]);
  });

  it('an AccessKey whose secret was never stored is replaced, never a third key', async () => {
    const spec = aDelegation();
    await reconcile(spec, nothingStored);
    await ram.createAccessKey('orders-publisher'); // now two keys, neither stored
    const again = await reconcile(spec, { accessKeyIds: new Map(), passwordsStored: new Set(['alice']) });
    expect(writes().filter((w) => w === 'CreateAccessKey')).toHaveLength(1);
    expect(writes().filter((w) => w === 'DeleteAccessKey')).toHaveLength(2);
    const issued = again.issued.find((c) => c.kind === 'AccessKey');
    expect((await ram.listAccessKeys('orders-publisher')).map((k) => k.accessKeyId)).toEqual([
      issued?.kind === 'AccessKey' ? issued.accessKeyId : 'missing',
    ]);
  });

  it('Scoped -> SystemPolicy: the system policy replaces the scoped one, which is deleted', async () => {
    const first = await reconcile(aDelegation(), nothingStored);
    const stored = storeAll(nothingStored, first.issued);
    const switched = aDelegation(withGrant('SystemPolicy'));
    const result = await reconcile(switched, stored);
    expect(result.synced).toBe(true);
    expect(await ram.getPolicy(SCOPED)).toBeUndefined();
    expect(await ram.listPoliciesForUser('alice')).toEqual([expect.objectContaining(SYSTEM)]);
    await reconcile(switched, stored);
    expect(writes()).toEqual([]);
  });
});

describe('crashes part-way through a pass', () => {
  it('a key created but never returned (crash right after CreateAccessKey) is deleted and replaced', async () => {
    crashAfter = 'CreateAccessKey';
    await expect(reconcile(aDelegation(), nothingStored)).rejects.toThrow(/injected crash/);
    const orphan = await ram.listAccessKeys('orders-publisher');
    expect(orphan).toHaveLength(1);

    const retry = await reconcile(aDelegation(), nothingStored);
    const issued = retry.issued.find((c) => c.kind === 'AccessKey');
    expect(writes().filter((w) => w === 'DeleteAccessKey')).toHaveLength(1);
    expect((await ram.listAccessKeys('orders-publisher')).map((k) => k.accessKeyId)).toEqual([
      issued?.kind === 'AccessKey' ? issued.accessKeyId : 'missing',
    ]);
    expect(orphan[0]?.accessKeyId).not.toBe(issued?.kind === 'AccessKey' ? issued.accessKeyId : undefined);
  });

  it('a failure after credentials were issued hands them over on the error, never in its serialized form', async () => {
    crashAfter = 'AttachPolicyToUser';
    const failure: unknown = await reconcile(aDelegation(), nothingStored).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthorizedApplyError);
    const error = failure as AuthorizedApplyError;
    expect(error.issued.map((c) => `${c.userName}:${c.kind}`).sort()).toEqual([
      'alice:Password',
      'orders-publisher:AccessKey',
    ]);
    const serialized = JSON.stringify(error) + String(error.message) + JSON.stringify(Object.entries(error));
    for (const credential of error.issued) {
      expect(serialized).not.toContain(
        credential.kind === 'AccessKey' ? credential.accessKeySecret : credential.password,
      );
    }

    // Storing what the error carried is enough: the next pass at most finishes the attachments (others
    // in flight when the crash hit may have completed) and issues nothing new.
    const next = await reconcile(aDelegation(), storeAll(nothingStored, error.issued));
    expect(next.issued).toEqual([]);
    expect(writes().filter((w) => w !== 'AttachPolicyToUser')).toEqual([]);
    for (const name of ['orders-publisher', 'alice']) {
      expect(await ram.listPoliciesForUser(name)).toEqual([expect.objectContaining(SCOPED)]);
    }
  });
});

describe('entities without our marker', () => {
  it('a same-named user without the marker blocks the side and is not modified; adopt takes it over', async () => {
    await ram.createUser({ userName: 'alice', displayName: 'Alice', comments: 'made by hand' });
    const blocked = await reconcile(aDelegation(), nothingStored);
    expect(blocked.synced).toBe(false);
    expect(blocked.blocked?.reason).toBe('EntityNotManaged');
    expect(blocked.blocked?.message).toContain('user/alice');
    expect(writes()).toEqual([]);
    expect(await ram.getUser('alice')).toMatchObject({ comments: 'made by hand' });

    const adopted = await reconcile(aDelegation(), nothingStored, { adopt: true });
    expect(adopted.synced).toBe(true);
    expect(await ram.getUser('alice')).toMatchObject({ comments: `made by hand ${ownership.marker}` });
  });
});

describe('revokeAuthorized against the emulator', () => {
  it('leaves no marked user or group and no tagged grant; unmanaged users are untouched', async () => {
    const spec = aDelegation(withGroup('publishers'));
    await reconcile(spec, nothingStored);
    // A user removed from the spec later, and an unmanaged user holding the scoped grant out of band.
    await ram.createUser({ userName: 'carol', displayName: 'carol', comments: '' });
    const carolKey = await ram.createAccessKey('carol');
    await ram.attachPolicyToUser(SCOPED, 'carol');

    const withCarol = aDelegation(withGroup('publishers'), withProgrammaticUser('carol'));
    const desired = desiredAuthorized(withCarol, ownership, ROLE_ARN);
    const result = await revokeAuthorized(ram, desired, ownership);

    expect(sorted(result.outcomes.map((o) => `${o.entity}=${o.result}`))).toEqual(
      sorted([
        'user/orders-publisher=Deleted',
        'user/alice=Deleted',
        'user/carol=NotManaged',
        'group/publishers=Deleted',
        `policy/${SCOPED.policyName}=Deleted`,
      ]),
    );
    expect((await ram.listUsers()).map((u) => u.userName)).toEqual(['carol']);
    expect((await ram.listUsers()).filter((u) => ownsByComments(u.comments, ownership))).toEqual([]);
    expect((await ram.listGroups()).filter((g) => ownsByComments(g.comments, ownership))).toEqual([]);
    expect(await ram.findByTag('policy', ownership.tagKey, ownership.tagValue)).toEqual([]);
    expect(await ram.getPolicy(SCOPED)).toBeUndefined();
    expect((await ram.listAccessKeys('carol')).map((k) => k.accessKeyId)).toEqual([carolKey.accessKeyId]);

    // Revoking again is a no-op: everything is already gone.
    calls = [];
    const again = await revokeAuthorized(ram, desired, ownership);
    expect(again.changes).toEqual([]);
    expect(writes()).toEqual([]);
  });
});
