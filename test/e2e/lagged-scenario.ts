/** The #12 acceptance scenario's delegations and helpers (test/e2e/lagged-cloud.test.ts). */
export { eventually } from './delegation-scenario.js';
import type { SandboxInfo } from '@ram-delegation/sandbox';
import { API_GROUP, API_VERSION } from '../../src/api/constants.js';
import { publishPolicy } from '../reliability/fleet.js';
import type { Rig } from '../reliability/rig.js';

/** One delegation of the scenario: a PutEvents policy on A's bus and one Programmatic user. */
export function manifest(
  info: SandboxInfo,
  name: string,
  role: string,
  trust: { principals: string; requireMFA: boolean },
  extraUsers: object[] = [],
) {
  const { owner, authorized } = info;
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: 'CrossAccountDelegation',
    metadata: { name, namespace: info.namespace },
    spec: {
      owner: { accountId: owner.accountId, credentials: { secretRef: { name: owner.credentialsSecret } } },
      authorized: {
        accountId: authorized.accountId,
        credentials: { secretRef: { name: authorized.credentialsSecret } },
      },
      role: { name: role, trust },
      policies: [publishPolicy(info, name)],
      users: [
        { name: `${name}-pub`, access: 'Programmatic', credentialsSecretName: `${name}-ak` },
        ...extraUsers,
      ],
    },
  };
}

export const DELEGATIONS = [
  { name: 'capitals', role: 'Lag-Publisher', trust: { principals: 'Account', requireMFA: false } },
  { name: 'mfa', role: 'lag-mfa', trust: { principals: 'Account', requireMFA: true } },
  {
    name: 'trusted-users',
    role: 'lag-users',
    trust: { principals: 'Users', requireMFA: false },
    extraUsers: [
      { name: 'lag-alice', access: 'Console', mfaRequired: false, credentialsSecretName: 'lag-alice-login' },
    ],
  },
  { name: 'plain', role: 'lag-plain', trust: { principals: 'Account', requireMFA: false } },
];

/** A Secret's data, decoded. */
export async function secretData(rig: Rig, name: string): Promise<Record<string, string>> {
  const result = await rig.kubectl(['get', 'secret', name, '-n', rig.env.info.namespace, '-o', 'json']);
  if (result.code !== 0) throw new Error(result.stderr);
  const data = (JSON.parse(result.stdout) as { data: Record<string, string> }).data;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}
