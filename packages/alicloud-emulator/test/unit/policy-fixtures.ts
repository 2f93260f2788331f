/** Shared builders for the policy-engine tables: documents, statements and requests. */
import { expect } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../src/contract.js';
import {
  evaluate,
  type AuthorizationRequest,
  type Decision,
} from '../../src/cloud/policy-engine/evaluate.js';

export const ACCT = '1111111111111111';
export const ROLE_X = `acs:ram:*:${ACCT}:role/x`;

export const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '1', Statement });
export const allow = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: 'Allow',
  Action: 'ram:GetRole',
  Resource: '*',
  ...extra,
});
export const deny = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: 'Deny',
  Action: 'ram:GetRole',
  Resource: '*',
  ...extra,
});

export const baseContext = {
  'acs:SourceIp': '10.1.2.3',
  'acs:CurrentTime': '2026-11-23T10:00:00.000Z',
  'acs:SecureTransport': 'true',
  'acs:MFAPresent': 'false',
};

export function req(overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return { action: 'ram:GetRole', resource: ROLE_X, context: baseContext, ...overrides };
}

export const withCondition = (
  Condition: Record<string, Record<string, unknown>>,
  extra: Partial<AuthorizationRequest> = {},
) => ({
  policies: [doc(allow({ Condition }))],
  request: req(extra),
});

export interface Case {
  name: string;
  policies: PolicyDocument[];
  request: AuthorizationRequest;
  expected: Decision;
}

/** Runs one table row. */
export function expectDecision({ policies, request, expected }: Case): void {
  expect(evaluate(request, policies)).toBe(expected);
}
