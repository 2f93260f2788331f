/**
 * The system policies every account sees (PolicyType `System`), with their documents as Alibaba Cloud
 * publishes them. Read-only: they cannot be created, versioned, tagged or deleted through the API.
 */
import type { PolicyDocument } from '../contract.js';

export interface SystemPolicy {
  policyName: string;
  description: string;
  document: PolicyDocument;
  createDate: Date;
  updateDate: Date;
}

const since = new Date('2015-04-28T08:00:00Z');

function system(
  policyName: string,
  description: string,
  document: PolicyDocument,
  updated = since,
): SystemPolicy {
  return { policyName, description, document, createDate: since, updateDate: updated };
}

const allowAll = (action: string | string[]): PolicyDocument => ({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});

export const SYSTEM_POLICIES: readonly SystemPolicy[] = [
  system(
    'AdministratorAccess',
    'Provides full access to Alibaba Cloud services and resources.',
    allowAll('*'),
  ),
  system(
    'AliyunSTSAssumeRoleAccess',
    'Provides access to call the STS AssumeRole API.',
    allowAll('sts:AssumeRole'),
  ),
  system(
    'AliyunRAMFullAccess',
    'Provides full access to Resource Access Management (RAM).',
    allowAll('ram:*'),
  ),
  system(
    'AliyunRAMReadOnlyAccess',
    'Provides read-only access to Resource Access Management (RAM).',
    allowAll(['ram:Get*', 'ram:List*']),
  ),
  system(
    'AliyunEventBridgeFullAccess',
    'Provides full access to EventBridge.',
    {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'eventbridge:*', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'ram:CreateServiceLinkedRole',
          Resource: '*',
          Condition: { StringEquals: { 'ram:ServiceName': ['eventbridge.aliyuncs.com'] } },
        },
      ],
    },
    new Date('2020-09-01T08:00:00Z'),
  ),
  system(
    'AliyunEventBridgeReadOnlyAccess',
    'Provides read-only access to EventBridge.',
    allowAll(['eventbridge:Get*', 'eventbridge:List*', 'eventbridge:Query*', 'eventbridge:Describe*']),
    new Date('2020-09-01T08:00:00Z'),
  ),
];

/** Looks a system policy up by its exact name. */
export function findSystemPolicy(name: string): SystemPolicy | undefined {
  return SYSTEM_POLICIES.find((p) => p.policyName === name);
}
