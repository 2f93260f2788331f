/**
 * RAM's naming rules. A violation is `InvalidParameter.<Field>.InvalidChars` or `.Length` (400), the
 * codes the real service uses for role names; the same shape is used for users, groups and policies.
 */
import { invalidParameter } from './errors.js';

interface NameRule {
  field: string;
  max: number;
  min: number;
  chars: RegExp;
  allowed: string;
}

const RULES = {
  role: {
    field: 'RoleName',
    min: 1,
    max: 64,
    chars: /^[A-Za-z0-9.-]+$/,
    allowed: 'A-Z, a-z, 0-9, "." and "-"',
  },
  user: {
    field: 'UserName',
    min: 1,
    max: 64,
    chars: /^[A-Za-z0-9._-]+$/,
    allowed: 'A-Z, a-z, 0-9, ".", "_" and "-"',
  },
  group: {
    field: 'GroupName',
    min: 1,
    max: 64,
    chars: /^[A-Za-z0-9.-]+$/,
    allowed: 'A-Z, a-z, 0-9, "." and "-"',
  },
  policy: {
    field: 'PolicyName',
    min: 1,
    max: 128,
    chars: /^[A-Za-z0-9-]+$/,
    allowed: 'A-Z, a-z, 0-9 and "-"',
  },
} satisfies Record<string, NameRule>;

export type NamedEntity = keyof typeof RULES;

/** Throws unless `name` obeys the rule of `kind`; returns it for chaining. */
export function checkName(kind: NamedEntity, name: string, field: string = RULES[kind].field): string {
  const rule: NameRule = RULES[kind];
  if (name.length < rule.min || name.length > rule.max) {
    throw invalidParameter(
      `${field}.Length`,
      `The parameter ${field} must be ${rule.min} to ${rule.max} characters long.`,
    );
  }
  if (!rule.chars.test(name)) {
    throw invalidParameter(
      `${field}.InvalidChars`,
      `The parameter ${field} may contain only ${rule.allowed}.`,
    );
  }
  return name;
}

/** Free-text fields (Description, Comments, DisplayName): only a maximum length. */
export function checkLength(field: string, value: string | undefined, max: number): string {
  if (value !== undefined && value.length > max) {
    throw invalidParameter(
      `${field}.Length`,
      `The parameter ${field} must be at most ${max} characters long.`,
    );
  }
  return value ?? '';
}
