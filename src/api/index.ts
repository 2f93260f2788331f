export * from './constants.js';
export * from './policy-document.js';
export * from './spec.js';
export * from './status.js';
export * from './parse.js';
export * from './resource.js';
export * from './crd.js';
export * from './crd-yaml.js';
export { conditionTypeDocs, type ConditionTypeDoc } from './condition-types.js';
export {
  conditionReasonDocs,
  eventReasonDocs,
  reasonEffectDocs,
  type ConditionReasonDoc,
  type EventReasonDoc,
  type ReasonEffect,
} from './reasons.js';
