import { z } from 'zod';

/** RAM's limit on a custom policy document, counted on its compact JSON form. */
const MAX_POLICY_DOCUMENT_LENGTH = 6144;

/** A string or a non-empty list of strings, as RAM accepts for Action and Resource. */
const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'must be a non-empty string or a non-empty list of strings',
});

/** One condition operator's operands: `{"acs:SourceIp": ["10.0.0.0/8"]}`. */
const conditionValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
]);

const policyStatementSchema = z
  .object({
    Effect: z.enum(['Allow', 'Deny']).describe('An explicit Deny wins over any Allow.'),
    Action: stringOrList.describe('An action such as `eventbridge:PutEvents`, or a list; wildcards allowed.'),
    Resource: stringOrList.describe('A resource ARN (`acs:...`), or a list; wildcards allowed.'),
    Condition: z
      .record(z.string().min(1), z.record(z.string().min(1), conditionValue))
      .optional()
      .describe('Operator → key → value(s), e.g. `IpAddress: {acs:SourceIp: [10.0.0.0/8]}`.'),
  })
  .strict();

/**
 * A RAM policy document written as YAML in the manifest (not a JSON string). Only the statement shape
 * RAM permission policies use is accepted; unknown keys are refused rather than silently dropped.
 */
export const policyDocumentSchema = z
  .object({
    Version: z.literal('1').describe('The policy language version.'),
    Statement: z.array(policyStatementSchema).min(1).max(100).describe("The policy's statements."),
  })
  .strict()
  .superRefine((document, ctx) => {
    const length = JSON.stringify(document).length;
    if (length > MAX_POLICY_DOCUMENT_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        message: `policy document is ${length} characters serialized; RAM allows at most ${MAX_POLICY_DOCUMENT_LENGTH}`,
      });
    }
  })
  .describe(
    `A RAM policy document written as YAML, not as a JSON string; at most ${MAX_POLICY_DOCUMENT_LENGTH} characters as compact JSON (checked when reconciling: \`InvalidSpec\`).`,
  );

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
