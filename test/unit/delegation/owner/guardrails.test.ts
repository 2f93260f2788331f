import { describe, expect, it } from 'vitest';
import { Reason } from '../../../../src/api/constants.js';
import type { PolicyDocument } from '../../../../src/api/policy-document.js';
import type { CrossAccountDelegationSpecInput } from '../../../../src/api/spec.js';
import { checkGuardrails } from '../../../../src/delegation/owner/guardrails.js';
import { putEventsDocument, suspended, withPolicies } from '../../../support/gen.js';
import { desired } from './fixtures.js';

const publishDocument = putEventsDocument();

const allow = (Action: string | string[], Resource: string | string[]): PolicyDocument => ({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action, Resource }],
});

type Case = { name: string; policies: CrossAccountDelegationSpecInput['policies']; broad: boolean };

const cases: Case[] = [
  {
    name: 'narrow custom policy',
    policies: [{ custom: { name: 'p', document: publishDocument } }],
    broad: false,
  },
  { name: 'system AdministratorAccess', policies: [{ system: 'AdministratorAccess' }], broad: true },
  { name: 'other system policy', policies: [{ system: 'AliyunEventBridgeFullAccess' }], broad: false },
  { name: 'Allow * on *', policies: [{ custom: { name: 'p', document: allow('*', '*') } }], broad: true },
  { name: 'Allow *:* on *', policies: [{ custom: { name: 'p', document: allow('*:*', '*') } }], broad: true },
  {
    name: 'Allow [x, *] on [r, *]',
    policies: [
      { custom: { name: 'p', document: allow(['ecs:Describe*', '*'], ['acs:ecs:*:*:instance/i-1', '*']) } },
    ],
    broad: true,
  },
  {
    name: 'Allow * on one resource',
    policies: [{ custom: { name: 'p', document: allow('*', 'acs:oss:*:*:bucket/b') } }],
    broad: false,
  },
  {
    name: 'Allow ram:* on *',
    policies: [{ custom: { name: 'p', document: allow('ram:*', '*') } }],
    broad: false,
  },
  {
    name: 'Deny * on *',
    policies: [
      {
        custom: {
          name: 'p',
          document: { Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] },
        },
      },
    ],
    broad: false,
  },
  {
    name: 'broad statement among narrow ones',
    policies: [
      {
        custom: {
          name: 'p',
          document: {
            Version: '1',
            Statement: [...publishDocument.Statement, { Effect: 'Allow', Action: '*', Resource: '*' }],
          },
        },
      },
    ],
    broad: true,
  },
];

describe('checkGuardrails', () => {
  it.each(cases)('$name → broad=$broad', ({ policies, broad }) => {
    const d = desired(withPolicies(...policies));
    const blocked = checkGuardrails(d, { allowBroadPolicies: false });
    if (broad) {
      expect(blocked?.reason).toBe(Reason.PolicyTooBroad);
      expect(blocked?.message).toContain('orders-bus-publisher');
    } else {
      expect(blocked).toBeUndefined();
    }
    expect(checkGuardrails(d, { allowBroadPolicies: true })).toBeUndefined();
  });

  it('refuses while suspended too', () => {
    const d = desired(withPolicies({ system: 'AdministratorAccess' }), suspended);
    expect(checkGuardrails(d, { allowBroadPolicies: false })?.reason).toBe(Reason.PolicyTooBroad);
  });
});
