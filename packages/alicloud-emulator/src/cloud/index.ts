/**
 * The emulator's cloud model: accounts, RAM, STS, the policy engine and the EventBridge data plane,
 * in memory, behind the `CloudBackend` contract the wire layer calls. Every clock reading and random
 * draw goes through the injected `clock` and `random`, so a fixed clock and a seeded random make runs
 * reproducible.
 */
import { ApiError, type CloudBackend, type Product, type RequestContext } from '../contract.js';
import { createAccount, resolveAccessKey } from './accounts.js';
import { authorize } from './authorize.js';
import { dumpState } from './dump-state.js';
import { createEventBus, listEvents, putEvents } from './eventbridge.js';
import { createIdSource } from './ids.js';
import { emptyWorld, type World } from './model.js';
import { Params } from './params.js';
import type { ActionContext } from './ram/action.js';
import { RAM_ACTIONS } from './ram/index.js';
import { assumeRole } from './sts/assume-role.js';
import { getCallerIdentity } from './sts/caller-identity.js';
import { TokenAuthority } from './sts/tokens.js';

/** Options of the cloud model: every clock reading and every random draw goes through these. */
export interface CloudBackendOptions {
  clock?: () => Date;
  random?: () => number;
}

/** Creates an empty in-memory cloud (no accounts; accounts come from the admin API). */
export function createCloudBackend(options: CloudBackendOptions = {}): CloudBackend {
  const clock = options.clock ?? (() => new Date());
  const ids = createIdSource(options.random ?? Math.random);
  const tokens = new TokenAuthority(ids.bytes(32));
  let world: World = emptyWorld();

  const actionContext = (ctx: RequestContext): ActionContext => {
    const account = world.accounts.get(ctx.principal.accountId);
    if (!account)
      throw new ApiError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
    return { world, account, params: new Params(ctx.params), now: ctx.now, ids, request: ctx };
  };

  const handleRam = (action: string, ctx: RequestContext): Record<string, unknown> => {
    const spec = Object.hasOwn(RAM_ACTIONS, action) ? RAM_ACTIONS[action] : undefined;
    if (!spec) throw unknownAction(action);
    const actx = actionContext(ctx);
    authorize(world, ctx.principal, spec.authAction, spec.resources(actx), ctx, actx.account.accountId);
    return spec.run(actx);
  };

  const handleSts = (action: string, ctx: RequestContext): Record<string, unknown> => {
    if (action === 'AssumeRole') return assumeRole(actionContext(ctx), tokens);
    if (action === 'GetCallerIdentity') return getCallerIdentity(ctx.principal);
    throw unknownAction(action);
  };

  return {
    resolveAccessKey: (accessKeyId, securityToken, now) =>
      resolveAccessKey(world, tokens, accessKeyId, securityToken, now),
    handle: (product: Product, action, ctx) => {
      const body = product === 'ram' ? handleRam(action, ctx) : handleSts(action, ctx);
      return { RequestId: ctx.requestId, ...body };
    },
    putEvents: (ctx, hostAccountId, busName, events) => putEvents(world, ctx, hostAccountId, busName, events),
    createAccount: (accountId, alias) => createAccount(world, ids, clock(), accountId, alias),
    createEventBus: (accountId, name, region) => createEventBus(world, accountId, name, region),
    listEvents: (accountId, busName) => listEvents(world, accountId, busName),
    dumpState: (accountId) => dumpState(world, accountId),
    reset: () => {
      world = emptyWorld();
    },
  };
}

function unknownAction(action: string): ApiError {
  return new ApiError(
    'InvalidAction.NotFound',
    404,
    `Specified api is not found, please check your url and method: ${action}.`,
  );
}
