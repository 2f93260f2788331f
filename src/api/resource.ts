import { z } from 'zod';
import { API_GROUP_VERSION, KIND } from './constants.js';
import { specSchema } from './spec.js';
import { statusSchema } from './status.js';

/** The metadata fields the operator reads. The API server owns the rest. */
const objectMetaSchema = z
  .object({
    name: z.string(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    generation: z.number().int().optional(),
    resourceVersion: z.string().optional(),
    deletionTimestamp: z.string().optional(),
    finalizers: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .loose();

/** A whole CrossAccountDelegation object as read from the API server (spec not yet validated). */
export const crossAccountDelegationSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal(KIND),
  metadata: objectMetaSchema,
  spec: z.unknown(),
  status: statusSchema.optional(),
});

export type CrossAccountDelegationObject = z.infer<typeof crossAccountDelegationSchema>;

/** Parses a manifest (e.g. from `examples/`), validating apiVersion, kind and the whole spec. */
export const crossAccountDelegationManifestSchema = crossAccountDelegationSchema.extend({ spec: specSchema });
