/** The policy half of {@link RamPort}: policies, their versions and entities, and tags on roles and policies. */
import * as $Ram from '@alicloud/ram20150501';
import type { PolicyVersionInfo, RamPort } from './ports.js';
import { ignoreMissing, missingField, orUndefined } from './errors.js';
import { collectPages, policyType, ramCall, tagRows, type RamContext } from './ram-support.js';

type PolicyOperations = Pick<
  RamPort,
  | 'getPolicy'
  | 'createPolicy'
  | 'deletePolicy'
  | 'listPolicyVersions'
  | 'createPolicyVersion'
  | 'deletePolicyVersion'
  | 'listEntitiesForPolicy'
  | 'listTags'
  | 'findByTag'
  | 'listTagged'
  | 'tag'
  | 'untag'
>;

/** At the 5-version limit RAM deletes the oldest non-default version instead of refusing. */
const ROTATE_STRATEGY = 'DeleteOldestNonDefaultVersionWhenLimitExceeded';

/** ListTagResources rows per page (RAM allows 1-1000). */
function tagPageSize(ctx: RamContext): number {
  return Math.min(Math.max(ctx.pageSize, 1), 1000);
}

export function policyOperations(ctx: RamContext): PolicyOperations {
  async function tagRowsOf(request: (token: string | undefined) => $Ram.ListTagResourcesRequest) {
    return collectPages('ListTagResources', async (token) => {
      const response = await ramCall(ctx, 'ListTagResources', 'read', () =>
        ctx.client.listTagResources(request(token)),
      );
      return { items: response.body?.tagResources ?? [], next: response.body?.nextToken || undefined };
    });
  }

  return {
    async getPolicy(policy) {
      const request = new $Ram.GetPolicyRequest({
        policyName: policy.policyName,
        policyType: policy.policyType,
      });
      const response = await orUndefined(
        ramCall(ctx, 'GetPolicy', 'read', () => ctx.client.getPolicy(request)),
      );
      if (!response) return undefined;
      const found = response.body?.policy;
      if (!found?.policyName) throw missingField('GetPolicy', 'Policy');
      return {
        policyName: found.policyName,
        policyType: policyType(found.policyType),
        description: found.description ?? '',
        defaultVersion: found.defaultVersion ?? response.body?.defaultPolicyVersion?.versionId ?? '',
        document: response.body?.defaultPolicyVersion?.policyDocument ?? found.policyDocument ?? '',
        createDate: found.createDate ?? '',
      };
    },

    async createPolicy(input) {
      const tag = tagRows(input.tags, (row) => new $Ram.CreatePolicyRequestTag(row));
      const request = new $Ram.CreatePolicyRequest({
        policyName: input.policyName,
        policyDocument: input.document,
        description: input.description,
        ...(tag ? { tag } : {}),
      });
      await ramCall(ctx, 'CreatePolicy', 'write', () => ctx.client.createPolicy(request));
    },

    async deletePolicy(policyName) {
      const request = new $Ram.DeletePolicyRequest({ policyName });
      await ignoreMissing(ramCall(ctx, 'DeletePolicy', 'write', () => ctx.client.deletePolicy(request)));
    },

    async listPolicyVersions(policyName) {
      const request = new $Ram.ListPolicyVersionsRequest({ policyName, policyType: 'Custom' });
      const response = await ramCall(ctx, 'ListPolicyVersions', 'read', () =>
        ctx.client.listPolicyVersions(request),
      );
      return (response.body?.policyVersions?.policyVersion ?? []).flatMap((version): PolicyVersionInfo[] =>
        version.versionId
          ? [
              {
                versionId: version.versionId,
                isDefault: version.isDefaultVersion === true,
                document: version.policyDocument ?? '',
                createDate: version.createDate ?? '',
              },
            ]
          : [],
      );
    },

    async createPolicyVersion(policyName, document) {
      const request = new $Ram.CreatePolicyVersionRequest({
        policyName,
        policyDocument: document,
        setAsDefault: true,
        rotateStrategy: ROTATE_STRATEGY,
      });
      await ramCall(ctx, 'CreatePolicyVersion', 'write', () => ctx.client.createPolicyVersion(request));
    },

    async deletePolicyVersion(policyName, versionId) {
      const request = new $Ram.DeletePolicyVersionRequest({ policyName, versionId });
      await ignoreMissing(
        ramCall(ctx, 'DeletePolicyVersion', 'write', () => ctx.client.deletePolicyVersion(request)),
      );
    },

    async listEntitiesForPolicy(policy) {
      const request = new $Ram.ListEntitiesForPolicyRequest({
        policyName: policy.policyName,
        policyType: policy.policyType,
      });
      const response = await ramCall(ctx, 'ListEntitiesForPolicy', 'read', () =>
        ctx.client.listEntitiesForPolicy(request),
      );
      const body = response.body;
      return {
        roles: (body?.roles?.role ?? []).flatMap((r) => (r.roleName ? [r.roleName] : [])),
        users: (body?.users?.user ?? []).flatMap((u) => (u.userName ? [u.userName] : [])),
        groups: (body?.groups?.group ?? []).flatMap((g) => (g.groupName ? [g.groupName] : [])),
      };
    },

    async listTags(resource, name) {
      const rows = await tagRowsOf(
        (token) =>
          new $Ram.ListTagResourcesRequest({
            resourceType: resource,
            resourceNames: [name],
            pageSize: tagPageSize(ctx),
            ...(token ? { nextToken: token } : {}),
          }),
      );
      const tags: Record<string, string> = {};
      for (const row of rows) {
        if (row.resourceName === name && row.tagKey !== undefined) tags[row.tagKey] = row.tagValue ?? '';
      }
      return tags;
    },

    async findByTag(resource, key, value) {
      const rows = await tagRowsOf(
        (token) =>
          new $Ram.ListTagResourcesRequest({
            resourceType: resource,
            tag: [new $Ram.ListTagResourcesRequestTag({ key, value })],
            pageSize: tagPageSize(ctx),
            ...(token ? { nextToken: token } : {}),
          }),
      );
      // Each row is one tag of a matching resource; keep the names whose row for `key` has `value`.
      const names = rows
        .filter((row) => row.tagKey === key && row.tagValue === value && row.resourceName)
        .map((row) => row.resourceName as string);
      return [...new Set(names)].sort();
    },

    async listTagged(resource, key) {
      const rows = await tagRowsOf(
        (token) =>
          new $Ram.ListTagResourcesRequest({
            resourceType: resource,
            tag: [new $Ram.ListTagResourcesRequestTag({ key })],
            pageSize: tagPageSize(ctx),
            ...(token ? { nextToken: token } : {}),
          }),
      );
      const tagged = new Map<string, string>();
      for (const row of rows) {
        if (row.tagKey === key && row.resourceName) tagged.set(row.resourceName, row.tagValue ?? '');
      }
      return tagged;
    },

    async untag(resource, name, keys) {
      if (keys.length === 0) return;
      const request = new $Ram.UntagResourcesRequest({
        resourceType: resource,
        resourceNames: [name],
        tagKeys: [...keys],
      });
      await ignoreMissing(ramCall(ctx, 'UntagResources', 'write', () => ctx.client.untagResources(request)));
    },

    async tag(resource, name, tags) {
      const tag = tagRows(tags, (row) => new $Ram.TagResourcesRequestTag(row));
      if (!tag) return;
      const request = new $Ram.TagResourcesRequest({ resourceType: resource, resourceNames: [name], tag });
      await ramCall(ctx, 'TagResources', 'write', () => ctx.client.tagResources(request));
    },
  };
}
