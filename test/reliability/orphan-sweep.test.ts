/**
 * The orphan sweep (docs/adr/0007-orphan-sweep.md), with the operator as a child process sweeping every
 * 3 s: what a crash between a create and its record would leave (an entity carrying a delegation's mark
 * that its record does not name) is removed by the delegation's own next pass, and the leftovers of a
 * delegation that no longer exists are removed directly. What a delegation names or records is never
 * touched, and a delegation deleted with `deletionPolicy: Orphan` lets go of its entities (their marks
 * are removed), so the sweep leaves them alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNERSHIP_TAG_KEY, ownershipMarker, ownershipValue } from '../../src/api/constants.js';
import {
  createAccountPorts,
  staticCredentials,
  UNLIMITED,
  type AccountPorts,
} from '../../src/alicloud/index.js';
import type { SandboxAccount } from '@ram-delegation/sandbox';
import {
  createFleet,
  delegationManifest,
  isReady,
  listFleet,
  sleep,
  waitFleetGone,
  waitFleetReady,
} from './fleet.js';
import { accountDump, startRig, type Rig } from './rig.js';
import { API_GROUP, API_VERSION, PLURAL } from '../../src/api/constants.js';

const CLUSTER = 'sandbox';
let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ extraArgs: ['--orphan-sweep-period=3s'] });
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

function ports(account: SandboxAccount): AccountPorts {
  const endpoint = rig.env.info.emulatorUrl.replace('http://', '');
  return createAccountPorts({
    accountId: account.accountId,
    credentials: staticCredentials(account),
    endpoints: { ram: endpoint, sts: endpoint, protocol: 'http' },
    limiter: UNLIMITED,
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const userNames = async () =>
  ((await accountDump(rig, rig.env.info.authorized.accountId)).users as any[]).map(
    (u) => u.userName as string,
  );

describe('the orphan sweep', () => {
  it('removes what a crash between create and record left, through the delegation’s own pass', async () => {
    const [name] = await createFleet(rig.fleet, 'sweep', 1, 'withUser');
    await waitFleetReady(rig.fleet, 'sweep', 1, 60_000);
    // A user carrying the delegation's marker that neither its spec nor its record names, with a key.
    const b = ports(rig.env.info.authorized).ram;
    const marker = ownershipMarker(CLUSTER, rig.env.info.namespace, name!);
    await b.createUser({ userName: 'sweep-crashed', displayName: 'x', comments: marker });
    await b.createAccessKey('sweep-crashed');

    await eventually(
      async () => !(await userNames()).includes('sweep-crashed'),
      30_000,
      'the leftover user to go',
    );
    expect(await userNames()).toContain(`${name}-pub`);
    const [cad] = await listFleet(rig.fleet, 'sweep');
    expect(isReady(cad)).toBe(true);
    expect(cad.status.inventory.authorized.users).toEqual([`${name}-pub`]);
  }, 90_000);

  it('deletes the leftovers of a delegation that no longer exists, and nothing else', async () => {
    const a = ports(rig.env.info.owner).ram;
    const b = ports(rig.env.info.authorized).ram;
    const ghost = ownershipValue(CLUSTER, rig.env.info.namespace, 'ghost');
    const foreign = ownershipValue('another-cluster', rig.env.info.namespace, 'ghost');
    const trust = JSON.stringify({
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { RAM: [`acs:ram::${rig.env.info.authorized.accountId}:root`] },
        },
      ],
    });
    const role = (roleName: string, owner: string) =>
      a.createRole({
        roleName,
        trustPolicy: trust,
        description: '',
        maxSessionDuration: 3600,
        tags: { [OWNERSHIP_TAG_KEY]: owner },
      });
    await role('ghost-role', ghost);
    await a.attachPolicyToRole(
      { policyName: 'AliyunEventBridgeReadOnlyAccess', policyType: 'System' },
      'ghost-role',
    );
    await role('other-cluster-role', foreign);
    await b.createUser({
      userName: 'ghost-user',
      displayName: 'x',
      comments: `${OWNERSHIP_TAG_KEY}=${ghost}`,
    });
    await b.createUser({ userName: 'hand-made', displayName: 'x', comments: 'made by hand' });

    const roles = async () =>
      ((await accountDump(rig, rig.env.info.owner.accountId)).roles as any[]).map(
        (r) => r.roleName as string,
      );
    await eventually(
      async () => !(await roles()).includes('ghost-role') && !(await userNames()).includes('ghost-user'),
      30_000,
      'the ghost’s leftovers to go',
    );
    expect(await roles()).toContain('other-cluster-role');
    expect(await userNames()).toContain('hand-made');
  }, 60_000);

  it('leaves what a delegation deleted with deletionPolicy Orphan let go of', async () => {
    const manifest = delegationManifest(rig.env.info, 'orphaned', 0, 'withUser');
    manifest.spec.deletionPolicy = 'Orphan';
    const resource = {
      group: API_GROUP,
      version: API_VERSION,
      namespace: rig.env.info.namespace,
      plural: PLURAL,
    };
    await rig.fleet.api.createNamespacedCustomObject({ ...resource, body: manifest });
    await waitFleetReady(rig.fleet, 'orphaned', 1, 60_000);
    await rig.fleet.api.deleteNamespacedCustomObject({ ...resource, name: 'orphaned-0' });
    await waitFleetGone(rig.fleet, 'orphaned', 30_000);
    await sleep(8_000); // two sweeps
    const a = await accountDump(rig, rig.env.info.owner.accountId);
    const role = (a.roles as any[]).find((r) => r.roleName === 'orphaned-0');
    expect(role).toBeDefined();
    expect(role.tags[OWNERSHIP_TAG_KEY]).toBeUndefined();
    const b = await accountDump(rig, rig.env.info.authorized.accountId);
    const user = (b.users as any[]).find((u) => u.userName === 'orphaned-0-pub');
    expect(user).toBeDefined();
    expect(String(user.comments)).not.toContain(OWNERSHIP_TAG_KEY);
  }, 90_000);
});
