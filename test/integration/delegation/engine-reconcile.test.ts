/** The delegation engine against the emulator, through the official SDKs: reconcile and drift repair. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUTHORIZED_ACCOUNT, CallCounter, OWNER_ACCOUNT } from '../../support/cloud.js';
import { CredentialStore } from '../../support/delegation.js';
import { ROLE_ARN, ROLE_NAME as ROLE } from '../../support/gen.js';
import { EngineWorld, stripVersions } from './engine-world.js';

const world = new EngineWorld();
beforeAll(() => world.start());
afterAll(() => world.stop());

describe('reconcile', () => {
  beforeEach(() => world.reset());

  it('brings both accounts from scratch to the spec; a second pass makes zero writes', async () => {
    const store = new CredentialStore();
    const first = await world.converge(store);
    expect(first.roleArn).toBe(ROLE_ARN);
    expect(first.owner.changes.length).toBeGreaterThan(0);
    expect(first.authorized?.issued.map((c) => `${c.userName}:${c.kind}`).sort()).toEqual([
      'alice:Password',
      'orders-publisher:AccessKey',
    ]);

    const counter = new CallCounter();
    const second = await world.pass(store, counter);
    expect(second.owner.changes).toEqual([]);
    expect(second.authorized?.changes).toEqual([]);
    expect(counter.writes, `writes: ${counter.writeActions().join(', ')}`).toBe(0);
    expect(counter.reads).toBeGreaterThan(0);

    const credentials = await world.assumeAsPublisher(store);
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    await expect(world.publishWith(credentials)).resolves.toBeTruthy();
  });

  const drifts: [name: string, make: () => Promise<void>, expectedEntity: RegExp][] = [
    [
      'trust policy edited',
      () =>
        world.cloud.ports(world.cloud.owner).ram.updateRole(ROLE, {
          trustPolicy: JSON.stringify({
            Version: '1',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Principal: { RAM: ['acs:ram::3333333333333333:root'] },
              },
            ],
          }),
        }),
      /role\//,
    ],
    [
      'an extra policy attached to the role',
      () =>
        world.cloud
          .ports(world.cloud.owner)
          .ram.attachPolicyToRole({ policyName: 'AdministratorAccess', policyType: 'System' }, ROLE),
      /AdministratorAccess/,
    ],
    [
      'a custom policy document changed out of band',
      () =>
        world.cloud.ports(world.cloud.owner).ram.createPolicyVersion(
          'orders-bus-publish',
          JSON.stringify({
            Version: '1',
            Statement: [{ Effect: 'Allow', Action: 'eventbridge:*', Resource: '*' }],
          }),
        ),
      /policy\/orders-bus-publish/,
    ],
    [
      'the grant detached from a user',
      async () => {
        const ram = world.cloud.ports(world.cloud.authorized).ram;
        const [grant] = await ram.listPoliciesForUser('orders-publisher');
        if (!grant) throw new Error('the user holds no grant');
        await ram.detachPolicyFromUser(grant, 'orders-publisher');
      },
      /orders-publisher/,
    ],
    [
      'a user deleted',
      async () => {
        const ram = world.cloud.ports(world.cloud.authorized).ram;
        for (const key of await ram.listAccessKeys('orders-publisher'))
          await ram.deleteAccessKey('orders-publisher', key.accessKeyId);
        for (const policy of await ram.listPoliciesForUser('orders-publisher'))
          await ram.detachPolicyFromUser(policy, 'orders-publisher');
        await ram.deleteUser('orders-publisher');
      },
      /user\/orders-publisher/,
    ],
    [
      'an extra AccessKey created',
      async () => {
        await world.cloud.ports(world.cloud.authorized).ram.createAccessKey('orders-publisher');
      },
      /accesskey\/orders-publisher/,
    ],
  ];

  it.each(drifts)('repairs drift in one pass: %s', async (_name, makeDrift, expectedEntity) => {
    const store = new CredentialStore();
    await world.converge(store);
    const before = await world.normalizedState();
    await makeDrift();
    const repaired = await world.pass(store, undefined, true);
    const changes = [...repaired.owner.changes, ...(repaired.authorized?.changes ?? [])];
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.drift)).toBe(true);
    expect(changes.map((c) => `${c.entity} ${c.description}`).join('\n')).toMatch(expectedEntity);
    const counter = new CallCounter();
    await world.pass(store, counter);
    expect(counter.writes, counter.writeActions().join(', ')).toBe(0);
    const after = await world.normalizedState();
    // Out-of-band policy versions stay in history; everything else is back as it was.
    expect(stripVersions(after)).toEqual(stripVersions(before));
    const state = await world.cloud.admin('GET', `/_emulator/accounts/${AUTHORIZED_ACCOUNT}/state`);
    for (const user of state.users) expect(user.accessKeyIds.length).toBeLessThanOrEqual(1);
  });

  it('leaves an unmanaged role with the same name untouched and reports EntityNotManaged', async () => {
    const ram = world.cloud.ports(world.cloud.owner).ram;
    const trust = JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::3333333333333333:root'] } },
      ],
    });
    await ram.createRole({
      roleName: ROLE,
      trustPolicy: trust,
      description: 'someone else',
      maxSessionDuration: 7200,
    });
    const before = await world.cloud.admin('GET', `/_emulator/accounts/${OWNER_ACCOUNT}/state`);
    const outcome = await world.pass(new CredentialStore());
    expect(outcome.owner.blocked?.reason).toBe('EntityNotManaged');
    expect(outcome.authorized).toBeUndefined();
    expect(await world.cloud.admin('GET', `/_emulator/accounts/${OWNER_ACCOUNT}/state`)).toEqual(before);
    const authorizedState = await world.cloud.admin('GET', `/_emulator/accounts/${AUTHORIZED_ACCOUNT}/state`);
    expect(authorizedState.users).toEqual([]);
  });
});
