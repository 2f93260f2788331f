/**
 * A deliberately tiny implementation of our own CloudBackend interface, for testing the emulator's wire
 * layer on its own (signatures, dispatch, errors, faults, admin routes) without the cloud model. It is
 * not a fake of any SDK: the tests still speak to the emulator through the official clients.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  ApiError,
  NO_MODEL_FAULTS,
  type CloudBackend,
  type CloudEvent,
  type ModelFaults,
  type Principal,
  type Product,
  type RequestContext,
  type SigningIdentity,
} from '../../src/contract.js';

interface StsKey {
  secret: string;
  token: string;
  principal: Principal;
}

export interface WireTestBackend extends CloudBackend {
  /** Every context handed to `handle` or `putEvents`, oldest first. */
  readonly contexts: { product: Product | 'eventbridge'; action: string; context: RequestContext }[];
  /** The model faults last forwarded by the wire layer. */
  readonly modelFaults: Readonly<ModelFaults>;
  /** Issues STS credentials for a role in `accountId`, valid for `ttlMs`. */
  issueStsCredentials(
    accountId: string,
    ttlMs: number,
    now: Date,
  ): { accessKeyId: string; accessKeySecret: string; securityToken: string };
}

export function createWireTestBackend(): WireTestBackend {
  const accounts = new Map<string, { accessKeyId: string; accessKeySecret: string; alias?: string }>();
  const stsKeys = new Map<string, StsKey>();
  const buses = new Map<string, { accountId: string; region: string; events: CloudEvent[] }>();
  const contexts: WireTestBackend['contexts'] = [];
  const calls = new Map<string, Map<string, number>>();
  let modelFaults: ModelFaults = { ...NO_MODEL_FAULTS };

  const accountOrThrow = (accountId: string) => {
    const account = accounts.get(accountId);
    if (account === undefined)
      throw new ApiError('EntityNotExist.Account', 404, `The account ${accountId} does not exist.`);
    return account;
  };

  const backend: WireTestBackend = {
    contexts,
    get modelFaults() {
      return modelFaults;
    },
    resolveAccessKey(accessKeyId, securityToken, now): SigningIdentity {
      if (accessKeyId.startsWith('STS.')) {
        const key = stsKeys.get(accessKeyId);
        if (key === undefined)
          throw new ApiError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
        if (securityToken !== key.token) {
          throw new ApiError(
            'InvalidSecurityToken.MismatchWithAccessKey',
            400,
            'The security token does not match the AccessKey.',
          );
        }
        if (key.principal.kind === 'assumed-role' && key.principal.expiresAt <= now.getTime()) {
          throw new ApiError('InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.');
        }
        return { accessKeySecret: key.secret, principal: key.principal };
      }
      for (const [accountId, account] of accounts) {
        if (account.accessKeyId === accessKeyId) {
          return {
            accessKeySecret: account.accessKeySecret,
            principal: { kind: 'root', accountId, accessKeyId },
          };
        }
      }
      throw new ApiError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
    },
    handle(product, action, context) {
      contexts.push({ product, action, context });
      const { principal } = context;
      if (product === 'sts' && action === 'GetCallerIdentity') {
        return {
          AccountId: principal.accountId,
          IdentityType: principal.kind === 'root' ? 'Account' : 'AssumedRoleUser',
        };
      }
      if (product === 'sts' && action === 'AssumeRole') {
        const issued = backend.issueStsCredentials(principal.accountId, 3600_000, context.now);
        return {
          Credentials: {
            AccessKeyId: issued.accessKeyId,
            AccessKeySecret: issued.accessKeySecret,
            SecurityToken: issued.securityToken,
            Expiration: new Date(context.now.getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
          AssumedRoleUser: {
            Arn: context.params.RoleArn,
            AssumedRoleId: `300000000000000001:${context.params.RoleSessionName}`,
          },
        };
      }
      if (product === 'ram' && action === 'GetRole') {
        const roleName = context.params.RoleName;
        if (!roleName) throw new ApiError('MissingRoleName', 400, 'RoleName is mandatory for this action.');
        return {
          Role: { RoleName: roleName, Arn: `acs:ram::${principal.accountId}:role/${roleName.toLowerCase()}` },
        };
      }
      if (product === 'ram' && action === 'DeleteRole') {
        throw new ApiError('NoPermission', 403, 'You are not authorized to do this action.', {
          accessDeniedDetail: { AuthAction: 'ram:DeleteRole', NoPermissionType: 'ImplicitDeny' },
        });
      }
      if (product === 'ram' && action === 'ListRoles') {
        throw new Error('boom: a bug in the model');
      }
      throw new ApiError('InvalidAction.NotFound', 404, `Specified api ${action} is not found.`);
    },
    putEvents(context, hostAccountId, busName, events) {
      contexts.push({ product: 'eventbridge', action: 'PutEvents', context });
      const bus = buses.get(busName);
      if (bus === undefined || (hostAccountId !== undefined && bus.accountId !== hostAccountId)) {
        throw new ApiError('EventBusNotExist', 404, `The event bus ${busName} does not exist.`);
      }
      bus.events.push(...events);
      return { FailedEntryCount: 0, EntryList: events.map((e) => ({ EventId: String(e.id) })) };
    },
    createAccount(accountId, alias) {
      const existing = accounts.get(accountId);
      if (existing) return { created: false, accountId, ...existing };
      if (!/^\d{16}$/.test(accountId))
        throw new ApiError('InvalidParameter.AccountId', 400, 'accountId must be 16 digits.');
      // Keys derive from the account id, so that an account re-created after a reset has the same key.
      const digest = createHash('sha256').update(accountId).digest();
      const account = {
        accessKeyId: `LTAI${digest.subarray(0, 10).toString('hex')}`,
        accessKeySecret: digest.subarray(10, 25).toString('base64url'),
        ...(alias === undefined ? {} : { alias }),
      };
      accounts.set(accountId, account);
      return {
        created: true,
        accountId,
        accessKeyId: account.accessKeyId,
        accessKeySecret: account.accessKeySecret,
      };
    },
    createEventBus(accountId, name, region) {
      accountOrThrow(accountId);
      if (buses.has(name))
        throw new ApiError('EventBusAlreadyExist', 409, `The event bus ${name} already exists.`);
      buses.set(name, { accountId, region, events: [] });
    },
    listEvents(accountId, busName) {
      accountOrThrow(accountId);
      const bus = buses.get(busName);
      if (bus === undefined || bus.accountId !== accountId)
        throw new ApiError('EventBusNotExist', 404, 'No such bus.');
      return bus.events;
    },
    dumpState(accountId) {
      accountOrThrow(accountId);
      return { roles: [], policies: [], users: [], groups: [] };
    },
    setModelFaults(faults) {
      modelFaults = { ...faults };
    },
    recordSignedCall(principal, service, action) {
      const counts = calls.get(principal.accountId) ?? new Map<string, number>();
      counts.set(`${service}:${action}`, (counts.get(`${service}:${action}`) ?? 0) + 1);
      calls.set(principal.accountId, counts);
    },
    callCounts(accountId) {
      accountOrThrow(accountId);
      return Object.fromEntries(calls.get(accountId) ?? []);
    },
    reset() {
      accounts.clear();
      stsKeys.clear();
      buses.clear();
      calls.clear();
      contexts.length = 0;
      modelFaults = { ...NO_MODEL_FAULTS };
    },
    issueStsCredentials(accountId, ttlMs, now) {
      const accessKeyId = `STS.${randomBytes(10).toString('hex')}`;
      const key: StsKey = {
        secret: randomBytes(15).toString('base64url'),
        token: randomBytes(40).toString('base64'),
        principal: {
          kind: 'assumed-role',
          accountId,
          roleName: 'tester',
          roleId: '300000000000000001',
          sessionName: 'wire-test',
          accessKeyId,
          expiresAt: now.getTime() + ttlMs,
        },
      };
      stsKeys.set(accessKeyId, key);
      return { accessKeyId, accessKeySecret: key.secret, securityToken: key.token };
    },
  };
  return backend;
}
