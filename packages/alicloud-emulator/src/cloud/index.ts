/**
 * The emulator's cloud model: accounts, RAM, STS, the policy engine and the EventBridge data plane,
 * in memory, behind the `CloudBackend` contract the wire layer calls. Every clock reading and random
 * draw goes through the injected `clock` and `random`, so a fixed clock and a seeded random make runs
 * reproducible. Writes act on the true state; reads and authorization see it through the consistency
 * model (consistency/propagation.ts), which shows the true state unless a lag fault is on.
 */
import {
  ApiError,
  NO_MODEL_FAULTS,
  type CloudBackend,
  type Product,
  type RequestContext,
} from '../contract.js';
import { createAccount, resolveAccessKey } from './accounts.js';
import { authorize } from './authorize.js';
import { callCounts, recordSignedCall } from './call-log.js';
import { Propagation } from './consistency/propagation.js';
import { dumpState } from './dump-state.js';
import { createEventBus, listEvents, putEvents } from './eventbridge.js';
import { createIdSource } from './ids.js';
import { emptyWorld, type World } from './model.js';
import { Params } from './params.js';
import type { ActionContext } from './ram/action.js';
import { isReadAction, RAM_ACTIONS } from './ram/index.js';
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
  const random = options.random ?? Math.random;
  const ids = createIdSource(random);
  const tokens = new TokenAuthority(ids.bytes(32));
  const propagation = new Propagation(random);
  let world: World = emptyWorld();

  /** The context of an action that sees `seen` (the true world or a lagging view of it). */
  const actionContext = (ctx: RequestContext, seen: World): ActionContext => {
    const account = seen.accounts.get(ctx.principal.accountId);
    if (!account)
      throw new ApiError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
    return {
      world: seen,
      account,
      params: new Params(ctx.params),
      now: ctx.now,
      ids,
      request: ctx,
      lowercaseArns: propagation.settings.lowercaseArns === 1,
    };
  };

  const handleRam = (action: string, ctx: RequestContext): Record<string, unknown> => {
    const spec = Object.hasOwn(RAM_ACTIONS, action) ? RAM_ACTIONS[action] : undefined;
    if (!spec) throw unknownAction(action);
    const nowMs = ctx.now.getTime();
    const actx = actionContext(ctx, world);
    const accountId = actx.account.accountId;
    const permissions = propagation.authorizationView(world, nowMs);
    authorize(permissions, ctx.principal, spec.authAction, spec.resources(actx), ctx, accountId);
    if (isReadAction(action)) {
      const seen = propagation.readView(world, accountId, nowMs, action === 'ListTagResources');
      return spec.run(actionContext(ctx, seen));
    }
    return propagation.write(world, actx.account, nowMs, () => spec.run(actx));
  };

  const handleSts = (action: string, ctx: RequestContext): Record<string, unknown> => {
    if (action === 'AssumeRole') {
      const permissions = propagation.authorizationView(world, ctx.now.getTime());
      return assumeRole(actionContext(ctx, permissions), tokens);
    }
    if (action === 'GetCallerIdentity')
      return getCallerIdentity(ctx.principal, propagation.settings.lowercaseArns === 1);
    throw unknownAction(action);
  };

  return {
    resolveAccessKey: (accessKeyId, securityToken, now) =>
      resolveAccessKey(world, tokens, accessKeyId, securityToken, now),
    handle: (product: Product, action, ctx) => {
      const body = product === 'ram' ? handleRam(action, ctx) : handleSts(action, ctx);
      return { RequestId: ctx.requestId, ...body };
    },
    putEvents: (ctx, hostAccountId, busName, events) =>
      putEvents(propagation.authorizationView(world, ctx.now.getTime()), ctx, hostAccountId, busName, events),
    createAccount: (accountId, alias) => createAccount(world, ids, clock(), accountId, alias),
    createEventBus: (accountId, name, region) => createEventBus(world, accountId, name, region),
    listEvents: (accountId, busName) => listEvents(world, accountId, busName),
    dumpState: (accountId) => dumpState(world, accountId),
    setModelFaults: (faults) => propagation.configure(faults),
    recordSignedCall: (principal, service, action, at) =>
      recordSignedCall(world, principal, service, action, at),
    callCounts: (accountId) => callCounts(world, accountId),
    reset: () => {
      world = emptyWorld();
      propagation.configure(NO_MODEL_FAULTS);
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
