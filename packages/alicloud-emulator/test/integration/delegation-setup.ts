/**
 * The seed scenario's delegation, set up through the official SDKs for tests that then change it: A owns
 * the `orders` bus and a role trusting B that may publish to it; B's user `publisher` may assume the
 * role (a scoped grant naming the role's ARN as given).
 */
import { $Ram, $Sts, orderEvent, type Credentials, type SdkWorld } from './sdk-setup.js';

export const A = '1111111111111111';
export const B = '2222222222222222';
const BUS_ARN = `acs:eventbridge:cn-hangzhou:${A}:eventbus/orders`;
export const PUBLISH_POLICY = 'orders-bus-publish';
export const GRANT_POLICY = 'assume-orders';

export const trustOf = (accountId: string) =>
  JSON.stringify({
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } },
    ],
  });

export const allowOn = (action: string, resource: string) =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

export interface Delegation {
  rootA: Credentials;
  rootB: Credentials;
  publisher: Credentials;
  roleName: string;
  /** The ARN CreateRole answered (lower-cased when the lowercaseArns fault is on). */
  roleArn: string;
}

export interface DelegationOptions {
  /** Faults to turn on right after the reset, before anything is created. */
  faults?: Record<string, number>;
  /** The ARN B's grant names, from the one CreateRole answered (default: that one). */
  grantArn?: (answeredArn: string) => string;
}

/** Resets the emulator and sets the delegation up. */
export async function setUpDelegation(
  world: SdkWorld,
  roleName: string,
  { faults, grantArn }: DelegationOptions = {},
): Promise<Delegation> {
  await world.admin('POST', 'reset');
  if (faults) await world.admin('PUT', 'faults', faults);
  const rootA = await world.createAccount(A);
  const rootB = await world.createAccount(B);
  await world.admin('POST', `accounts/${A}/eventbuses`, { name: 'orders', region: 'cn-hangzhou' });
  const ramA = world.ram(rootA);
  const created = await ramA.createRole(
    new $Ram.CreateRoleRequest({ roleName, assumeRolePolicyDocument: trustOf(B) }),
  );
  const roleArn = created.body?.role?.arn ?? '';
  await ramA.createPolicy(
    new $Ram.CreatePolicyRequest({
      policyName: PUBLISH_POLICY,
      policyDocument: allowOn('eventbridge:PutEvents', BUS_ARN),
    }),
  );
  await ramA.attachPolicyToRole(
    new $Ram.AttachPolicyToRoleRequest({ roleName, policyType: 'Custom', policyName: PUBLISH_POLICY }),
  );
  const ramB = world.ram(rootB);
  await ramB.createUser(new $Ram.CreateUserRequest({ userName: 'publisher' }));
  const key = await ramB.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: 'publisher' }));
  const grant = allowOn('sts:AssumeRole', grantArn ? grantArn(roleArn) : roleArn);
  await ramB.createPolicy(new $Ram.CreatePolicyRequest({ policyName: GRANT_POLICY, policyDocument: grant }));
  await ramB.attachPolicyToUser(
    new $Ram.AttachPolicyToUserRequest({
      userName: 'publisher',
      policyType: 'Custom',
      policyName: GRANT_POLICY,
    }),
  );
  const publisher = {
    accessKeyId: key.body?.accessKey?.accessKeyId ?? '',
    accessKeySecret: key.body?.accessKey?.accessKeySecret ?? '',
  };
  return { rootA, rootB, publisher, roleName, roleArn };
}

/** AssumeRole as `caller` (through the STS SDK) and the session's credentials. */
export async function assume(world: SdkWorld, caller: Credentials, roleArn: string): Promise<Credentials> {
  const answer = await world
    .sts(caller)
    .assumeRole(new $Sts.AssumeRoleRequest({ roleArn, roleSessionName: 'publisher', durationSeconds: 900 }));
  const credentials = answer.body?.credentials;
  return {
    accessKeyId: credentials?.accessKeyId ?? '',
    accessKeySecret: credentials?.accessKeySecret ?? '',
    securityToken: credentials?.securityToken ?? '',
  };
}

/** Publishes one event to A's `orders` bus with `credentials`. */
export function publish(world: SdkWorld, credentials: Credentials, id: string) {
  return world.eventBridge(credentials).putEvents([orderEvent(id, 'orders')]);
}
