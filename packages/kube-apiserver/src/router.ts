/** Parses a request path into what it addresses, following the real server's RequestInfo rules. */

export type Route =
  | { kind: 'version' | 'health' | 'api' | 'apis' | 'openapiRoot' | 'openapiV2' | 'faults' | 'unknown' }
  | { kind: 'group'; group: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'openapiDocument'; group: string; version: string }
  | {
      kind: 'resource';
      group: string;
      version: string;
      namespace?: string;
      resource: string;
      name?: string;
      subresource?: string;
      /** Legacy `/watch/` path prefix. */
      watchPath: boolean;
    };

/** Subresources of a namespace that would otherwise read as a resource type inside it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  const [head] = parts;
  if (head === 'version') return { kind: 'version' };
  if (head === 'healthz' || head === 'livez' || head === 'readyz') return { kind: 'health' };
  if (head === '_kube')
    return parts.length === 2 && parts[1] === 'faults' ? { kind: 'faults' } : { kind: 'unknown' };
  if (head === 'openapi') {
    if (parts[1] === 'v2') return { kind: 'openapiV2' };
    if (parts[1] !== 'v3') return { kind: 'unknown' };
    if (parts.length === 2) return { kind: 'openapiRoot' };
    if (parts[2] === 'api' && parts.length === 4)
      return { kind: 'openapiDocument', group: '', version: parts[3] ?? '' };
    if (parts[2] === 'apis' && parts.length === 5) {
      return { kind: 'openapiDocument', group: parts[3] ?? '', version: parts[4] ?? '' };
    }
    return { kind: 'unknown' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (head === 'api') {
    if (parts.length === 1) return { kind: 'api' };
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (head === 'apis') {
    if (parts.length === 1) return { kind: 'apis' };
    group = parts[1] ?? '';
    if (parts.length === 2) return { kind: 'group', group };
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return { kind: 'unknown' };
  }
  if (rest.length === 0) return { kind: 'groupVersion', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return { kind: 'unknown' };
  return {
    kind: 'resource',
    group,
    version,
    namespace,
    resource: rest[0] ?? '',
    name: rest[1],
    subresource: rest[2],
    watchPath,
  };
}
