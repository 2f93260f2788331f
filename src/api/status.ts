import { z } from 'zod';

/** metav1.Condition, as kstatus and `kubectl wait --for=condition=...` read it. */
export const conditionSchema = z.object({
  type: z.string().min(1).max(316),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().min(1).max(1024),
  message: z.string().max(32768).default(''),
  /** The metadata.generation this condition was computed for. */
  observedGeneration: z.number().int().min(0).optional(),
  lastTransitionTime: z.string(),
});

export const userStatusSchema = z.object({
  name: z.string(),
  /** `<user>@<authorized account>.onaliyun.com`: what the user signs in with. */
  principalName: z.string(),
  credentialsSecretName: z.string(),
});

export const statusSchema = z.object({
  /** The generation whose spec has been fully reconciled. */
  observedGeneration: z.number().int().min(0).optional(),
  roleArn: z.string().optional(),
  users: z.array(userStatusSchema).optional(),
  conditions: z
    .array(conditionSchema)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
});

export type Condition = z.infer<typeof conditionSchema>;
export type UserStatus = z.infer<typeof userStatusSchema>;
export type CrossAccountDelegationStatus = z.infer<typeof statusSchema>;
