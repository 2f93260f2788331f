import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubeApiServer } from '../../src/index.js';
import { kubectlFor, type Kubectl } from '../../src/kubectl.js';
import { startTestServer } from '../integration/support.js';

let server: RunningKubeApiServer;
let admin: Kubectl;
let bot: Kubectl;
const dir = mkdtempSync(join(tmpdir(), 'kubectl-rbac-'));
const BOT = 'system:serviceaccount:team:bot';

async function ok(run: Kubectl, args: string[]): Promise<string> {
  const result = await run(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

beforeAll(async () => {
  server = await startTestServer();
  admin = kubectlFor(server);
  expect(await ok(admin, ['create', 'namespace', 'team'])).toBe('namespace/team created');
});

afterAll(async () => {
  await server.stop();
});

describe('ServiceAccounts and RBAC through kubectl create (protobuf bodies)', () => {
  it('creates a ServiceAccount, a Role, a RoleBinding, a ClusterRole and a ClusterRoleBinding', async () => {
    expect(await ok(admin, ['create', 'serviceaccount', 'bot', '-n', 'team'])).toBe(
      'serviceaccount/bot created',
    );
    expect(
      await ok(admin, [
        'create',
        'role',
        'reader',
        '-n',
        'team',
        '--verb=get,list,watch',
        '--resource=configmaps,secrets',
      ]),
    ).toBe('role.rbac.authorization.k8s.io/reader created');
    expect(
      await ok(admin, [
        'create',
        'rolebinding',
        'bot-reader',
        '-n',
        'team',
        '--role=reader',
        '--serviceaccount=team:bot',
      ]),
    ).toBe('rolebinding.rbac.authorization.k8s.io/bot-reader created');
    expect(
      await ok(admin, [
        'create',
        'clusterrole',
        'team-viewer',
        '--verb=get',
        '--resource=namespaces',
        '--resource-name=team',
      ]),
    ).toBe('clusterrole.rbac.authorization.k8s.io/team-viewer created');
    expect(
      await ok(admin, [
        'create',
        'clusterrolebinding',
        'team-viewers',
        '--clusterrole=team-viewer',
        '--serviceaccount=team:bot',
        '--user=alice',
        '--group=auditors',
      ]),
    ).toBe('clusterrolebinding.rbac.authorization.k8s.io/team-viewers created');

    const role = JSON.parse(await ok(admin, ['get', 'role', 'reader', '-n', 'team', '-o', 'json']));
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] },
    ]);
    const clusterRole = JSON.parse(await ok(admin, ['get', 'clusterrole', 'team-viewer', '-o', 'json']));
    expect(clusterRole.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces'], resourceNames: ['team'], verbs: ['get'] },
    ]);
    const binding = JSON.parse(
      await ok(admin, ['get', 'rolebinding', 'bot-reader', '-n', 'team', '-o', 'json']),
    );
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'bot', namespace: 'team' }]);
    const clusterBinding = JSON.parse(
      await ok(admin, ['get', 'clusterrolebinding', 'team-viewers', '-o', 'json']),
    );
    expect(clusterBinding.subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'auditors' },
      { kind: 'ServiceAccount', name: 'bot', namespace: 'team' },
    ]);
  });

  it('refuses a ClusterRoleBinding to a Role with the real validation message', async () => {
    const invalid = await admin(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'bad' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
      }),
    );
    expect(invalid.stderr).toContain(
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    );
    expect(invalid.stderr).toContain('subjects[0].namespace: Required value');
  });
});

describe('kubectl create token and the ServiceAccount it authenticates', () => {
  it('issues a token and refuses a missing ServiceAccount or a too short duration', async () => {
    const token = await ok(admin, ['create', 'token', 'bot', '-n', 'team', '--duration=30m']);
    expect(token.split('.')).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload.sub).toBe(BOT);
    expect(payload.exp - payload.iat).toBe(1800);
    await server.writeKubeconfig(join(dir, 'bot'), token, 'team');
    bot = kubectlFor(server, join(dir, 'bot'));

    const missing = await admin(['create', 'token', 'nobody', '-n', 'team']);
    expect(missing.stderr.trim()).toBe('error: failed to create token: serviceaccounts "nobody" not found');
    const short = await admin(['create', 'token', 'bot', '-n', 'team', '--duration=5m']);
    expect(short.stderr.trim()).toBe(
      'error: failed to create token: TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes',
    );
  });

  it('binds a token to a Secret with --bound-object-kind', async () => {
    await ok(admin, ['create', 'secret', 'generic', 'db', '-n', 'team', '--from-literal=k=v']);
    const uid = await ok(admin, ['get', 'secret', 'db', '-n', 'team', '-o', 'jsonpath={.metadata.uid}']);
    const token = await ok(admin, [
      'create',
      'token',
      'bot',
      '-n',
      'team',
      '--bound-object-kind=Secret',
      '--bound-object-name=db',
    ]);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload['kubernetes.io'].secret).toEqual({ name: 'db', uid });
    const missing = await admin([
      'create',
      'token',
      'bot',
      '-n',
      'team',
      '--bound-object-kind=Secret',
      '--bound-object-name=nope',
    ]);
    expect(missing.stderr).toContain('cannot find secret team/nope: secrets "nope" not found');
  });

  it('lets the token do what its bindings allow', async () => {
    expect(await ok(bot, ['get', 'secrets', '-o', 'name'])).toBe('secret/db');
    expect(await ok(bot, ['get', 'namespace', 'team', '-o', 'name'])).toBe('namespace/team');
    expect(await ok(bot, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).toBe(BOT);
  });

  it.each([
    [
      ['get', 'secrets', '-n', 'default'],
      `Error from server (Forbidden): secrets is forbidden: User "${BOT}" cannot list resource "secrets" in API group "" in the namespace "default"`,
    ],
    [
      ['delete', 'secret', 'db'],
      `Error from server (Forbidden): secrets "db" is forbidden: User "${BOT}" cannot delete resource "secrets" in API group "" in the namespace "team"`,
    ],
    [
      ['get', 'namespaces'],
      `Error from server (Forbidden): namespaces is forbidden: User "${BOT}" cannot list resource "namespaces" in API group "" at the cluster scope`,
    ],
    [
      ['get', 'namespace', 'default'],
      `Error from server (Forbidden): namespaces "default" is forbidden: User "${BOT}" cannot get resource "namespaces" in API group "" in the namespace "default"`,
    ],
    [
      ['create', 'token', 'bot'],
      `error: failed to create token: serviceaccounts "bot" is forbidden: User "${BOT}" cannot create resource "serviceaccounts/token" in API group "" in the namespace "team"`,
    ],
    [
      ['get', '--raw', '/logs'],
      `Error from server (Forbidden): forbidden: User "${BOT}" cannot get path "/logs"`,
    ],
  ])('refuses kubectl %j outside its bindings with 403 Forbidden', async (args, message) => {
    const result = await bot(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('is refused impersonation', async () => {
    const result = await bot(['get', 'secrets', '--as', 'alice']);
    expect(result.stderr).toContain(
      `Error from server (Forbidden): users "alice" is forbidden: User "${BOT}" cannot impersonate resource "users" in API group "" at the cluster scope`,
    );
  });
});

describe('kubectl auth can-i', () => {
  it.each([
    [['list', 'secrets', '-n', 'team'], 'yes'],
    [['watch', 'configmaps', '-n', 'team'], 'yes'],
    [['delete', 'secrets', '-n', 'team'], 'no'],
    [['list', 'secrets', '-n', 'default'], 'no'],
    [['get', 'namespaces/team'], 'yes'],
    [['get', 'namespaces/default'], 'no'],
    [['create', 'selfsubjectaccessreviews.authorization.k8s.io'], 'yes'],
  ])('answers %j for the ServiceAccount itself and through --as', async (args, answer) => {
    const own = await bot(['auth', 'can-i', ...args]);
    const as = await admin(['auth', 'can-i', ...args, '--as', BOT]);
    for (const result of [own, as]) {
      expect(result.stdout.trim()).toBe(answer);
      expect(result.code).toBe(answer === 'yes' ? 0 : 1);
    }
  });

  it('answers for users and groups given with --as and --as-group', async () => {
    expect((await admin(['auth', 'can-i', 'get', 'namespaces/team', '--as', 'alice'])).stdout.trim()).toBe(
      'yes',
    );
    expect((await admin(['auth', 'can-i', 'get', 'namespaces/team', '--as', 'bob'])).stdout.trim()).toBe(
      'no',
    );
    const group = await admin([
      'auth',
      'can-i',
      'get',
      'namespaces/team',
      '--as',
      'bob',
      '--as-group',
      'auditors',
    ]);
    expect(group.stdout.trim()).toBe('yes');
    const masters = await admin([
      'auth',
      'can-i',
      'delete',
      'namespaces',
      '--as',
      'bob',
      '--as-group',
      'system:masters',
    ]);
    expect(masters.stdout.trim()).toBe('yes');
  });

  it('says yes to everything for the admin', async () => {
    expect(await ok(admin, ['auth', 'can-i', '*', '*'])).toBe('yes');
  });

  it('lists the rules of the ServiceAccount with --list', async () => {
    const list = await ok(bot, ['auth', 'can-i', '--list']);
    expect(list).toMatch(/^secrets\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(list).toMatch(/^namespaces\s+\[\]\s+\[team\]\s+\[get\]$/m);
    expect(list).toMatch(/^\s+\[\/apis\/\*\]\s+\[\]\s+\[get\]$/m);
  });
});

describe('revocation', () => {
  it('answers 401 Unauthorized once the ServiceAccount is deleted', async () => {
    await ok(admin, ['delete', 'serviceaccount', 'bot', '-n', 'team']);
    const result = await bot(['get', 'secrets']);
    expect(result.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    await ok(admin, ['create', 'serviceaccount', 'bot', '-n', 'team']);
    expect((await bot(['get', 'secrets'])).stderr).toContain('(Unauthorized)');
  });
});
