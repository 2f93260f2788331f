/**
 * The operator is SIGKILLed at random moments while it creates and then deletes a fleet of delegations
 * with users, and restarted each time. Between kills no user ever holds a second AccessKey; once Ready
 * the state in both accounts is exact (one role, one policy, one user with exactly the AccessKey its
 * Secret names, per delegation, nothing more); after deletion nothing is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet, deleteFleet, listFleet, sleep, waitFleetGone, waitFleetReady } from './fleet.js';
import {
  accountDump,
  managedLeftovers,
  usersWithSeveralKeys,
  secretLeftovers,
  SOAK,
  startRig,
  type Rig,
} from './rig.js';

const COUNT = SOAK ? 50 : 8;
const KILLS_WHILE_CREATING = SOAK ? 12 : 3;
const KILLS_WHILE_DELETING = SOAK ? 8 : 2;
const TIMEOUT_MS = SOAK ? 900_000 : 120_000;

let rig: Rig;
let names: string[] = [];
const kills: string[] = [];

beforeAll(async () => {
  rig = await startRig({ extraArgs: ['--workers=4'] });
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

/** Kills the operator `times` times, each after a random 50-1500 ms of work, sampling B in between. */
async function killRepeatedly(times: number, phase: string): Promise<void> {
  for (let i = 0; i < times; i++) {
    const after = 50 + Math.floor(Math.random() * 1_450);
    await sleep(after);
    expect(await usersWithSeveralKeys(rig), `before kill ${i + 1} (${phase})`).toEqual([]);
    await rig.operator.stop('SIGKILL');
    kills.push(`${phase} kill ${i + 1} after ${after} ms`);
    expect(await usersWithSeveralKeys(rig), `after kill ${i + 1} (${phase})`).toEqual([]);
    await rig.startOperator();
  }
}

describe(`crash safety: ${KILLS_WHILE_CREATING + KILLS_WHILE_DELETING} SIGKILLs across ${COUNT} delegations`, () => {
  it(
    'creates under kills and ends exact: one role, policy, user and AccessKey each, nothing more',
    async () => {
      names = await createFleet(rig.fleet, 'crash', COUNT, 'withUser', 8);
      await killRepeatedly(KILLS_WHILE_CREATING, 'create');
      await waitFleetReady(rig.fleet, 'crash', COUNT, TIMEOUT_MS, 250);
      expect(await usersWithSeveralKeys(rig)).toEqual([]);

      const owner = await accountDump(rig, rig.env.info.owner.accountId);
      const authorized = await accountDump(rig, rig.env.info.authorized.accountId);
      expect((owner.roles as any[]).map((r) => r.roleName).sort()).toEqual([...names].sort());
      expect((owner.policies as any[]).map((p) => p.policyName).sort()).toEqual(
        names.map((n) => `${n}-publish`).sort(),
      );
      for (const role of owner.roles as any[]) {
        expect(role.attachedPolicies.map((p: any) => p.policyName)).toEqual([`${role.roleName}-publish`]);
      }
      expect((authorized.users as any[]).map((u) => u.userName).sort()).toEqual(
        names.map((n) => `${n}-pub`).sort(),
      );
      expect(authorized.policies as any[]).toHaveLength(COUNT);
      const secrets = await rig.kubectl(['get', 'secrets', '-o', 'json']);
      const keyIdBySecret = new Map<string, string>(
        (JSON.parse(secrets.stdout).items as any[]).map((s) => [
          s.metadata.name,
          Buffer.from(s.data?.accessKeyId ?? '', 'base64').toString('utf8'),
        ]),
      );
      for (const user of authorized.users as any[]) {
        const delegation = String(user.userName).replace(/-pub$/, '');
        expect(user.accessKeyIds, user.userName).toEqual([keyIdBySecret.get(`${delegation}-ak`)]);
      }
      const cads = await listFleet(rig.fleet, 'crash');
      expect(cads.every((cad) => (cad.metadata.finalizers as string[]).length === 1)).toBe(true);
    },
    TIMEOUT_MS + 60_000,
  );

  it(
    'deletes under kills and leaves nothing: no entity, no Secret, no finalizer',
    async () => {
      expect(names).toHaveLength(COUNT);
      await deleteFleet(rig.fleet, names, 8);
      await killRepeatedly(KILLS_WHILE_DELETING, 'delete');
      await waitFleetGone(rig.fleet, 'crash', TIMEOUT_MS, 250);
      expect(await managedLeftovers(rig)).toEqual([]);
      const owner = await accountDump(rig, rig.env.info.owner.accountId);
      const authorized = await accountDump(rig, rig.env.info.authorized.accountId);
      expect(
        [owner.roles, owner.policies, authorized.users, authorized.policies].map(
          (list: unknown[]) => list.length,
        ),
      ).toEqual([0, 0, 0, 0]);
      const secrets = await secretLeftovers(rig);
      expect(secrets.extra).toEqual([]);
      expect(secrets.credentialFinalizers).toEqual([]);
      expect(kills).toHaveLength(KILLS_WHILE_CREATING + KILLS_WHILE_DELETING);
    },
    TIMEOUT_MS + 60_000,
  );
});
