/**
 * {@link RamPort} over `@alicloud/ram20150501`, assembled from its parts (roles, policies and tags,
 * users, groups, account settings). Conventions of every method (see ports.ts): `get*` resolves undefined for
 * `EntityNotExist.*`; delete/detach/remove succeed when the thing is already gone; attach/add succeed
 * when it is already there (`EntityAlreadyExists.*`); list calls page to the end.
 */
import type { CallContext } from './call.js';
import type { RamClient } from './clients.js';
import type { RamPort } from './ports.js';
import { accountOperations } from './ram-account.js';
import { groupOperations } from './ram-groups.js';
import { policyOperations } from './ram-policies.js';
import { roleOperations } from './ram-roles.js';
import type { RamContext } from './ram-support.js';
import { userOperations } from './ram-users.js';

export interface RamPortOptions {
  /** Items per page of list calls (RAM: 1-1000); default 100. */
  pageSize?: number;
}

export function createRamPort(client: RamClient, call: CallContext, options: RamPortOptions = {}): RamPort {
  const ctx: RamContext = { client, call, pageSize: options.pageSize ?? 100 };
  return {
    accountId: call.accountId,
    ...roleOperations(ctx),
    ...policyOperations(ctx),
    ...userOperations(ctx),
    ...groupOperations(ctx),
    ...accountOperations(ctx),
  };
}
