import { z } from 'zod';
import { specSchema, type CrossAccountDelegationSpec, type DelegationUser } from './spec.js';

/** One problem with a manifest, naming the field the way kubectl does (`spec.users[1].name`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Renders a zod path as a Kubernetes field path: `spec.users[1].name`. */
function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : `${out === '' ? '' : '.'}${String(segment)}`;
  }
  return out;
}

/** Turns a zod error into field problems rooted at `root`. */
function toFieldProblems(error: z.ZodError, root: string): FieldProblem[] {
  return error.issues.map((issue) => ({ field: fieldPath(root, issue.path), message: issue.message }));
}

/** `spec.users[1].name: duplicate user name "x"; spec.policies: ...` */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}

/** Parses and defaults a spec; never throws. */
export function parseSpec(input: unknown): ParseResult<CrossAccountDelegationSpec> {
  const result = specSchema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: toFieldProblems(result.error, 'spec') };
}

/** Whether a user must bind an MFA device: Console users default to true, Programmatic users never. */
export function mfaRequired(user: DelegationUser): boolean {
  return user.access === 'Console' && (user.mfaRequired ?? true);
}
