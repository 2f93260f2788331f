/**
 * The create-only review kinds of authorization.k8s.io/v1 and authentication.k8s.io/v1 that kubectl's
 * `auth can-i` and `auth whoami` post: answered from the caller's identity, never stored.
 */
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview } from '../auth/access-review.js';
import type { ResourceType } from '../resource-type.js';
import { builtinType } from './define.js';

const reviewType = (group: string, resource: string, kind: string, review: ResourceType['review']) =>
  builtinType({
    group,
    version: 'v1',
    resource,
    kind,
    namespaced: false,
    verbs: ['create'],
    review,
    hooks: { knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'] },
  });

export const accessReviewTypes: ResourceType[] = [
  reviewType(
    'authorization.k8s.io',
    'selfsubjectaccessreviews',
    'SelfSubjectAccessReview',
    selfSubjectAccessReview,
  ),
  reviewType(
    'authorization.k8s.io',
    'selfsubjectrulesreviews',
    'SelfSubjectRulesReview',
    selfSubjectRulesReview,
  ),
  reviewType('authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview', selfSubjectReview),
];
