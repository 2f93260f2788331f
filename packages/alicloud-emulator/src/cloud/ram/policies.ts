/**
 * Custom and system policies: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies,
 * UpdatePolicyDescription. At most 1500 custom policies per account; a policy still attached somewhere
 * cannot be deleted (DeleteConflict.Policy.{User,Group,Role}) nor one with non-default versions
 * (DeleteConflict.Policy.Version), unless `CascadingDelete` is true.
 */
import {
  deleteConflict,
  entityAlreadyExists,
  entityNotExist,
  invalidParameter,
  limitExceeded,
} from '../errors.js';
import { isoSeconds } from '../ids.js';
import type { Account, CustomPolicy } from '../model.js';
import { checkLength, checkName } from '../names.js';
import { parsePolicyDocument } from '../policy-engine/document.js';
import { SYSTEM_POLICIES, findSystemPolicy, type SystemPolicy } from '../system-policies.js';
import { onAccount, onEntity, type ActionContext, type ActionTable } from './action.js';
import { attachmentsOf } from './attachments.js';
import { checkPolicyType, getCustomPolicy, type PolicyType } from './lookup.js';
import { pageFields, paginate } from './pagination.js';
import { applyTags, matchesTagFilter, tagsView } from './tags.js';

const MAX_CUSTOM_POLICIES = 1500;
const MAX_DOCUMENT_LENGTH = 6144;

/** Validates a permission policy document for CreatePolicy/CreatePolicyVersion. */
export function checkPermissionDocument(text: string): string {
  if (text.length > MAX_DOCUMENT_LENGTH) {
    throw invalidParameter(
      'PolicyDocument.Length',
      `The policy document must be at most ${MAX_DOCUMENT_LENGTH} characters.`,
    );
  }
  parsePolicyDocument(text, 'permission');
  return text;
}

/** The system policy text as RAM serves it. */
export function systemDocumentText(policy: SystemPolicy): string {
  return JSON.stringify(policy.document, null, 2);
}

function defaultVersion(policy: CustomPolicy) {
  const version = policy.versions.find((v) => v.versionId === policy.defaultVersionId);
  if (!version) throw new Error(`policy ${policy.policyName} lost its default version`);
  return version;
}

function systemOrThrow(name: string): SystemPolicy {
  const policy = findSystemPolicy(name);
  if (!policy) throw entityNotExist('Policy', `The policy not exists: ${name}.`);
  return policy;
}

function createPolicy(ctx: ActionContext): Record<string, unknown> {
  const { account, params } = ctx;
  const policyName = checkName('policy', params.required('PolicyName'));
  const document = checkPermissionDocument(params.required('PolicyDocument'));
  const description = checkLength('Description', params.optional('Description'), 1024);
  const tags = new Map<string, string>();
  applyTags(tags, params.tags());
  if (account.policies.has(policyName))
    throw entityAlreadyExists('Policy', `The policy already exists: ${policyName}.`);
  if (account.policies.size >= MAX_CUSTOM_POLICIES) {
    throw limitExceeded('Policy', `An account can have at most ${MAX_CUSTOM_POLICIES} custom policies.`);
  }
  const policy: CustomPolicy = {
    policyName,
    description,
    createDate: ctx.now,
    updateDate: ctx.now,
    versions: [{ versionId: 'v1', document, createDate: ctx.now }],
    defaultVersionId: 'v1',
    nextVersion: 2,
    tags,
  };
  account.policies.set(policyName, policy);
  return {
    Policy: {
      PolicyName: policyName,
      PolicyType: 'Custom',
      Description: description,
      DefaultVersion: 'v1',
      CreateDate: isoSeconds(ctx.now),
    },
  };
}

/**
 * The fields every policy answer shares (GetPolicy, ListPolicies, UpdatePolicyDescription). A system
 * policy has a single version, `v1`.
 */
function policyFields(policyType: PolicyType, policy: SystemPolicy | CustomPolicy): Record<string, unknown> {
  return {
    PolicyName: policy.policyName,
    PolicyType: policyType,
    Description: policy.description,
    DefaultVersion: 'defaultVersionId' in policy ? policy.defaultVersionId : 'v1',
    CreateDate: isoSeconds(policy.createDate),
    UpdateDate: isoSeconds(policy.updateDate),
  };
}

function getPolicy(ctx: ActionContext): Record<string, unknown> {
  const policyName = ctx.params.required('PolicyName');
  const policyType = checkPolicyType(ctx.params.required('PolicyType'));
  const attachmentCount = attachmentsOf(ctx.account, policyType, policyName).count;
  if (policyType === 'System') {
    const policy = systemOrThrow(policyName);
    const text = systemDocumentText(policy);
    return {
      Policy: { ...policyFields('System', policy), PolicyDocument: text, AttachmentCount: attachmentCount },
      DefaultPolicyVersion: {
        VersionId: 'v1',
        IsDefaultVersion: true,
        PolicyDocument: text,
        CreateDate: isoSeconds(policy.createDate),
      },
    };
  }
  const policy = getCustomPolicy(ctx.account, policyName);
  const version = defaultVersion(policy);
  return {
    Policy: {
      ...policyFields('Custom', policy),
      PolicyDocument: version.document,
      AttachmentCount: attachmentCount,
    },
    DefaultPolicyVersion: {
      VersionId: version.versionId,
      IsDefaultVersion: true,
      PolicyDocument: version.document,
      CreateDate: isoSeconds(version.createDate),
    },
  };
}

function deletePolicy(ctx: ActionContext): Record<string, unknown> {
  const policy = getCustomPolicy(ctx.account, ctx.params.required('PolicyName'));
  const cascade = ctx.params.bool('CascadingDelete') ?? false;
  const found = attachmentsOf(ctx.account, 'Custom', policy.policyName);
  if (cascade) {
    detachEverywhere(ctx.account, policy.policyName);
  } else {
    const name = policy.policyName;
    if (found.users.length > 0)
      throw deleteConflict('Policy.User', `The policy is still attached to users: ${name}.`);
    if (found.groups.length > 0)
      throw deleteConflict('Policy.Group', `The policy is still attached to groups: ${name}.`);
    if (found.roles.length > 0)
      throw deleteConflict('Policy.Role', `The policy is still attached to roles: ${name}.`);
    if (policy.versions.length > 1)
      throw deleteConflict('Policy.Version', `The policy still has non-default versions: ${name}.`);
  }
  ctx.account.policies.delete(policy.policyName);
  return {};
}

function detachEverywhere(account: Account, policyName: string): void {
  const keep = (list: { policyType: string; policyName: string }[]) =>
    list.filter((a) => !(a.policyType === 'Custom' && a.policyName === policyName));
  for (const role of account.roles.values())
    role.attachments = keep(role.attachments) as typeof role.attachments;
  for (const user of account.users.values())
    user.attachments = keep(user.attachments) as typeof user.attachments;
  for (const group of account.groups.values())
    group.attachments = keep(group.attachments) as typeof group.attachments;
}

function listPolicies(ctx: ActionContext): Record<string, unknown> {
  const typeParam = ctx.params.optional('PolicyType');
  const policyType = typeParam === undefined ? undefined : checkPolicyType(typeParam);
  const filter = ctx.params.tags();
  const rows: Record<string, unknown>[] = [];
  if (policyType !== 'Custom' && (filter ?? []).length === 0) {
    for (const p of SYSTEM_POLICIES) {
      rows.push({
        ...policyFields('System', p),
        AttachmentCount: attachmentsOf(ctx.account, 'System', p.policyName).count,
        Tags: { Tag: [] },
      });
    }
  }
  if (policyType !== 'System') {
    for (const p of ctx.account.policies.values()) {
      if (!matchesTagFilter(p.tags, filter)) continue;
      rows.push({
        ...policyFields('Custom', p),
        AttachmentCount: attachmentsOf(ctx.account, 'Custom', p.policyName).count,
        Tags: tagsView(p.tags),
      });
    }
  }
  const page = paginate(rows, ctx.params);
  return { Policies: { Policy: page.items }, ...pageFields(page) };
}

function updatePolicyDescription(ctx: ActionContext): Record<string, unknown> {
  const policy = getCustomPolicy(ctx.account, ctx.params.required('PolicyName'));
  policy.description = checkLength('NewDescription', ctx.params.present('NewDescription'), 1024);
  policy.updateDate = ctx.now;
  return { Policy: policyFields('Custom', policy) };
}

export const POLICY_ACTIONS: ActionTable = {
  CreatePolicy: onEntity('ram:CreatePolicy', 'policy', 'PolicyName', createPolicy),
  GetPolicy: onEntity('ram:GetPolicy', 'policy', 'PolicyName', getPolicy),
  DeletePolicy: onEntity('ram:DeletePolicy', 'policy', 'PolicyName', deletePolicy),
  ListPolicies: onAccount('ram:ListPolicies', listPolicies),
  UpdatePolicyDescription: onEntity(
    'ram:UpdatePolicyDescription',
    'policy',
    'PolicyName',
    updatePolicyDescription,
  ),
};
