/**
 * rbac.authorization.k8s.io/v1 Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, validated
 * and defaulted as the real server does (rbac validation: verbs required, resource rules need API groups
 * and resources, non-resource URLs only in ClusterRoles, roleRef kinds and immutability, subject kinds
 * and API groups). The RBAC authorizer reads them from the store; aggregation rules are kept but not
 * acted on.
 */
import { fieldError } from '../errors.js';
import type { ResourceType } from '../resource-type.js';
import type { FieldError } from '../schema/contract.js';
import { isJsonObject, jsonEqual, str, type KubeObject } from '../types.js';
import { AGE_COLUMN, NAME_COLUMN, age, builtinType } from './define.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

const goStrings = (list: unknown[]): string => `[]string{${list.map((v) => JSON.stringify(v)).join(', ')}}`;
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function validateRule(rule: unknown, namespaced: boolean, at: string): FieldError[] {
  if (!isJsonObject(rule)) return [fieldError('FieldValueInvalid', at, 'must be an object', '{}')];
  const errors: FieldError[] = [];
  if (listOf(rule.verbs).length === 0)
    errors.push(fieldError('FieldValueRequired', `${at}.verbs`, 'verbs must contain at least one value'));
  const urls = listOf(rule.nonResourceURLs);
  if (urls.length > 0) {
    const field = `${at}.nonResourceURLs`;
    if (namespaced)
      errors.push(
        fieldError(
          'FieldValueInvalid',
          field,
          'namespaced rules cannot apply to non-resource URLs',
          goStrings(urls),
        ),
      );
    if ([rule.apiGroups, rule.resources, rule.resourceNames].some((l) => listOf(l).length > 0))
      errors.push(
        fieldError(
          'FieldValueInvalid',
          field,
          'rules cannot apply to both regular resources and non-resource URLs',
          goStrings(urls),
        ),
      );
    return errors;
  }
  if (listOf(rule.apiGroups).length === 0)
    errors.push(
      fieldError(
        'FieldValueRequired',
        `${at}.apiGroups`,
        'resource rules must supply at least one api group',
      ),
    );
  if (listOf(rule.resources).length === 0)
    errors.push(
      fieldError('FieldValueRequired', `${at}.resources`, 'resource rules must supply at least one resource'),
    );
  return errors;
}

function validateRules(object: KubeObject, namespaced: boolean): FieldError[] {
  if (object.rules !== undefined && object.rules !== null && !Array.isArray(object.rules))
    return [fieldError('FieldValueInvalid', 'rules', 'must be a list', JSON.stringify(object.rules))];
  return listOf(object.rules).flatMap((rule, i) => validateRule(rule, namespaced, `rules[${i}]`));
}

function validateSubject(subject: unknown, namespaced: boolean, at: string): FieldError[] {
  const s = isJsonObject(subject) ? subject : {};
  const errors: FieldError[] = [];
  const name = str(s.name);
  const apiGroup = str(s.apiGroup);
  if (!name) errors.push(fieldError('FieldValueRequired', `${at}.name`, ''));
  const unsupportedGroup = (supported: string): FieldError =>
    fieldError(
      'FieldValueNotSupported',
      `${at}.apiGroup`,
      `supported values: ${JSON.stringify(supported)}`,
      JSON.stringify(apiGroup),
    );
  if (s.kind === 'ServiceAccount') {
    if (apiGroup) errors.push(unsupportedGroup(''));
    if (!namespaced && !str(s.namespace))
      errors.push(fieldError('FieldValueRequired', `${at}.namespace`, ''));
  } else if (s.kind === 'User' || s.kind === 'Group') {
    if (apiGroup !== RBAC_GROUP) errors.push(unsupportedGroup(RBAC_GROUP));
  } else {
    errors.push(
      fieldError(
        'FieldValueNotSupported',
        `${at}.kind`,
        'supported values: "ServiceAccount", "User", "Group"',
        JSON.stringify(str(s.kind)),
      ),
    );
  }
  return errors;
}

function validateBinding(object: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const ref = isJsonObject(object.roleRef) ? object.roleRef : {};
  const errors: FieldError[] = [];
  if (ref.apiGroup !== RBAC_GROUP)
    errors.push(
      fieldError(
        'FieldValueNotSupported',
        'roleRef.apiGroup',
        `supported values: ${JSON.stringify(RBAC_GROUP)}`,
        JSON.stringify(str(ref.apiGroup)),
      ),
    );
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref.kind)))
    errors.push(
      fieldError(
        'FieldValueNotSupported',
        'roleRef.kind',
        `supported values: ${kinds.map((k) => JSON.stringify(k)).join(', ')}`,
        JSON.stringify(str(ref.kind)),
      ),
    );
  if (!str(ref.name)) errors.push(fieldError('FieldValueRequired', 'roleRef.name', ''));
  listOf(object.subjects).forEach((s, i) => errors.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  if (old && !jsonEqual(old.roleRef, object.roleRef))
    errors.push(
      fieldError('FieldValueInvalid', 'roleRef', 'cannot change roleRef', JSON.stringify(object.roleRef)),
    );
  return errors;
}

/** User and Group subjects default their apiGroup to RBAC's, as SetDefaults_Subject does. */
function defaultSubjects(object: KubeObject): void {
  for (const subject of listOf(object.subjects)) {
    if (isJsonObject(subject) && !subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group'))
      subject.apiGroup = RBAC_GROUP;
  }
}

const table = { columns: [NAME_COLUMN, AGE_COLUMN], cells: (o: KubeObject) => [o.metadata.name, age(o)] };

const rbacType = (resource: string, kind: string, namespaced: boolean, binding: boolean): ResourceType =>
  builtinType({
    group: RBAC_GROUP,
    version: 'v1',
    resource,
    kind,
    namespaced,
    hooks: {
      knownFields: binding
        ? ['apiVersion', 'kind', 'metadata', 'subjects', 'roleRef']
        : ['apiVersion', 'kind', 'metadata', 'rules', 'aggregationRule'],
      normalize: binding ? defaultSubjects : undefined,
      validate: binding
        ? (object, old) => validateBinding(object, old, namespaced)
        : (object) => validateRules(object, namespaced),
      table,
    },
  });

export const roleType = rbacType('roles', 'Role', true, false);
export const roleBindingType = rbacType('rolebindings', 'RoleBinding', true, true);
export const clusterRoleType = rbacType('clusterroles', 'ClusterRole', false, false);
export const clusterRoleBindingType = rbacType('clusterrolebindings', 'ClusterRoleBinding', false, true);

export const rbacKinds: ResourceType[] = [roleType, roleBindingType, clusterRoleType, clusterRoleBindingType];
