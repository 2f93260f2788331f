/**
 * What a request asks to do, as the real server's authorizer sees it (authorizer.Attributes, derived
 * like apiserver's RequestInfo): a verb on a resource (group, resource, subresource, namespace, name) or
 * a verb on a non-resource path.
 */
import type { Route } from '../router.js';
import type { UserInfo } from './user.js';

interface ResourceAttributes {
  kind: 'resource';
  verb: string;
  group: string;
  version?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

interface NonResourceAttributes {
  kind: 'nonResource';
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

const METHOD_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** The name an exact `metadata.name=` field selector pins a list or watch to, as RequestInfo reads it. */
function nameFromFieldSelector(params: URLSearchParams): string | undefined {
  const selector = params.get('fieldSelector');
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const match = /^metadata\.name==?(.*)$/.exec(term.trim());
    if (match?.[1] && !match[1].includes('/') && match[1] !== '.' && match[1] !== '..') return match[1];
  }
  return undefined;
}

/**
 * The attributes of one request. Non-resource paths use the lower-cased HTTP method as the verb; a GET
 * without a name is `list` or `watch`; a DELETE without a name is `deletecollection`. For the
 * namespaces resource the request's namespace is the namespace addressed.
 */
export function requestAttributes(
  route: Route,
  method: string,
  pathname: string,
  params: URLSearchParams,
): RequestAttributes {
  if (route.kind !== 'resource') {
    return { kind: 'nonResource', verb: method.toLowerCase(), path: pathname };
  }
  let verb = METHOD_VERBS[method] ?? method.toLowerCase();
  let name = route.name;
  const watchParam = params.get('watch') === 'true' || params.get('watch') === '1';
  if (route.watchPath) verb = 'watch';
  else if (verb === 'get' && name === undefined) verb = watchParam ? 'watch' : 'list';
  else if (verb === 'delete' && name === undefined) verb = 'deletecollection';
  if (name === undefined && (verb === 'list' || verb === 'watch')) name = nameFromFieldSelector(params);
  const namespace =
    route.resource === 'namespaces' && route.name !== undefined ? route.name : route.namespace;
  return {
    kind: 'resource',
    verb,
    group: route.group,
    version: route.version,
    resource: route.resource,
    subresource: route.subresource,
    namespace,
    name,
  };
}

/** Whether the request is a watch (which faults other than drops and latency leave alone). */
export function isWatch(attributes: RequestAttributes): boolean {
  return attributes.kind === 'resource' && attributes.verb === 'watch';
}

/**
 * The denial message of apiserver's forbiddenMessage: `User "<name>" cannot <verb> resource "<res>" in
 * API group "<group>" in the namespace "<ns>"` (or `at the cluster scope`), or `cannot <verb> path`.
 */
export function forbiddenMessage(user: UserInfo, attributes: RequestAttributes): string {
  const who = `User ${JSON.stringify(user.username)}`;
  if (attributes.kind === 'nonResource') {
    return `${who} cannot ${attributes.verb} path ${JSON.stringify(attributes.path)}`;
  }
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : attributes.resource;
  const what = `${who} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.group)}`;
  return attributes.namespace
    ? `${what} in the namespace ${JSON.stringify(attributes.namespace)}`
    : `${what} at the cluster scope`;
}
