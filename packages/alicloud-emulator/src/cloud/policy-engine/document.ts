/**
 * Parsing and validation of policy documents as RAM accepts them. A permission policy needs `Version`
 * "1" and a non-empty `Statement` whose entries have `Effect` Allow|Deny, `Action`|`NotAction` and
 * `Resource`|`NotResource`; a trust policy (a role's AssumeRolePolicyDocument) needs `Principal` instead
 * of a resource. Anything else is `MalformedPolicyDocument` (400), as the real service answers.
 */
import type { PolicyDocument, PolicyStatement } from '../../contract.js';
import { malformedPolicyDocument } from '../errors.js';
import { isKnownOperator } from './conditions.js';

export type DocumentKind = 'permission' | 'trust';

/** Parses and validates; throws ApiError MalformedPolicyDocument. Single statements/values are normalised to lists. */
export function parsePolicyDocument(text: string, kind: DocumentKind = 'permission'): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicyDocument('the document is not valid JSON.');
  }
  if (!isRecord(parsed)) throw malformedPolicyDocument('the document must be a JSON object.');
  if (parsed.Version !== '1') throw malformedPolicyDocument('Version must be "1".');
  const rawStatements = parsed.Statement;
  const statements = Array.isArray(rawStatements)
    ? rawStatements
    : isRecord(rawStatements)
      ? [rawStatements]
      : undefined;
  if (!statements || statements.length === 0) throw malformedPolicyDocument('Statement is missing or empty.');
  return { Version: '1', Statement: statements.map((s, i) => parseStatement(s, i, kind)) };
}

function parseStatement(raw: unknown, index: number, kind: DocumentKind): PolicyStatement {
  const where = `Statement[${index}]`;
  if (!isRecord(raw)) throw malformedPolicyDocument(`${where} must be an object.`);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny')
    throw malformedPolicyDocument(`${where}.Effect must be Allow or Deny.`);
  const statement: PolicyStatement = { Effect: effect };
  assignExclusive(statement, raw, 'Action', 'NotAction', where, true);
  assignExclusive(statement, raw, 'Resource', 'NotResource', where, kind === 'permission');
  if (raw.Principal !== undefined) statement.Principal = parsePrincipal(raw.Principal, where);
  else if (kind === 'trust')
    throw malformedPolicyDocument(`${where}.Principal is required in a trust policy.`);
  if (raw.Condition !== undefined) statement.Condition = parseCondition(raw.Condition, where);
  return statement;
}

function assignExclusive(
  statement: PolicyStatement,
  raw: Record<string, unknown>,
  positive: 'Action' | 'Resource',
  negative: 'NotAction' | 'NotResource',
  where: string,
  required: boolean,
): void {
  const hasPositive = raw[positive] !== undefined;
  const hasNegative = raw[negative] !== undefined;
  if (hasPositive && hasNegative)
    throw malformedPolicyDocument(`${where} cannot have both ${positive} and ${negative}.`);
  if (!hasPositive && !hasNegative) {
    if (required) throw malformedPolicyDocument(`${where} needs ${positive} or ${negative}.`);
    return;
  }
  const key = hasPositive ? positive : negative;
  const values = stringList(raw[key], `${where}.${key}`);
  const valid = positive === 'Action' ? ACTION_FORMAT : RESOURCE_FORMAT;
  const bad = values.find((value) => !valid.test(value));
  if (bad !== undefined)
    throw malformedPolicyDocument(`${where}.${key} "${bad}" is not a valid ${positive.toLowerCase()}.`);
  statement[key] = values;
}

/** `*` or `<service>:<action pattern>`, e.g. `ram:Get*`. */
const ACTION_FORMAT = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
/** `*` or an Alibaba Cloud resource name, e.g. `acs:ram:*:1111111111111111:role/x`. */
const RESOURCE_FORMAT = /^(\*|acs:[^:]*:[^:]*:[^:]*:.*)$/;

function parsePrincipal(raw: unknown, where: string): PolicyStatement['Principal'] {
  if (raw === '*') return '*';
  if (!isRecord(raw) || Object.keys(raw).length === 0)
    throw malformedPolicyDocument(`${where}.Principal must be "*" or an object.`);
  const principal: Record<string, string[]> = {};
  for (const [kind, names] of Object.entries(raw)) {
    if (!['RAM', 'Service', 'Federated'].includes(kind))
      throw malformedPolicyDocument(`${where}.Principal.${kind} is not supported.`);
    principal[kind] = stringList(names, `${where}.Principal.${kind}`);
  }
  return principal;
}

function parseCondition(raw: unknown, where: string): Record<string, Record<string, unknown>> {
  if (!isRecord(raw)) throw malformedPolicyDocument(`${where}.Condition must be an object.`);
  const condition: Record<string, Record<string, unknown>> = {};
  for (const [operator, keys] of Object.entries(raw)) {
    if (!isKnownOperator(operator))
      throw malformedPolicyDocument(`${where}.Condition operator ${operator} is not supported.`);
    if (!isRecord(keys)) throw malformedPolicyDocument(`${where}.Condition.${operator} must be an object.`);
    for (const [key, value] of Object.entries(keys)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
        throw malformedPolicyDocument(
          `${where}.Condition.${operator}.${key} must be a value or a list of values.`,
        );
      }
    }
    condition[operator] = keys;
  }
  return condition;
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
    throw malformedPolicyDocument(`${where} must be a non-empty string or list of strings.`);
  }
  return list as string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
