/**
 * Tags on roles and policies (RAM users are not taggable): TagResources, UntagResources,
 * ListTagResources, and the tag rules shared with CreateRole/CreatePolicy. At most 20 tags per resource;
 * keys 1-128 characters and not starting with `aliyun` or `acs:`; values up to 128 characters.
 * ListTagResources reads the tag index, which may lag behind (see consistency/propagation.ts).
 */
import { invalidParameter, limitExceeded } from '../errors.js';
import type { Account } from '../model.js';
import type { TagInput } from '../params.js';
import { ramResource, type ActionContext, type ActionSpec, type ActionTable } from './action.js';
import { getCustomPolicy, getRole } from './lookup.js';

const MAX_TAGS = 20;
/** ListTagResources rows per page: 1-100, 100 when not given. */
const MAX_PAGE_SIZE = 100;

/** Applies tags to a tag map (overwriting values of existing keys), enforcing the rules. */
export function applyTags(target: Map<string, string>, tags: readonly TagInput[] | undefined): void {
  if (!tags) return;
  const next = new Map(target);
  for (const { key, value } of tags) {
    if (key.length < 1 || key.length > 128 || /^(aliyun|acs:)/i.test(key)) {
      throw invalidParameter('Tag.Key', `The tag key "${key}" is invalid.`);
    }
    if (value.length > 128) throw invalidParameter('Tag.Value', `The value of tag "${key}" is too long.`);
    next.set(key, value);
  }
  if (next.size > MAX_TAGS) throw limitExceeded('Tag', `A resource can have at most ${MAX_TAGS} tags.`);
  target.clear();
  for (const [k, v] of next) target.set(k, v);
}

/** The `Tags: {Tag: [{TagKey, TagValue}]}` shape of ListRoles/ListPolicies items. */
export function tagsView(tags: Map<string, string>): { Tag: { TagKey: string; TagValue: string }[] } {
  return { Tag: [...tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
}

/** True when the resource carries every tag of the filter (a filter tag without value matches any value). */
export function matchesTagFilter(
  tags: Map<string, string>,
  filter: readonly TagInput[] | undefined,
): boolean {
  return (filter ?? []).every(({ key, value }) => tags.has(key) && (value === '' || tags.get(key) === value));
}

type TaggableType = 'role' | 'policy';

interface TaggedResource {
  name: string;
  tags: Map<string, string>;
}

function resourceType(ctx: ActionContext): TaggableType {
  const value = ctx.params.required('ResourceType');
  if (value !== 'role' && value !== 'policy')
    throw invalidParameter('ResourceType', 'ResourceType must be role or policy.');
  return value;
}

function resolve(account: Account, type: TaggableType, name: string): TaggedResource {
  if (type === 'role') {
    const role = getRole(account, name);
    return { name: role.roleName, tags: role.tags };
  }
  const policy = getCustomPolicy(account, name);
  return { name: policy.policyName, tags: policy.tags };
}

function namedResources(ctx: ActionContext): string[] {
  const names = ctx.params.stringList('ResourceNames');
  if (!names || names.length === 0)
    throw invalidParameter('ResourceNames', 'ResourceNames is mandatory for this action.');
  if (names.length > 50) throw invalidParameter('ResourceNames', 'At most 50 resources per call.');
  return names;
}

function tagResourceArns(ctx: ActionContext): string[] {
  const type = ctx.params.optional('ResourceType');
  const kind = type === 'policy' ? 'policy' : 'role';
  const names = ctx.params.stringList('ResourceNames') ?? [];
  return names.length > 0
    ? names.map((n) => ramResource(ctx.account.accountId, kind, n))
    : [ramResource(ctx.account.accountId, kind, undefined)];
}

const tagResources: ActionSpec = {
  authAction: 'ram:TagResources',
  resources: tagResourceArns,
  run: (ctx) => {
    const type = resourceType(ctx);
    const tags = ctx.params.tags();
    if (!tags || tags.length === 0) throw invalidParameter('Tag', 'Tag is mandatory for this action.');
    const targets = namedResources(ctx).map((name) => resolve(ctx.account, type, name));
    for (const target of targets) applyTags(new Map(target.tags), tags);
    for (const target of targets) applyTags(target.tags, tags);
    return {};
  },
};

const untagResources: ActionSpec = {
  authAction: 'ram:UntagResources',
  resources: tagResourceArns,
  run: (ctx) => {
    const type = resourceType(ctx);
    const all = ctx.params.bool('All') ?? false;
    const keys = ctx.params.stringList('TagKeys') ?? [];
    if (!all && keys.length === 0)
      throw invalidParameter('TagKeys', 'TagKeys is mandatory unless All is true.');
    for (const target of namedResources(ctx).map((name) => resolve(ctx.account, type, name))) {
      if (all) target.tags.clear();
      for (const key of keys) target.tags.delete(key);
    }
    return {};
  },
};

const listTagResources: ActionSpec = {
  authAction: 'ram:ListTagResources',
  resources: tagResourceArns,
  run: (ctx) => {
    const type = resourceType(ctx);
    const names = ctx.params.stringList('ResourceNames');
    const filter = ctx.params.tags();
    const candidates: TaggedResource[] = names
      ? names.map((name) => resolve(ctx.account, type, name))
      : type === 'role'
        ? [...ctx.account.roles.values()].map((r) => ({ name: r.roleName, tags: r.tags }))
        : [...ctx.account.policies.values()].map((p) => ({ name: p.policyName, tags: p.tags }));
    const rows = candidates
      .filter((c) => matchesTagFilter(c.tags, filter))
      .flatMap((c) =>
        [...c.tags].map(([TagKey, TagValue]) => ({
          ResourceName: c.name,
          ResourceType: type,
          TagKey,
          TagValue,
        })),
      );
    const pageSize = ctx.params.int('PageSize') ?? MAX_PAGE_SIZE;
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE)
      throw invalidParameter('PageSize', `The parameter PageSize must be between 1 and ${MAX_PAGE_SIZE}.`);
    const start = Number(ctx.params.optional('NextToken') ?? '0');
    if (!Number.isInteger(start) || start < 0)
      throw invalidParameter('NextToken', 'The parameter NextToken is invalid.');
    const page = rows.slice(start, start + pageSize);
    const next = start + page.length;
    return { TagResources: page, ...(next < rows.length ? { NextToken: String(next) } : {}) };
  },
};

export const TAG_ACTIONS: ActionTable = {
  TagResources: tagResources,
  UntagResources: untagResources,
  ListTagResources: listTagResources,
};
