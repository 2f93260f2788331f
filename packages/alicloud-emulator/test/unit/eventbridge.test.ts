import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  allowDoc,
  apiErrorOf,
  createHarness,
  trustAccount,
  event,
} from './cloud-harness.js';

describe('EventBridge PutEvents', () => {
  it('finds buses by host account or by unique name', () => {
    const h = createHarness();
    h.backend.createEventBus(ACCOUNT_A, 'orders', 'cn-hangzhou');
    expect(h.backend.putEvents(h.context(h.rootA), undefined, 'orders', [event('1')]).FailedEntryCount).toBe(
      0,
    );
    expect(h.backend.putEvents(h.context(h.rootA), ACCOUNT_A, 'orders', [event('2')]).FailedEntryCount).toBe(
      0,
    );
    expect(
      apiErrorOf(() => h.backend.putEvents(h.context(h.rootA), undefined, 'missing', [event('3')])),
    ).toMatchObject({ code: 'EventBusNotExist', httpStatus: 404 });
    expect(
      apiErrorOf(() => h.backend.putEvents(h.context(h.rootA), '9999999999999999', 'orders', [event('3')])),
    ).toMatchObject({ code: 'AccountIdNotExist', httpStatus: 403 });
    h.backend.createEventBus(ACCOUNT_B, 'orders', 'cn-hangzhou');
    expect(
      apiErrorOf(() => h.backend.putEvents(h.context(h.rootA), undefined, 'orders', [event('4')])),
    ).toMatchObject({ code: 'EventBusAmbiguous', httpStatus: 400 });
    expect(h.backend.listEvents(ACCOUNT_A, 'orders').map((e) => e.id)).toEqual(['1', '2']);
    expect(h.backend.listEvents(ACCOUNT_A, 'orders')[0]).toMatchObject({
      aliyuneventbusname: 'orders',
      aliyunaccountid: ACCOUNT_A,
    });
  });

  it('refuses another account, even its root, and users without the permission', () => {
    const h = createHarness();
    h.backend.createEventBus(ACCOUNT_A, 'orders', 'cn-hangzhou');
    expect(
      apiErrorOf(() => h.backend.putEvents(h.context(h.rootB), ACCOUNT_A, 'orders', [event('1')])),
    ).toMatchObject({ code: 'AccessDenied', httpStatus: 403 });
    h.ram(h.rootA, 'CreateUser', { UserName: 'u' });
    const key = h.ram(h.rootA, 'CreateAccessKey', { UserName: 'u' }).AccessKey as { AccessKeyId: string };
    expect(
      apiErrorOf(() =>
        h.backend.putEvents(h.context({ accessKeyId: key.AccessKeyId }), ACCOUNT_A, 'orders', [event('1')]),
      ),
    ).toMatchObject({ code: 'AccessDenied' });
    h.ram(h.rootA, 'CreatePolicy', {
      PolicyName: 'pub',
      PolicyDocument: allowDoc(
        'eventbridge:PutEvents',
        `acs:eventbridge:cn-hangzhou:${ACCOUNT_A}:eventbus/orders`,
      ),
    });
    h.ram(h.rootA, 'AttachPolicyToUser', { UserName: 'u', PolicyType: 'Custom', PolicyName: 'pub' });
    expect(
      h.backend.putEvents(h.context({ accessKeyId: key.AccessKeyId }), ACCOUNT_A, 'orders', [event('1')])
        .EntryList,
    ).toEqual([{ EventId: '1' }]);
  });

  it('reports invalid events per entry and keeps the valid ones', () => {
    const h = createHarness();
    h.backend.createEventBus(ACCOUNT_A, 'orders', 'cn-hangzhou');
    const result = h.backend.putEvents(h.context(h.rootA), ACCOUNT_A, 'orders', [
      event('ok'),
      { id: 'no-source', type: 't', specversion: '1.0' },
    ]);
    expect(result.FailedEntryCount).toBe(1);
    expect(result.EntryList[0]).toEqual({ EventId: 'ok' });
    expect(result.EntryList[1]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(h.backend.listEvents(ACCOUNT_A, 'orders')).toHaveLength(1);
  });
});

describe('dumpState', () => {
  it('describes the account without secrets', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreateRole', {
      RoleName: 'r',
      AssumeRolePolicyDocument: trustAccount(ACCOUNT_B),
      Tag: JSON.stringify([{ Key: 'k', Value: 'v' }]),
    });
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: allowDoc('ram:GetRole') });
    h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: 'p' });
    h.ram(h.rootA, 'CreateUser', { UserName: 'u', Comments: 'managed' });
    const secret = (
      h.ram(h.rootA, 'CreateAccessKey', { UserName: 'u' }).AccessKey as { AccessKeySecret: string }
    ).AccessKeySecret;
    h.ram(h.rootA, 'CreateLoginProfile', {
      UserName: 'u',
      Password: 'Sup3rSecretPwd',
      MFABindRequired: true,
    });
    h.ram(h.rootA, 'CreateGroup', { GroupName: 'g' });
    h.ram(h.rootA, 'AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    const state = h.backend.dumpState(ACCOUNT_A);
    expect(state.roles).toEqual([
      expect.objectContaining({
        roleName: 'r',
        maxSessionDuration: 3600,
        trustPolicy: JSON.parse(trustAccount(ACCOUNT_B)),
        attachedPolicies: [expect.objectContaining({ policyType: 'Custom', policyName: 'p' })],
        tags: { k: 'v' },
      }),
    ]);
    expect(state.policies).toEqual([
      expect.objectContaining({ policyName: 'p', attachments: { roles: ['r'], users: [], groups: [] } }),
    ]);
    expect(state.users).toEqual([
      expect.objectContaining({
        userName: 'u',
        comments: 'managed',
        groups: ['g'],
        loginProfile: { passwordResetRequired: false, mfaBindRequired: true },
      }),
    ]);
    expect(state.groups).toEqual([expect.objectContaining({ groupName: 'g', members: ['u'] })]);
    const text = JSON.stringify(state);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('Sup3rSecretPwd');
  });
});
