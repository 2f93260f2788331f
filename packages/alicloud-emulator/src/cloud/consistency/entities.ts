/**
 * An account's RAM state cut into the entities the consistency model versions: each role, custom
 * policy, user, group and AccessKey, the account settings (password policy, alias), and, apart from
 * their owners, the tags of each role and policy (the tag index, which lags on its own). Keys:
 * `role:<lower-cased name>`, `policy:<name>`, `user:<name>`, `group:<name>`, `accessKey:<id>`,
 * `settings:` (one per account), `roleTags:<lower-cased name>`, `policyTags:<name>`.
 *
 * `withEntities` builds the world a lagging reader sees: a copy in which some entities show other
 * states. The copy shares every unchanged object with the true world and must only be read.
 */
import type {
  AccessKeyRecord,
  Account,
  AccountSettings,
  CustomPolicy,
  Group,
  Role,
  User,
  World,
} from '../model.js';

export type EntityFamily =
  'role' | 'policy' | 'user' | 'group' | 'accessKey' | 'settings' | 'roleTags' | 'policyTags';

export type EntityState =
  Role | CustomPolicy | User | Group | AccessKeyRecord | AccountSettings | Map<string, string>;

export interface CapturedEntity {
  state: EntityState;
  /** The entity's content as text: equal fingerprints, equal entities. */
  fingerprint: string;
}

/** Maps become entry lists so that their content shows in the fingerprint (Dates already are ISO text). */
function fingerprintOf(state: EntityState): string {
  return JSON.stringify(state, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
}

/** The account's current entities of the given families (live objects, not copies), by key. */
export function captureEntities(
  world: World,
  account: Account,
  families: ReadonlySet<EntityFamily>,
): Map<string, CapturedEntity> {
  const captured = new Map<string, CapturedEntity>();
  const add = (family: EntityFamily, id: string, state: EntityState): void => {
    if (families.has(family)) captured.set(`${family}:${id}`, { state, fingerprint: fingerprintOf(state) });
  };
  for (const [id, role] of account.roles) {
    add('role', id, role);
    add('roleTags', id, role.tags);
  }
  for (const [id, policy] of account.policies) {
    add('policy', id, policy);
    add('policyTags', id, policy.tags);
  }
  for (const [id, user] of account.users) add('user', id, user);
  for (const [id, group] of account.groups) add('group', id, group);
  for (const [id, key] of world.accessKeys)
    if (key.accountId === account.accountId) add('accessKey', id, key);
  add('settings', '', account.settings);
  return captured;
}

function show<T>(map: Map<string, T>, id: string, state: T | undefined): void {
  if (state === undefined) map.delete(id);
  else map.set(id, state);
}

/** Replaces the tags of the shown role or policy, when it exists for the reader. */
function showTags<T extends { tags: Map<string, string> }>(
  map: Map<string, T>,
  id: string,
  tags: Map<string, string> | undefined,
): void {
  const owner = map.get(id);
  if (owner) map.set(id, { ...owner, tags: tags ?? new Map<string, string>() });
}

/**
 * `world` as seen when the entities of `accountId` in `shown` have the given states (undefined: absent).
 * Tags apply after their owners, to whatever role or policy the reader sees.
 */
export function withEntities(
  world: World,
  accountId: string,
  shown: ReadonlyMap<string, EntityState | undefined>,
): World {
  const account = world.accounts.get(accountId);
  if (!account || shown.size === 0) return world;
  const view: Account = {
    ...account,
    roles: new Map(account.roles),
    policies: new Map(account.policies),
    users: new Map(account.users),
    groups: new Map(account.groups),
  };
  let accessKeys = world.accessKeys;
  const tags: [EntityFamily, string, Map<string, string> | undefined][] = [];
  for (const [key, state] of shown) {
    const colon = key.indexOf(':');
    const family = key.slice(0, colon) as EntityFamily;
    const id = key.slice(colon + 1);
    if (family === 'role') show(view.roles, id, state as Role | undefined);
    else if (family === 'policy') show(view.policies, id, state as CustomPolicy | undefined);
    else if (family === 'user') show(view.users, id, state as User | undefined);
    else if (family === 'group') show(view.groups, id, state as Group | undefined);
    else if (family === 'settings')
      view.settings = (state as AccountSettings | undefined) ?? account.settings;
    else if (family === 'accessKey') {
      if (accessKeys === world.accessKeys) accessKeys = new Map(accessKeys);
      show(accessKeys, id, state as AccessKeyRecord | undefined);
    } else tags.push([family, id, state as Map<string, string> | undefined]);
  }
  for (const [family, id, shownTags] of tags) {
    if (family === 'roleTags') showTags(view.roles, id, shownTags);
    else showTags(view.policies, id, shownTags);
  }
  return { ...world, accounts: new Map(world.accounts).set(accountId, view), accessKeys };
}
