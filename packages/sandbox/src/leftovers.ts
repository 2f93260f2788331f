/**
 * What the operator left in the emulator's accounts: every role and policy carrying its ownership tag
 * and every user and group carrying its marker in `Comments`, read from the emulator's state dump. After
 * a delegation is deleted this must be empty.
 */

/** The operator's ownership tag key (also the prefix of the marker in users' and groups' Comments). */
export const OWNERSHIP_TAG_KEY = 'ram-delegation.dev/owner';

interface AccountStateView {
  roles: { roleName: string; tags: Record<string, string> }[];
  policies: { policyName: string; tags: Record<string, string> }[];
  users: { userName: string; comments: string }[];
  groups: { groupName: string; comments: string }[];
}

/** `GET /_emulator/accounts/{id}/state`. */
export async function accountState(emulatorUrl: string, accountId: string): Promise<AccountStateView> {
  const response = await fetch(`${emulatorUrl}/_emulator/accounts/${accountId}/state`);
  if (!response.ok)
    throw new Error(`emulator state of ${accountId}: ${response.status} ${await response.text()}`);
  return (await response.json()) as AccountStateView;
}

/** `<accountId> role/<name>`, `<accountId> user/<name>`, … for every entity the operator marked. */
export async function managedEntities(emulatorUrl: string, accountIds: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const accountId of accountIds) {
    const state = await accountState(emulatorUrl, accountId);
    for (const r of state.roles) if (r.tags[OWNERSHIP_TAG_KEY]) found.push(`${accountId} role/${r.roleName}`);
    for (const p of state.policies)
      if (p.tags[OWNERSHIP_TAG_KEY]) found.push(`${accountId} policy/${p.policyName}`);
    for (const u of state.users)
      if (u.comments.includes(OWNERSHIP_TAG_KEY)) found.push(`${accountId} user/${u.userName}`);
    for (const g of state.groups)
      if (g.comments.includes(OWNERSHIP_TAG_KEY)) found.push(`${accountId} group/${g.groupName}`);
  }
  return found;
}
