import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authenticator.js';
import { impersonate } from '../../src/auth/impersonation.js';
import { RbacAuthorizer } from '../../src/auth/rbac-authorizer.js';
import {
  API_AUDIENCE,
  ServiceAccountTokens,
  type TokenClaims,
} from '../../src/auth/service-account-tokens.js';
import { ADMIN_USER, type UserInfo } from '../../src/auth/user.js';
import { ApiError } from '../../src/errors.js';
import { ObjectStore } from '../../src/store.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  namespace: 'team',
  serviceAccount: { name: 'bot', uid: 'uid-1' },
  audiences: [API_AUDIENCE],
  issuedAt: NOW / 1000,
  expiresAt: NOW / 1000 + 3600,
  ...overrides,
});

function setup() {
  const store = new ObjectStore();
  store.put('/serviceaccounts', { metadata: { name: 'bot', namespace: 'team', uid: 'uid-1' } });
  store.put('/secrets', { metadata: { name: 'bound', namespace: 'team', uid: 'secret-1' } });
  const tokens = new ServiceAccountTokens(Buffer.alloc(32, 7));
  let now = NOW;
  const authenticator = new Authenticator('admin-token', tokens, store, () => new Date(now));
  return { store, tokens, authenticator, advance: (ms: number) => (now += ms) };
}

function status(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.code : -1;
  }
}

describe('ServiceAccount tokens', () => {
  it('round-trips the claims and refuses a tampered or foreign token', () => {
    const { tokens } = setup();
    const token = tokens.sign(claims());
    expect(tokens.verify(token)).toEqual(claims());
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(payload ?? '', 'base64url')
      .toString()
      .replace('"bot"', '"admin"');
    expect(
      tokens.verify(`${header}.${Buffer.from(forged).toString('base64url')}.${signature}`),
    ).toBeUndefined();
    expect(new ServiceAccountTokens(Buffer.alloc(32, 8)).verify(token)).toBeUndefined();
    expect(tokens.verify('not.a.jwt')).toBeUndefined();
  });

  it('carries the subject and issuer a real token carries', () => {
    const { tokens } = setup();
    const payload = JSON.parse(
      Buffer.from(tokens.sign(claims()).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload).toMatchObject({
      sub: 'system:serviceaccount:team:bot',
      iss: API_AUDIENCE,
      aud: [API_AUDIENCE],
      'kubernetes.io': { namespace: 'team', serviceaccount: { name: 'bot', uid: 'uid-1' } },
    });
  });
});

describe('authentication', () => {
  it('authenticates the admin token as system:masters and a ServiceAccount token as the account', () => {
    const { tokens, authenticator } = setup();
    expect(authenticator.authenticate('Bearer admin-token')).toEqual(ADMIN_USER);
    expect(authenticator.authenticate(`Bearer ${tokens.sign(claims())}`)).toEqual({
      username: 'system:serviceaccount:team:bot',
      uid: 'uid-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    });
  });

  it.each<[string, (s: ReturnType<typeof setup>) => string]>([
    ['no header', () => ''],
    ['a wrong admin token', () => 'Bearer admin-tokem'],
    ['an expired token', (s) => s.tokens.sign(claims({ expiresAt: NOW / 1000 - 1 }))],
    ['another audience', (s) => s.tokens.sign(claims({ audiences: ['vault'] }))],
    [
      'a token of a deleted ServiceAccount',
      (s) => s.tokens.sign(claims({ serviceAccount: { name: 'gone', uid: 'x' } })),
    ],
    [
      'a token of a recreated ServiceAccount',
      (s) => s.tokens.sign(claims({ serviceAccount: { name: 'bot', uid: 'old' } })),
    ],
    [
      'a token bound to a deleted Secret',
      (s) => s.tokens.sign(claims({ secret: { name: 'bound', uid: 'old' } })),
    ],
  ])('answers 401 for %s', (_, token) => {
    const s = setup();
    const value = token(s);
    const header = value === '' || value.startsWith('Bearer') ? value : `Bearer ${value}`;
    expect(status(() => s.authenticator.authenticate(header))).toBe(401);
  });

  it('stops accepting a token once it expires', () => {
    const s = setup();
    const header = `Bearer ${s.tokens.sign(claims({ expiresAt: NOW / 1000 + 600 }))}`;
    expect(s.authenticator.authenticate(header).username).toBe('system:serviceaccount:team:bot');
    s.advance(600_000);
    expect(status(() => s.authenticator.authenticate(header))).toBe(401);
  });
});

describe('impersonation', () => {
  const authorizer = new RbacAuthorizer(new ObjectStore());
  const authorize = (u: UserInfo, a: Parameters<RbacAuthorizer['authorize']>[1]) =>
    authorizer.authorize(u, a);

  it.each<[string, Record<string, string[]>, UserInfo]>([
    [
      'a ServiceAccount gets its groups',
      { 'impersonate-user': ['system:serviceaccount:team:bot'] },
      {
        username: 'system:serviceaccount:team:bot',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
      },
    ],
    [
      'named groups replace the ServiceAccount groups',
      { 'impersonate-user': ['system:serviceaccount:team:bot'], 'impersonate-group': ['devs', 'ops'] },
      { username: 'system:serviceaccount:team:bot', groups: ['devs', 'ops', 'system:authenticated'] },
    ],
    ['a user', { 'impersonate-user': ['alice'] }, { username: 'alice', groups: ['system:authenticated'] }],
    [
      'uid and extras',
      { 'impersonate-user': ['alice'], 'impersonate-uid': ['42'], 'impersonate-extra-scopes': ['a', 'b'] },
      { username: 'alice', uid: '42', groups: ['system:authenticated'], extra: { scopes: ['a', 'b'] } },
    ],
  ])('lets the admin impersonate %s', (_, headers, expected) => {
    expect(impersonate(ADMIN_USER, headers, authorize)).toEqual(expected);
  });

  it('refuses a caller without the impersonate verb, naming what it tried', () => {
    const bot: UserInfo = { username: 'system:serviceaccount:team:bot', groups: ['system:authenticated'] };
    expect(() =>
      impersonate(bot, { 'impersonate-user': ['system:serviceaccount:kube-system:admin'] }, authorize),
    ).toThrow(
      'serviceaccounts "admin" is forbidden: User "system:serviceaccount:team:bot" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"',
    );
    expect(() => impersonate(bot, { 'impersonate-user': ['alice'] }, authorize)).toThrow(
      'users "alice" is forbidden: User "system:serviceaccount:team:bot" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('refuses groups without a user, and changes nothing without headers', () => {
    expect(status(() => impersonate(ADMIN_USER, { 'impersonate-group': ['x'] }, authorize))).toBe(500);
    expect(impersonate(ADMIN_USER, { accept: ['*/*'] }, authorize)).toBe(ADMIN_USER);
  });
});
