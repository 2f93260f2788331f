/** revokeOwner against the Alibaba Cloud emulator, through the real RamPort and the official SDK. */
import * as $Ram from '@alicloud/ram20150501';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../src/alicloud/errors.js';
import type { RamPort } from '../../../src/alicloud/ports.js';
import { desiredOwner, reconcileOwner, revokeOwner } from '../../../src/delegation/owner/index.js';
import { ApplyError } from '../../../src/delegation/run-phased.js';
import { putEventsDocument } from '../../support/gen.js';
import { OwnerWorld, options } from './owner-world.js';

let world: OwnerWorld;
beforeAll(async () => {
  world = await OwnerWorld.start();
});
afterAll(async () => {
  await world?.stop();
});

describe('revokeOwner against the emulator', () => {
  it('detaches, deletes the role and every recorded policy; a second revoke finds nothing', async () => {
    const s = world.scenario('revoke');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    // A policy of an older spec that the record still names, attached to a user in A by someone.
    s.records.add([{ side: 'owner', kind: 'policy', name: `${s.policyName}-old` }]);
    await s.ram.createPolicy({
      policyName: `${s.policyName}-old`,
      document: JSON.stringify(putEventsDocument('old')),
      description: '',
      tags: { [s.ownership.tagKey]: s.ownership.tagValue },
    });
    await world.sdk.createUser(new $Ram.CreateUserRequest({ userName: 'revoke-someone' }));
    await world.sdk.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        policyType: 'Custom',
        policyName: `${s.policyName}-old`,
        userName: 'revoke-someone',
      }),
    );

    const before = new Date();
    const revoked = await revokeOwner(
      s.ram,
      desiredOwner(spec, s.ownership),
      s.ownership,
      s.records.pass(),
      options,
    );
    expect(revoked.roleHadNoPoliciesAt).toBeInstanceOf(Date);
    expect(revoked.roleHadNoPoliciesAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(revoked.outcomes.map((o) => `${o.entity} ${o.result}`).sort()).toEqual(
      [
        `policy/${s.policyName} Deleted`,
        `policy/${s.policyName}-old Deleted`,
        `role/${s.roleName} Deleted`,
      ].sort(),
    );
    expect(await world.inspect.getRole(s.roleName)).toBeUndefined();
    expect(await world.inspect.findByTag('role', s.ownership.tagKey, s.ownership.tagValue)).toEqual([]);
    expect(await world.inspect.findByTag('policy', s.ownership.tagKey, s.ownership.tagValue)).toEqual([]);

    const again = await s.counted(() =>
      revokeOwner(s.ram, desiredOwner(spec, s.ownership), s.ownership, s.records.pass(), options),
    );
    expect(again.writes).toEqual([]);
    expect(again.result.outcomes.every((o) => o.result === 'AlreadyGone')).toBe(true);
  });

  it('retries DeleteRole when a policy gets attached between detach and delete', async () => {
    const s = world.scenario('conflict');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    let sneaked = false;
    // The real port, with someone attaching a policy right before our first DeleteRole.
    const racing: RamPort = Object.create(s.ram) as RamPort;
    racing.deleteRole = async (roleName) => {
      if (!sneaked) {
        sneaked = true;
        await world.sdk.attachPolicyToRole(
          new $Ram.AttachPolicyToRoleRequest({
            policyType: 'System',
            policyName: 'AliyunRAMReadOnlyAccess',
            roleName,
          }),
        );
      }
      return s.ram.deleteRole(roleName);
    };
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const revoked = await s.counted(() =>
      revokeOwner(racing, desiredOwner(spec, s.ownership), s.ownership, s.records.pass(), {
        ...options,
        sleep,
      }),
    );
    expect(sneaked).toBe(true);
    // Not back to back: a wait before the second DeleteRole (so a lagging read can catch up).
    expect(waits).toEqual([250]);
    expect(revoked.writes.filter((c) => c.action === 'DeleteRole').map((c) => c.errorCode)).toEqual([
      'DeleteConflict.Role.Policy',
      undefined,
    ]);
    expect(revoked.result.changes).toContainEqual(
      expect.objectContaining({
        verb: 'Detached',
        entity: `attachment/AliyunRAMReadOnlyAccess->role/${s.roleName}`,
      }),
    );
    expect(await world.inspect.getRole(s.roleName)).toBeUndefined();
  });

  it('a failure mid-revocation reports what was done, and calling again finishes the job', async () => {
    const s = world.scenario('crash');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    // The real port, with the network failing on the first DeleteRole.
    const flaky: RamPort = Object.create(s.ram) as RamPort;
    let failed = false;
    flaky.deleteRole = async (roleName) => {
      if (!failed) {
        failed = true;
        throw new CloudError('Transient', 'ECONNRESET', 'socket hang up', { action: 'DeleteRole' });
      }
      return s.ram.deleteRole(roleName);
    };
    const error = await revokeOwner(
      flaky,
      desiredOwner(spec, s.ownership),
      s.ownership,
      s.records.pass(),
      options,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).done.map((c) => c.verb)).toEqual(['Detached', 'Detached']);
    expect(await world.inspect.listPoliciesForRole(s.roleName)).toEqual([]);

    const resumed = await revokeOwner(
      flaky,
      desiredOwner(spec, s.ownership),
      s.ownership,
      s.records.pass(),
      options,
    );
    expect(resumed.outcomes.map((o) => `${o.entity} ${o.result}`).sort()).toEqual(
      [`policy/${s.policyName} Deleted`, `role/${s.roleName} Deleted`].sort(),
    );
    expect(await world.inspect.findByTag('policy', s.ownership.tagKey, s.ownership.tagValue)).toEqual([]);
  });
});
