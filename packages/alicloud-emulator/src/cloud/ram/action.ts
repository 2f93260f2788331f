/**
 * What one RAM/STS action is to the backend: the permission it needs (action name and resource ARNs,
 * all of which the caller must be allowed) and what it does. Handlers get the caller's own account:
 * RAM always acts on the account the credentials belong to.
 */
import type { RequestContext } from '../../contract.js';
import type { IdSource } from '../ids.js';
import type { Account, World } from '../model.js';
import type { Params } from '../params.js';

export interface ActionContext {
  world: World;
  /** The caller's account. */
  account: Account;
  params: Params;
  now: Date;
  ids: IdSource;
  request: RequestContext;
  /** The `lowercaseArns` fault: role ARNs in answers are lower-cased. */
  lowercaseArns: boolean;
}

export interface ActionSpec {
  /** The permission name, e.g. `ram:CreateRole`. */
  authAction: string;
  /** The ARNs the permission is checked on; every one must be allowed. */
  resources(ctx: ActionContext): string[];
  run(ctx: ActionContext): Record<string, unknown>;
}

export type ActionTable = Record<string, ActionSpec>;

export type RamEntityKind = 'role' | 'user' | 'group' | 'policy';

/** The ARN RAM authorizes an entity under: `acs:ram:*:<account>:<kind>/<name>`. */
export function ramResource(accountId: string, kind: RamEntityKind, name: string | undefined): string {
  return name === undefined ? ramAccountResource(accountId) : `acs:ram:*:${accountId}:${kind}/${name}`;
}

/** The resource of actions that name no entity (List*, Create* of unnamed things). */
function ramAccountResource(accountId: string): string {
  return `acs:ram:*:${accountId}:*`;
}

/** An action checked against a single entity resource named by one request parameter. */
export function onEntity(
  authAction: string,
  kind: RamEntityKind,
  param: string,
  run: (ctx: ActionContext) => Record<string, unknown>,
): ActionSpec {
  return {
    authAction,
    resources: (ctx) => [ramResource(ctx.account.accountId, kind, ctx.params.optional(param))],
    run,
  };
}

/** An action checked against the account-wide resource. */
export function onAccount(
  authAction: string,
  run: (ctx: ActionContext) => Record<string, unknown>,
): ActionSpec {
  return { authAction, resources: (ctx) => [ramAccountResource(ctx.account.accountId)], run };
}
