/**
 * The API's names in one import: group, kind, finalizers, ownership marker (`names.ts`), condition types
 * (`condition-types.ts`) and the reasons of conditions and Events (`reasons.ts`). Each is declared once
 * in its own module; this one only gathers them.
 */
export * from './names.js';
export { ConditionType } from './condition-types.js';
export { EventReason, Reason } from './reasons.js';
