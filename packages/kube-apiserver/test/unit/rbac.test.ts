import { describe, expect, it } from 'vitest';
import { forbiddenMessage, requestAttributes, type RequestAttributes } from '../../src/auth/attributes.js';
import { forbiddenError } from '../../src/auth/forbidden.js';
import { RbacAuthorizer } from '../../src/auth/rbac-authorizer.js';
import { ruleAllows, subjectAppliesTo, type PolicyRule, type Subject } from '../../src/auth/rbac-rules.js';
import { ADMIN_USER, type UserInfo } from '../../src/auth/user.js';
import { parseRoute } from '../../src/router.js';
import { ObjectStore } from '../../src/store.js';
import type { KubeObject } from '../../src/types.js';

const res = (
  verb: string,
  resource: string,
  extra: Partial<Extract<RequestAttributes, { kind: 'resource' }>> = {},
): RequestAttributes => ({ kind: 'resource', verb, group: '', resource, ...extra });
const path = (verb: string, p: string): RequestAttributes => ({ kind: 'nonResource', verb, path: p });

describe('RBAC rule matching', () => {
  const secretsReader: PolicyRule = { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] };
  it.each<[string, PolicyRule, RequestAttributes, boolean]>([
    ['verb listed', secretsReader, res('list', 'secrets'), true],
    ['list does not grant watch', secretsReader, res('watch', 'secrets'), false],
    ['get does not grant delete', secretsReader, res('delete', 'secrets'), false],
    [
      'delete does not grant deletecollection',
      { ...secretsReader, verbs: ['delete'] },
      res('deletecollection', 'secrets'),
      false,
    ],
    ['verb *', { ...secretsReader, verbs: ['*'] }, res('deletecollection', 'secrets'), true],
    ['other resource', secretsReader, res('list', 'configmaps'), false],
    ['other group', secretsReader, res('list', 'secrets', { group: 'apps' }), false],
    ['apiGroups *', { ...secretsReader, apiGroups: ['*'] }, res('list', 'secrets', { group: 'apps' }), true],
    ['resources *', { ...secretsReader, resources: ['*'] }, res('get', 'configmaps'), true],
    [
      'resources * covers subresources',
      { ...secretsReader, resources: ['*'] },
      res('get', 'widgets', { subresource: 'status' }),
      true,
    ],
    [
      'plain resource does not cover a subresource',
      { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['update'] },
      res('update', 'widgets', { group: 'example.com', subresource: 'status' }),
      false,
    ],
    [
      'resource/subresource',
      { apiGroups: ['example.com'], resources: ['widgets/status'], verbs: ['update'] },
      res('update', 'widgets', { group: 'example.com', subresource: 'status' }),
      true,
    ],
    [
      'resource/subresource does not cover the resource',
      { apiGroups: ['example.com'], resources: ['widgets/status'], verbs: ['update'] },
      res('update', 'widgets', { group: 'example.com' }),
      false,
    ],
    [
      '*/subresource',
      { apiGroups: [''], resources: ['*/token'], verbs: ['create'] },
      res('create', 'serviceaccounts', { subresource: 'token' }),
      true,
    ],
    [
      '*/subresource is not another subresource',
      { apiGroups: [''], resources: ['*/token'], verbs: ['create'] },
      res('create', 'serviceaccounts', { subresource: 'status' }),
      false,
    ],
    [
      'resourceNames match',
      { ...secretsReader, resourceNames: ['a'] },
      res('get', 'secrets', { name: 'a' }),
      true,
    ],
    [
      'resourceNames other name',
      { ...secretsReader, resourceNames: ['a'] },
      res('get', 'secrets', { name: 'b' }),
      false,
    ],
    [
      'resourceNames never match an unnamed list',
      { ...secretsReader, resourceNames: ['a'] },
      res('list', 'secrets'),
      false,
    ],
    [
      'nonResourceURL exact',
      { nonResourceURLs: ['/version'], verbs: ['get'] },
      path('get', '/version'),
      true,
    ],
    [
      'nonResourceURL prefix*',
      { nonResourceURLs: ['/apis/*'], verbs: ['get'] },
      path('get', '/apis/example.com/v1'),
      true,
    ],
    [
      'nonResourceURL prefix* does not match the bare prefix',
      { nonResourceURLs: ['/apis/*'], verbs: ['get'] },
      path('get', '/apis'),
      false,
    ],
    ['nonResourceURL *', { nonResourceURLs: ['*'], verbs: ['*'] }, path('put', '/anything'), true],
    ['resource rule never matches a path', secretsReader, path('get', '/api'), false],
    [
      'path rule never matches a resource',
      { nonResourceURLs: ['*'], verbs: ['*'] },
      res('get', 'secrets'),
      false,
    ],
  ])('%s', (_, rule, attributes, allowed) => {
    expect(ruleAllows(rule, attributes)).toBe(allowed);
  });
});

describe('RBAC subjects', () => {
  const sa: UserInfo = {
    username: 'system:serviceaccount:team:bot',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
  };
  it.each<[string, Subject, string, boolean]>([
    ['ServiceAccount with namespace', { kind: 'ServiceAccount', name: 'bot', namespace: 'team' }, '', true],
    ['ServiceAccount in the binding namespace', { kind: 'ServiceAccount', name: 'bot' }, 'team', true],
    ['ServiceAccount without any namespace', { kind: 'ServiceAccount', name: 'bot' }, '', false],
    [
      'ServiceAccount of another namespace',
      { kind: 'ServiceAccount', name: 'bot', namespace: 'other' },
      'team',
      false,
    ],
    ['User by full name', { kind: 'User', name: 'system:serviceaccount:team:bot' }, '', true],
    ['Group of the namespace', { kind: 'Group', name: 'system:serviceaccounts:team' }, '', true],
    ['Group not held', { kind: 'Group', name: 'system:masters' }, '', false],
    ['unknown kind', { kind: 'Robot', name: 'bot' }, 'team', false],
  ])('%s', (_, subject, bindingNamespace, applies) => {
    expect(subjectAppliesTo(subject, sa, bindingNamespace)).toBe(applies);
  });
});

describe('request attributes', () => {
  const attrs = (method: string, url: string) => {
    const parsed = new URL(url, 'https://x');
    return requestAttributes(parseRoute(parsed.pathname), method, parsed.pathname, parsed.searchParams);
  };
  it.each<[string, string, Partial<RequestAttributes>]>([
    ['GET', '/api/v1/namespaces/ns/secrets', { verb: 'list', resource: 'secrets', namespace: 'ns' }],
    ['GET', '/api/v1/namespaces/ns/secrets?watch=true', { verb: 'watch', namespace: 'ns' }],
    ['GET', '/api/v1/watch/namespaces/ns/secrets', { verb: 'watch', namespace: 'ns' }],
    [
      'GET',
      '/api/v1/namespaces/ns/secrets?watch=1&fieldSelector=metadata.name%3Da',
      { verb: 'watch', name: 'a' },
    ],
    ['GET', '/api/v1/namespaces/ns/secrets/a', { verb: 'get', name: 'a' }],
    ['DELETE', '/api/v1/namespaces/ns/secrets', { verb: 'deletecollection' }],
    ['DELETE', '/api/v1/namespaces/ns/secrets/a', { verb: 'delete', name: 'a' }],
    [
      'POST',
      '/api/v1/namespaces/ns/serviceaccounts/bot/token',
      { verb: 'create', subresource: 'token', name: 'bot' },
    ],
    [
      'PATCH',
      '/apis/example.com/v1/widgets/w/status',
      { verb: 'patch', group: 'example.com', subresource: 'status' },
    ],
    [
      'GET',
      '/api/v1/namespaces/team',
      { verb: 'get', resource: 'namespaces', namespace: 'team', name: 'team' },
    ],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: undefined }],
    ['GET', '/apis/example.com/v1', { kind: 'nonResource', verb: 'get', path: '/apis/example.com/v1' }],
    ['PUT', '/_kube/faults', { kind: 'nonResource', verb: 'put', path: '/_kube/faults' }],
  ])('%s %s', (method, url, expected) => {
    expect(attrs(method, url)).toMatchObject(expected);
  });
});

describe('the Forbidden message', () => {
  const user: UserInfo = { username: 'system:serviceaccount:ns:sa', groups: [] };
  it.each<[RequestAttributes, string]>([
    [
      res('list', 'secrets', { namespace: 'default' }),
      'secrets is forbidden: User "system:serviceaccount:ns:sa" cannot list resource "secrets" in API group "" in the namespace "default"',
    ],
    [
      res('get', 'widgets', { group: 'example.com', name: 'w1', subresource: 'status' }),
      'widgets.example.com "w1" is forbidden: User "system:serviceaccount:ns:sa" cannot get resource "widgets/status" in API group "example.com" at the cluster scope',
    ],
    [path('get', '/foo'), 'forbidden: User "system:serviceaccount:ns:sa" cannot get path "/foo"'],
  ])('%j', (attributes, message) => {
    const error = forbiddenError(user, attributes, '');
    expect(error.message).toBe(message);
    expect(error.toStatus()).toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('names the resource and group in the details and appends the reason', () => {
    const attributes = res('get', 'widgets', { group: 'example.com', name: 'w1', namespace: 'a' });
    const error = forbiddenError(user, attributes, 'RBAC: role.rbac.authorization.k8s.io "x" not found');
    expect(error.message).toBe(
      `widgets.example.com "w1" is forbidden: ${forbiddenMessage(user, attributes)}: RBAC: role.rbac.authorization.k8s.io "x" not found`,
    );
    expect(error.details).toEqual({ name: 'w1', group: 'example.com', kind: 'widgets' });
  });
});

describe('RBAC authorizer over stored roles and bindings', () => {
  const store = new ObjectStore();
  const put = (
    resource: string,
    object: Omit<KubeObject, 'metadata'> & { metadata: { name: string; namespace?: string; uid?: string } },
  ) =>
    store.put(`rbac.authorization.k8s.io/${resource}`, {
      ...object,
      metadata: { uid: 'u', ...object.metadata },
    });
  const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  put('roles', {
    metadata: { name: 'reader', namespace: 'team' },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
  });
  put('clusterroles', {
    metadata: { name: 'lister' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
  });
  put('rolebindings', {
    metadata: { name: 'rb', namespace: 'team' },
    roleRef: roleRef('Role', 'reader'),
    subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
  });
  put('rolebindings', {
    metadata: { name: 'rb-cluster', namespace: 'team' },
    roleRef: roleRef('ClusterRole', 'lister'),
    subjects: [{ kind: 'Group', name: 'devs' }],
  });
  put('rolebindings', {
    metadata: { name: 'dangling', namespace: 'team' },
    roleRef: roleRef('Role', 'gone'),
    subjects: [{ kind: 'Group', name: 'devs' }],
  });
  const authorizer = new RbacAuthorizer(store);
  const bot: UserInfo = { username: 'system:serviceaccount:team:bot', groups: ['system:authenticated'] };
  const dev: UserInfo = { username: 'dana', groups: ['devs', 'system:authenticated'] };

  it('allows through a RoleBinding in the namespace, with the real reason', () => {
    expect(authorizer.authorize(bot, res('get', 'secrets', { namespace: 'team' }))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "rb/team" of Role "reader" to ServiceAccount "bot/team"',
    });
  });

  it('does not carry a RoleBinding to another namespace or the cluster scope', () => {
    expect(authorizer.authorize(bot, res('get', 'secrets', { namespace: 'other' })).allowed).toBe(false);
    expect(authorizer.authorize(bot, res('get', 'secrets')).allowed).toBe(false);
  });

  it('grants a ClusterRole only inside the namespace of a RoleBinding', () => {
    expect(authorizer.authorize(dev, res('list', 'configmaps', { namespace: 'team' })).allowed).toBe(true);
    expect(authorizer.authorize(dev, res('list', 'configmaps', { namespace: 'default' })).allowed).toBe(
      false,
    );
  });

  it('reports a binding to a missing role in the denial reason', () => {
    expect(authorizer.authorize(dev, res('delete', 'secrets', { namespace: 'team' }))).toEqual({
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found',
    });
  });

  it('allows system:masters everything without any binding', () => {
    expect(authorizer.authorize(ADMIN_USER, path('delete', '/anything')).allowed).toBe(true);
  });
});
