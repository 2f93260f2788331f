/**
 * `ram-delegation plan` (issue #15): its command line, the manifests it reads, what it prints and its
 * exit code, decided from the engine's changes; the planning itself is tested against the emulator
 * (test/integration/cli/plan.test.ts) and in the sandbox (test/e2e/lifecycle.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlanArgs } from '../../../src/cli/plan-args.js';
import { readManifests } from '../../../src/cli/plan-manifests.js';
import { planExitCode, renderJson, renderText, type DelegationReport } from '../../../src/cli/plan-report.js';
import { readOnlyPorts } from '../../../src/cli/read-only-ports.js';
import { ConfigError } from '../../../src/config/flags.js';
import type { Change } from '../../../src/delegation/change.js';
import type { AccountPorts } from '../../../src/delegation/context.js';

const change = (side: Change['side'], verb: Change['verb'], entity: string, description: string): Change => ({
  side,
  verb,
  entity,
  drift: false,
  description,
});
const report = (patch: Partial<DelegationReport> = {}): DelegationReport => ({
  namespace: 'default',
  name: 'orders',
  inCluster: true,
  accounts: { owner: '1111111111111111', authorized: '2222222222222222' },
  changes: [],
  refusals: [],
  ...patch,
});
const fresh = report({
  inCluster: false,
  changes: [
    change('owner', 'Created', 'role/orders', 'create role orders'),
    change('authorized', 'Created', 'user/u', 'create user u'),
  ],
});
const drifted = report({
  changes: [
    change(
      'owner',
      'Detached',
      'attachment/AdministratorAccess->role/orders',
      'detach system policy AdministratorAccess from role orders',
    ),
    change(
      'authorized',
      'Rotated',
      'accesskey/u',
      'rotate the AccessKey of user u: create a new key for its Secret',
    ),
    change('authorized', 'Deactivated', 'accesskey/u/LTAI1', 'deactivate AccessKey LTAI1 of user u'),
  ],
});
const refused = report({
  refusals: [{ account: 'owner', reason: 'EntityNotManaged', message: 'role orders exists without our tag' }],
});

describe('plan exit codes', () => {
  it.each([
    ['no changes', [report()], 0],
    ['changes', [report(), fresh], 2],
    ['a refusal wins over changes', [fresh, refused], 1],
  ] as const)('%s: %d', (_name, reports, code) => expect(planExitCode(reports)).toBe(code));
});

describe('plan --output json', () => {
  it('is exactly {delegations: [{namespace, name, changes: [{account, action, target, destructive}], refusals}]}', () => {
    expect(JSON.parse(renderJson([drifted, refused]))).toEqual({
      delegations: [
        {
          namespace: 'default',
          name: 'orders',
          changes: [
            {
              account: 'owner',
              action: 'detach',
              target: 'attachment/AdministratorAccess->role/orders',
              destructive: true,
            },
            { account: 'authorized', action: 'rotate', target: 'accesskey/u', destructive: false },
            { account: 'authorized', action: 'update', target: 'accesskey/u/LTAI1', destructive: true },
          ],
          refusals: [],
        },
        {
          namespace: 'default',
          name: 'orders',
          changes: [],
          refusals: [
            { account: 'owner', reason: 'EntityNotManaged', message: 'role orders exists without our tag' },
          ],
        },
      ],
    });
  });
});

describe('plan text output', () => {
  it('lists the changes per account in the operator’s words, destructive ones marked, then a summary', () => {
    expect(renderText([fresh, drifted])).toBe(
      [
        'default/orders (not in the cluster yet: planned from scratch)',
        '  account A (owner) 1111111111111111:',
        '    + create role orders',
        '  account B (authorized) 2222222222222222:',
        '    + create user u',
        '',
        'default/orders (in the cluster)',
        '  account A (owner) 1111111111111111:',
        '    - detach system policy AdministratorAccess from role orders  [destructive]',
        '  account B (authorized) 2222222222222222:',
        '    ~ rotate the AccessKey of user u: create a new key for its Secret',
        '    - deactivate AccessKey LTAI1 of user u  [destructive]',
        '',
        'Plan: 5 change(s), 2 destructive, 0 refusal(s), in 2 delegation(s).',
        '',
      ].join('\n'),
    );
  });

  it('says what the operator would refuse, and when nothing changes', () => {
    expect(renderText([refused])).toMatch(
      /refused:\n {4}x account A \(owner\): EntityNotManaged: role orders exists without our tag\n/,
    );
    expect(renderText([report()])).toMatch(
      /default\/orders \(in the cluster\)\n {2}no changes\n\nNo changes/,
    );
  });
});

describe('plan command line', () => {
  const env = {};
  it('takes -f (repeatable), -n, -o and the operator’s cloud flags from its own table', () => {
    const args = parsePlanArgs(
      [
        '-f',
        'a.yaml',
        '--filename=dir',
        '-f',
        '-',
        '-n',
        'team',
        '--output',
        'json',
        '--kubeconfig',
        '/k',
        '--ram-endpoint=127.0.0.1:1',
        '--alicloud-protocol',
        'http',
        '--cluster-name=prod',
      ],
      env,
    );
    expect(args).toMatchObject({
      filenames: ['a.yaml', 'dir', '-'],
      namespace: 'team',
      output: 'json',
      kubeconfig: '/k',
    });
    expect(args.config.alicloud).toMatchObject({
      ram: '127.0.0.1:1',
      protocol: 'http',
      regionId: 'cn-hangzhou',
    });
    expect(args.config.clusterName).toBe('prod');
  });

  it.each([
    [['--output', 'json'], /-f: at least one/],
    [['-f', 'a', '--output', 'yaml'], /--output: "yaml" is not text or json/],
    [['-f', 'a', '--workers=2'], /--workers: not a flag of plan/],
    [['-f', 'a', '--alicloud-protocol=ftp'], /--alicloud-protocol: /],
    [['-f'], /-f: needs a value/],
  ])('refuses %j, naming the flag', (argv, message) => {
    expect(() => parsePlanArgs(argv, env)).toThrow(ConfigError);
    expect(() => parsePlanArgs(argv, env)).toThrow(message);
  });
});

describe('plan manifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-manifests-'));
  const delegation = (name: string, namespace?: string) =>
    `apiVersion: ram-delegation.dev/v1alpha1\nkind: CrossAccountDelegation\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}  annotations: {ram-delegation.dev/rotate-access-keys: "r1"}\nspec: {suspend: true}\n`;
  writeFileSync(
    join(dir, 'a.yaml'),
    `${delegation('one', 'team')}---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n`,
  );
  writeFileSync(
    join(dir, 'b.yml'),
    `apiVersion: v1\nkind: List\nitems:\n  - ${JSON.stringify({ apiVersion: 'ram-delegation.dev/v1alpha1', kind: 'CrossAccountDelegation', metadata: { name: 'two' }, spec: {} })}\n`,
  );
  writeFileSync(join(dir, 'notes.txt'), 'not a manifest');

  it('reads files, directories, lists and stdin, keeping only CrossAccountDelegations', async () => {
    const found = await readManifests([dir, '-'], async () => delegation('three'));
    expect(found.map((m) => [m.name, m.namespace])).toEqual([
      ['one', 'team'],
      ['two', undefined],
      ['three', undefined],
    ]);
    expect(found[0]).toMatchObject({
      annotations: { 'ram-delegation.dev/rotate-access-keys': 'r1' },
      spec: { suspend: true },
    });
  });

  it('names the file of a broken manifest', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'kind: [unclosed');
    await expect(readManifests([broken], async () => '')).rejects.toThrow(/broken\.yaml/);
  });
});

describe('read-only ports', () => {
  it('let reads through and refuse every write before it is sent', async () => {
    const calls: string[] = [];
    const ram = new Proxy({}, { get: (_t, name) => async () => void calls.push(String(name)) });
    const ports = readOnlyPorts({
      ram,
      sts: { getCallerIdentity: async () => ({}), assumeRole: async () => ({}) },
    } as unknown as AccountPorts);
    await ports.ram.getRole('r');
    await ports.ram.listAccessKeys('u');
    await expect(ports.ram.createRole({} as never)).rejects.toThrow(
      /plan makes no cloud write: RAM createRole/,
    );
    await expect(ports.ram.updateAccessKey('u', 'k', 'Inactive')).rejects.toThrow(/updateAccessKey/);
    await expect(ports.sts.assumeRole({} as never)).rejects.toThrow(/assumeRole/);
    expect(calls).toEqual(['getRole', 'listAccessKeys']);
  });
});
