/**
 * Real RAM's eventual consistency through the official RAM SDK: reads that lag behind writes
 * (consistencyLagMs) and a tag index that lags on its own (tagLagMs). The emulator runs on a manual
 * clock and a seeded random, so what each read shows is reproducible.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/server/fault-injector.js';
import {
  $Ram,
  manualClock,
  sdkError,
  startSdkWorld,
  type Credentials,
  type RamClient,
  type SdkWorld,
} from './sdk-setup.js';

const A = '1111111111111111';
const LAG_MS = 2000;
const TRUST = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${A}:root`] } }],
});
const OWNER_TAG = 'ram-delegation.dev/owner';

describe('eventual consistency of RAM reads through the SDK', () => {
  const time = manualClock();
  let world: SdkWorld;
  let ram: RamClient;

  beforeAll(async () => {
    world = await startSdkWorld({ clock: time.clock, random: seededRandom(7) });
  });
  afterAll(async () => world.emulator.stop());
  beforeEach(async () => {
    expect((await world.admin('POST', 'reset')).status).toBe(204);
    const rootA: Credentials = await world.createAccount(A);
    ram = world.ram(rootA);
  });

  const setFaults = async (faults: Record<string, number>) =>
    expect((await world.admin('PUT', 'faults', faults)).status).toBe(200);

  const createRole = (roleName: string, owner?: string) =>
    ram.createRole(
      new $Ram.CreateRoleRequest({
        roleName,
        assumeRolePolicyDocument: TRUST,
        ...(owner ? { tag: [new $Ram.CreateRoleRequestTag({ key: OWNER_TAG, value: owner })] } : {}),
      }),
    );

  const listedRoles = async () =>
    ((await ram.listRoles(new $Ram.ListRolesRequest({}))).body?.roles?.role ?? []).map(
      (r) => r.roleName ?? '',
    );

  const ownedRoles = async (owner: string) =>
    (
      (
        await ram.listTagResources(
          new $Ram.ListTagResourcesRequest({
            resourceType: 'role',
            tag: [new $Ram.ListTagResourcesRequestTag({ key: OWNER_TAG, value: owner })],
          }),
        )
      ).body?.tagResources ?? []
    ).map((row) => row.resourceName);

  it('a created role is missing from GetRole and ListRoles until its lag passes, then converges', async () => {
    await setFaults({ consistencyLagMs: LAG_MS });
    await createRole('orders-publisher');
    const missing = await sdkError(ram.getRole(new $Ram.GetRoleRequest({ roleName: 'orders-publisher' })));
    expect({ code: missing.code, status: missing.statusCode }).toEqual({
      code: 'EntityNotExist.Role',
      status: 404,
    });
    expect(await listedRoles()).toEqual([]);
    // The write itself saw the true state: creating it again conflicts.
    const again = await sdkError(createRole('orders-publisher'));
    expect(again.code).toBe('EntityAlreadyExists.Role');
    time.advance(LAG_MS);
    expect(
      (await ram.getRole(new $Ram.GetRoleRequest({ roleName: 'orders-publisher' }))).body?.role?.roleName,
    ).toBe('orders-publisher');
    expect(await listedRoles()).toEqual(['orders-publisher']);
  });

  it('writes to several roles show in no fixed order, and all converge within the lag', async () => {
    await setFaults({ consistencyLagMs: LAG_MS });
    const names = Array.from({ length: 6 }, (_, i) => `role-${i}`);
    for (const name of names) await createRole(name);
    const seen: string[][] = [];
    for (let elapsed = 0; elapsed <= LAG_MS; elapsed += LAG_MS / 8) {
      seen.push(await listedRoles());
      time.advance(LAG_MS / 8);
    }
    expect(seen[0]).toEqual([]);
    expect(
      seen.some((visible) =>
        names.some((name, i) => visible.includes(name) && !visible.includes(names[i - 1] ?? name)),
      ),
    ).toBe(true);
    expect((await listedRoles()).sort()).toEqual(names);
  });

  it('a deleted role keeps showing until the deletion propagates', async () => {
    await createRole('short-lived');
    await setFaults({ consistencyLagMs: LAG_MS });
    await ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: 'short-lived' }));
    expect(await listedRoles()).toEqual(['short-lived']);
    time.advance(LAG_MS);
    expect(await listedRoles()).toEqual([]);
  });

  it('tags set on create reach ListTagResources only after tagLagMs; ListRoles shows them at once', async () => {
    await setFaults({ tagLagMs: LAG_MS });
    await createRole('owned', 'cluster/ns/cad');
    expect(await ownedRoles('cluster/ns/cad')).toEqual([]);
    const listed = (await ram.listRoles(new $Ram.ListRolesRequest({}))).body?.roles?.role ?? [];
    expect(listed[0]?.tags?.tag?.map((t) => t.tagValue)).toEqual(['cluster/ns/cad']);
    time.advance(LAG_MS);
    expect(await ownedRoles('cluster/ns/cad')).toEqual(['owned']);
  });

  it('tags added by TagResources reach ListTagResources late too', async () => {
    await createRole('adopted');
    await setFaults({ tagLagMs: LAG_MS });
    await ram.tagResources(
      new $Ram.TagResourcesRequest({
        resourceType: 'role',
        resourceNames: ['adopted'],
        tag: [new $Ram.TagResourcesRequestTag({ key: OWNER_TAG, value: 'cluster/ns/other' })],
      }),
    );
    expect(await ownedRoles('cluster/ns/other')).toEqual([]);
    time.advance(LAG_MS);
    expect(await ownedRoles('cluster/ns/other')).toEqual(['adopted']);
  });

  it('POST /_emulator/reset turns the lags off: reads show writes at once', async () => {
    await setFaults({ consistencyLagMs: LAG_MS, tagLagMs: LAG_MS });
    expect((await world.admin('POST', 'reset')).status).toBe(204);
    expect((await world.admin('GET', 'faults')).body).toMatchObject({ consistencyLagMs: 0, tagLagMs: 0 });
    ram = world.ram(await world.createAccount(A));
    await createRole('instant', 'cluster/ns/now');
    expect(await listedRoles()).toEqual(['instant']);
    expect(await ownedRoles('cluster/ns/now')).toEqual(['instant']);
  });
});
