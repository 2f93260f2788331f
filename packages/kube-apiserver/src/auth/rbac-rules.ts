/**
 * RBAC's matching rules, as rbac/v1 helpers define them: a PolicyRule allows a request when its verbs,
 * API groups, resources (`*`, `resource/subresource`, `*\/subresource`) and resourceNames all match, or,
 * for non-resource requests, its verbs and nonResourceURLs (exact, `*`, or a `prefix*`). A binding
 * subject applies to a user by name (User), group membership (Group) or ServiceAccount username.
 */
import type { RequestAttributes } from './attributes.js';
import { splitServiceAccountUsername, type UserInfo } from './user.js';

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind?: string;
  apiGroup?: string;
  name?: string;
  namespace?: string;
}

const ALL = '*';

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === ALL || v === verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string | undefined): boolean {
  return (rule.resources ?? []).some(
    (r) => r === ALL || r === combined || (subresource !== undefined && r === `*/${subresource}`),
  );
}

function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (name !== undefined && names.includes(name));
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (url) => url === ALL || url === path || (url.endsWith(ALL) && path.startsWith(url.slice(0, -1))),
  );
}

/** Whether one rule allows the request. */
export function ruleAllows(rule: PolicyRule, attributes: RequestAttributes): boolean {
  if (!verbMatches(rule, attributes.verb)) return false;
  if (attributes.kind === 'nonResource') return nonResourceUrlMatches(rule, attributes.path);
  const subresource = attributes.subresource || undefined;
  const combined = subresource ? `${attributes.resource}/${subresource}` : attributes.resource;
  return (
    apiGroupMatches(rule, attributes.group) &&
    resourceMatches(rule, combined, subresource) &&
    resourceNameMatches(rule, attributes.name)
  );
}

/**
 * Whether a binding subject names this user. A ServiceAccount subject without a namespace means the
 * binding's own namespace (none for a ClusterRoleBinding, where it then matches nobody).
 */
export function subjectAppliesTo(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return subject.name !== undefined && user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      const account = splitServiceAccountUsername(user.username);
      return namespace !== '' && account?.namespace === namespace && account.name === subject.name;
    }
    default:
      return false;
  }
}

/** How RBAC names a subject in its reasons: `ServiceAccount "sa/ns"`, `Group "g"`. */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  const name =
    subject.kind === 'ServiceAccount'
      ? `${subject.name ?? ''}/${subject.namespace || bindingNamespace}`
      : (subject.name ?? '');
  return `${subject.kind ?? ''} ${JSON.stringify(name)}`;
}
