/**
 * The protobuf field numbering (k8s.io/api generated.proto) of the kinds kubectl 1.32 posts as
 * `application/vnd.kubernetes.protobuf`, keyed `<apiVersion>/<Kind>`. Fields not listed are skipped.
 */

type Field =
  | {
      name: string;
      type:
        | 'string'
        | 'bytes'
        | 'int64'
        | 'bool'
        | 'optBool'
        | 'optInt64'
        | 'strings'
        | 'stringMap'
        | 'bytesMap'
        | 'time';
    }
  | { name: string; type: 'message' | 'messages'; message: Message };
export type Message = Record<number, Field>;

const OWNER_REFERENCE: Message = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

const OBJECT_META: Message = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64' },
  11: { name: 'labels', type: 'stringMap' },
  12: { name: 'annotations', type: 'stringMap' },
  13: { name: 'ownerReferences', type: 'messages', message: OWNER_REFERENCE },
  14: { name: 'finalizers', type: 'strings' },
};

const METADATA: Field = { name: 'metadata', type: 'message', message: OBJECT_META };

const OBJECT_REFERENCE: Message = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'namespace', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'fieldPath', type: 'string' },
};

/** rbac/v1 PolicyRule. */
const POLICY_RULE: Message = {
  1: { name: 'verbs', type: 'strings' },
  2: { name: 'apiGroups', type: 'strings' },
  3: { name: 'resources', type: 'strings' },
  4: { name: 'resourceNames', type: 'strings' },
  5: { name: 'nonResourceURLs', type: 'strings' },
};

const LABEL_SELECTOR: Message = {
  1: { name: 'matchLabels', type: 'stringMap' },
  2: {
    name: 'matchExpressions',
    type: 'messages',
    message: {
      1: { name: 'key', type: 'string' },
      2: { name: 'operator', type: 'string' },
      3: { name: 'values', type: 'strings' },
    },
  },
};

const ROLE: Message = { 1: METADATA, 2: { name: 'rules', type: 'messages', message: POLICY_RULE } };

const BINDING: Message = {
  1: METADATA,
  2: {
    name: 'subjects',
    type: 'messages',
    message: {
      1: { name: 'kind', type: 'string' },
      2: { name: 'apiGroup', type: 'string' },
      3: { name: 'name', type: 'string' },
      4: { name: 'namespace', type: 'string' },
    },
  },
  3: {
    name: 'roleRef',
    type: 'message',
    message: {
      1: { name: 'apiGroup', type: 'string' },
      2: { name: 'kind', type: 'string' },
      3: { name: 'name', type: 'string' },
    },
  },
};

const ACCESS_REVIEW_SPEC: Message = {
  1: {
    name: 'resourceAttributes',
    type: 'message',
    message: {
      1: { name: 'namespace', type: 'string' },
      2: { name: 'verb', type: 'string' },
      3: { name: 'group', type: 'string' },
      4: { name: 'version', type: 'string' },
      5: { name: 'resource', type: 'string' },
      6: { name: 'subresource', type: 'string' },
      7: { name: 'name', type: 'string' },
    },
  },
  2: {
    name: 'nonResourceAttributes',
    type: 'message',
    message: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } },
  },
};

export const PROTOBUF_KINDS: Record<string, Message> = {
  'v1/Secret': {
    1: METADATA,
    2: { name: 'data', type: 'bytesMap' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'stringMap' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ConfigMap': {
    1: METADATA,
    2: { name: 'data', type: 'stringMap' },
    3: { name: 'binaryData', type: 'bytesMap' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Namespace': {
    1: METADATA,
    2: { name: 'spec', type: 'message', message: { 1: { name: 'finalizers', type: 'strings' } } },
  },
  'v1/ServiceAccount': {
    1: METADATA,
    2: { name: 'secrets', type: 'messages', message: OBJECT_REFERENCE },
    3: { name: 'imagePullSecrets', type: 'messages', message: { 1: { name: 'name', type: 'string' } } },
    4: { name: 'automountServiceAccountToken', type: 'optBool' },
  },
  'rbac.authorization.k8s.io/v1/Role': ROLE,
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    ...ROLE,
    3: {
      name: 'aggregationRule',
      type: 'message',
      message: { 1: { name: 'clusterRoleSelectors', type: 'messages', message: LABEL_SELECTOR } },
    },
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
  'authentication.k8s.io/v1/TokenRequest': {
    1: METADATA,
    2: {
      name: 'spec',
      type: 'message',
      message: {
        1: { name: 'audiences', type: 'strings' },
        3: {
          name: 'boundObjectRef',
          type: 'message',
          message: {
            1: { name: 'kind', type: 'string' },
            2: { name: 'apiVersion', type: 'string' },
            3: { name: 'name', type: 'string' },
            4: { name: 'uid', type: 'string' },
          },
        },
        4: { name: 'expirationSeconds', type: 'optInt64' },
      },
    },
  },
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: METADATA },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    1: METADATA,
    2: { name: 'spec', type: 'message', message: ACCESS_REVIEW_SPEC },
  },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': {
    1: METADATA,
    2: { name: 'spec', type: 'message', message: { 1: { name: 'namespace', type: 'string' } } },
  },
};
