/**
 * Versions of custom policies: CreatePolicyVersion, GetPolicyVersion, DeletePolicyVersion,
 * ListPolicyVersions, SetDefaultPolicyVersion. A policy keeps at most 5 versions; at the limit,
 * RotateStrategy `DeleteOldestNonDefaultVersionWhenLimitExceeded` drops the oldest non-default one,
 * `None` (the default) answers LimitExceeded.Policy.Version. The default version cannot be deleted
 * (DeleteConflict.Policy.Version.Default, as the RAM error centre spells it). Version ids count up (`v1`, `v2`, ...) and are never reused.
 */
import { deleteConflict, entityNotExist, invalidParameter, limitExceeded } from '../errors.js';
import { isoSeconds } from '../ids.js';
import type { CustomPolicy, PolicyVersion } from '../model.js';
import { findSystemPolicy } from '../system-policies.js';
import { onEntity, type ActionContext, type ActionTable } from './action.js';
import { checkPolicyType, getCustomPolicy } from './lookup.js';
import { checkPermissionDocument, systemDocumentText } from './policies.js';

const MAX_POLICY_VERSIONS = 5;

function versionView(policy: CustomPolicy, v: PolicyVersion): Record<string, unknown> {
  return {
    VersionId: v.versionId,
    IsDefaultVersion: v.versionId === policy.defaultVersionId,
    PolicyDocument: v.document,
    CreateDate: isoSeconds(v.createDate),
  };
}

function getVersion(policy: CustomPolicy, versionId: string): PolicyVersion {
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version)
    throw entityNotExist(
      'Policy.Version',
      `The policy version not exists: ${policy.policyName} ${versionId}.`,
    );
  return version;
}

function createPolicyVersion(ctx: ActionContext): Record<string, unknown> {
  const policy = getCustomPolicy(ctx.account, ctx.params.required('PolicyName'));
  const document = checkPermissionDocument(ctx.params.required('PolicyDocument'));
  const setAsDefault = ctx.params.bool('SetAsDefault') ?? false;
  const strategy = ctx.params.optional('RotateStrategy') ?? 'None';
  if (strategy !== 'None' && strategy !== 'DeleteOldestNonDefaultVersionWhenLimitExceeded') {
    throw invalidParameter(
      'RotateStrategy',
      'RotateStrategy must be None or DeleteOldestNonDefaultVersionWhenLimitExceeded.',
    );
  }
  if (policy.versions.length >= MAX_POLICY_VERSIONS) {
    if (strategy === 'None') {
      throw limitExceeded(
        'Policy.Version',
        `A policy can have at most ${MAX_POLICY_VERSIONS} versions: ${policy.policyName}.`,
      );
    }
    const oldest = policy.versions.findIndex((v) => v.versionId !== policy.defaultVersionId);
    policy.versions.splice(oldest, 1);
  }
  const version: PolicyVersion = { versionId: `v${policy.nextVersion}`, document, createDate: ctx.now };
  policy.nextVersion += 1;
  policy.versions.push(version);
  if (setAsDefault) policy.defaultVersionId = version.versionId;
  policy.updateDate = ctx.now;
  return { PolicyVersion: versionView(policy, version) };
}

function getPolicyVersion(ctx: ActionContext): Record<string, unknown> {
  const policyName = ctx.params.required('PolicyName');
  const policyType = checkPolicyType(ctx.params.required('PolicyType'));
  const versionId = ctx.params.required('VersionId');
  if (policyType === 'System') {
    const system = findSystemPolicy(policyName);
    if (!system) throw entityNotExist('Policy', `The policy not exists: ${policyName}.`);
    if (versionId !== 'v1')
      throw entityNotExist('Policy.Version', `The policy version not exists: ${policyName} ${versionId}.`);
    return {
      PolicyVersion: {
        VersionId: 'v1',
        IsDefaultVersion: true,
        PolicyDocument: systemDocumentText(system),
        CreateDate: isoSeconds(system.createDate),
      },
    };
  }
  const policy = getCustomPolicy(ctx.account, policyName);
  return { PolicyVersion: versionView(policy, getVersion(policy, versionId)) };
}

function deletePolicyVersion(ctx: ActionContext): Record<string, unknown> {
  const policy = getCustomPolicy(ctx.account, ctx.params.required('PolicyName'));
  const version = getVersion(policy, ctx.params.required('VersionId'));
  if (version.versionId === policy.defaultVersionId) {
    throw deleteConflict(
      'Policy.Version.Default',
      `The default version of a policy cannot be deleted: ${policy.policyName} ${version.versionId}.`,
    );
  }
  policy.versions = policy.versions.filter((v) => v !== version);
  return {};
}

function listPolicyVersions(ctx: ActionContext): Record<string, unknown> {
  const policyName = ctx.params.required('PolicyName');
  const policyType = checkPolicyType(ctx.params.required('PolicyType'));
  if (policyType === 'System') {
    const system = findSystemPolicy(policyName);
    if (!system) throw entityNotExist('Policy', `The policy not exists: ${policyName}.`);
    const view = {
      VersionId: 'v1',
      IsDefaultVersion: true,
      PolicyDocument: systemDocumentText(system),
      CreateDate: isoSeconds(system.createDate),
    };
    return { PolicyVersions: { PolicyVersion: [view] } };
  }
  const policy = getCustomPolicy(ctx.account, policyName);
  return {
    PolicyVersions: { PolicyVersion: [...policy.versions].reverse().map((v) => versionView(policy, v)) },
  };
}

function setDefaultPolicyVersion(ctx: ActionContext): Record<string, unknown> {
  const policy = getCustomPolicy(ctx.account, ctx.params.required('PolicyName'));
  policy.defaultVersionId = getVersion(policy, ctx.params.required('VersionId')).versionId;
  policy.updateDate = ctx.now;
  return {};
}

export const POLICY_VERSION_ACTIONS: ActionTable = {
  CreatePolicyVersion: onEntity('ram:CreatePolicyVersion', 'policy', 'PolicyName', createPolicyVersion),
  GetPolicyVersion: onEntity('ram:GetPolicyVersion', 'policy', 'PolicyName', getPolicyVersion),
  DeletePolicyVersion: onEntity('ram:DeletePolicyVersion', 'policy', 'PolicyName', deletePolicyVersion),
  ListPolicyVersions: onEntity('ram:ListPolicyVersions', 'policy', 'PolicyName', listPolicyVersions),
  SetDefaultPolicyVersion: onEntity(
    'ram:SetDefaultPolicyVersion',
    'policy',
    'PolicyName',
    setDefaultPolicyVersion,
  ),
};
