/**
 * The AccessKey part of {@link RamPort}: a user's keys, their status and when they were last used. A
 * new key's secret passes through here and must never be logged: it only appears in the response and
 * the returned value.
 */
import * as $Ram from '@alicloud/ram20150501';
import type { RamPort } from './ports.js';
import { ignoreMissing, missingField, orUndefined } from './errors.js';
import { ramCall, type RamContext } from './ram-support.js';

type AccessKeyOperations = Pick<
  RamPort,
  'listAccessKeys' | 'createAccessKey' | 'updateAccessKey' | 'deleteAccessKey' | 'getAccessKeyLastUsed'
>;

export function accessKeyOperations(ctx: RamContext): AccessKeyOperations {
  return {
    async listAccessKeys(userName) {
      const request = new $Ram.ListAccessKeysRequest({ userName });
      const response = await ramCall(ctx, 'ListAccessKeys', 'read', () => ctx.client.listAccessKeys(request));
      return (response.body?.accessKeys?.accessKey ?? []).flatMap((key) =>
        key.accessKeyId
          ? [
              {
                accessKeyId: key.accessKeyId,
                status: key.status === 'Inactive' ? ('Inactive' as const) : ('Active' as const),
                createDate: key.createDate ?? '',
              },
            ]
          : [],
      );
    },

    async createAccessKey(userName) {
      const request = new $Ram.CreateAccessKeyRequest({ userName });
      const response = await ramCall(ctx, 'CreateAccessKey', 'write', () =>
        ctx.client.createAccessKey(request),
      );
      const key = response.body?.accessKey;
      if (!key?.accessKeyId || !key.accessKeySecret) throw missingField('CreateAccessKey', 'AccessKey');
      return {
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        createDate: key.createDate ?? '',
      };
    },

    async updateAccessKey(userName, accessKeyId, status) {
      const request = new $Ram.UpdateAccessKeyRequest({ userName, userAccessKeyId: accessKeyId, status });
      await ramCall(ctx, 'UpdateAccessKey', 'write', () => ctx.client.updateAccessKey(request));
    },

    async deleteAccessKey(userName, accessKeyId) {
      const request = new $Ram.DeleteAccessKeyRequest({ userName, userAccessKeyId: accessKeyId });
      await ignoreMissing(
        ramCall(ctx, 'DeleteAccessKey', 'write', () => ctx.client.deleteAccessKey(request)),
      );
    },

    async getAccessKeyLastUsed(userName, accessKeyId) {
      const request = new $Ram.GetAccessKeyLastUsedRequest({ userName, userAccessKeyId: accessKeyId });
      const response = await orUndefined(
        ramCall(ctx, 'GetAccessKeyLastUsed', 'read', () => ctx.client.getAccessKeyLastUsed(request)),
      );
      return response?.body?.accessKeyLastUsed?.lastUsedDate || undefined;
    },
  };
}
