/**
 * The self reviews kubectl asks for: SelfSubjectAccessReview (`kubectl auth can-i`), its `--list` form
 * SelfSubjectRulesReview, and SelfSubjectReview (`kubectl auth whoami`). Each answers for the user the
 * request runs as (after impersonation), evaluated by the same authorizer that guards every request.
 */
import { badRequest, fieldError, invalid } from '../errors.js';
import type { RequestScope } from '../resource-type.js';
import { isJsonObject, str, type JsonObject, type KubeObject } from '../types.js';
import type { RequestAttributes } from './attributes.js';
import type { PolicyRule } from './rbac-rules.js';
import { isPrivileged } from './user.js';

const AUTHORIZATION = 'authorization.k8s.io';

function answer(body: KubeObject, status: JsonObject): KubeObject {
  return {
    apiVersion: body.apiVersion,
    kind: body.kind,
    metadata: { ...body.metadata, creationTimestamp: null },
    ...(body.spec === undefined ? {} : { spec: body.spec }),
    status,
  };
}

/** The attributes a review's spec asks about, or a 422 when it asks about both kinds or neither. */
function reviewedAttributes(spec: JsonObject): RequestAttributes {
  const resource = spec.resourceAttributes;
  const nonResource = spec.nonResourceAttributes;
  const name = 'SelfSubjectAccessReview';
  if (isJsonObject(resource) && isJsonObject(nonResource)) {
    throw invalid(AUTHORIZATION, name, '', [
      fieldError(
        'FieldValueInvalid',
        'spec.nonResourceAttributes',
        'cannot be specified in combination with resourceAttributes',
        `authorization.NonResourceAttributes{Path:${JSON.stringify(str(nonResource.path))}, Verb:${JSON.stringify(str(nonResource.verb))}}`,
      ),
    ]);
  }
  if (isJsonObject(nonResource)) {
    return { kind: 'nonResource', verb: str(nonResource.verb), path: str(nonResource.path) };
  }
  if (!isJsonObject(resource)) {
    throw invalid(AUTHORIZATION, name, '', [
      fieldError(
        'FieldValueInvalid',
        'spec.resourceAttributes',
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
        '"null"',
      ),
    ]);
  }
  return {
    kind: 'resource',
    verb: str(resource.verb),
    group: str(resource.group),
    version: str(resource.version) || undefined,
    resource: str(resource.resource),
    subresource: str(resource.subresource) || undefined,
    namespace: str(resource.namespace) || undefined,
    name: str(resource.name) || undefined,
  };
}

export function selfSubjectAccessReview(body: KubeObject, scope: RequestScope): KubeObject {
  const spec = isJsonObject(body.spec) ? body.spec : {};
  const decision = scope.authorizer.authorize(scope.user, reviewedAttributes(spec));
  const status: JsonObject = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return answer(body, status);
}

const ALL_RULES: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** Every rule that applies to the user in one namespace, split into resource and non-resource rules. */
export function selfSubjectRulesReview(body: KubeObject, scope: RequestScope): KubeObject {
  const spec = isJsonObject(body.spec) ? body.spec : {};
  const namespace = str(spec.namespace);
  if (!namespace) throw badRequest('no namespace on request');
  const { bound, errors } = scope.authorizer.rulesFor(scope.user, namespace);
  const rules = [...(isPrivileged(scope.user) ? ALL_RULES : []), ...bound.flatMap((b) => b.rules)];
  const resourceRules = rules
    .filter((r) => !r.nonResourceURLs?.length)
    .map((r) => ({
      verbs: r.verbs ?? [],
      apiGroups: r.apiGroups ?? [],
      resources: r.resources ?? [],
      ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
    }));
  const nonResourceRules = rules
    .filter((r) => r.nonResourceURLs?.length)
    .map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs ?? [] }));
  const status: JsonObject = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length > 0) status.evaluationError = errors.join(', ');
  return answer(body, status);
}

export function selfSubjectReview(body: KubeObject, scope: RequestScope): KubeObject {
  const { username, uid, groups, extra } = scope.user;
  const userInfo: JsonObject = { username, groups };
  if (uid) userInfo.uid = uid;
  if (extra) userInfo.extra = extra;
  return answer(body, { userInfo });
}
