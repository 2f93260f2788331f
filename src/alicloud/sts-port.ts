/**
 * {@link StsPort} over `@alicloud/sts20150401`. Both actions count as reads: neither changes anything
 * in the account, and the verification AssumeRole runs on every pass (a no-op pass makes zero writes).
 */
import * as $Sts from '@alicloud/sts20150401';
import { callCloud, type CallContext } from './call.js';
import type { StsClient } from './clients.js';
import { missingField } from './errors.js';
import type { CallerIdentity, StsCredentials, StsPort } from './ports.js';

export function createStsPort(client: StsClient, ctx: CallContext): StsPort {
  return {
    async getCallerIdentity(): Promise<CallerIdentity> {
      const response = await callCloud(ctx, 'GetCallerIdentity', 'read', () => client.getCallerIdentity());
      const body = response.body;
      if (!body?.accountId) throw missingField('GetCallerIdentity', 'AccountId');
      return {
        accountId: body.accountId,
        arn: body.arn ?? '',
        identityType: body.identityType ?? '',
        principalId: body.principalId ?? '',
      };
    },

    async assumeRole(input): Promise<StsCredentials> {
      const request = new $Sts.AssumeRoleRequest({
        roleArn: input.roleArn,
        roleSessionName: input.roleSessionName,
        durationSeconds: input.durationSeconds,
        ...(input.policy !== undefined ? { policy: input.policy } : {}),
      });
      const response = await callCloud(ctx, 'AssumeRole', 'read', () => client.assumeRole(request));
      const credentials = response.body?.credentials;
      if (
        !credentials?.accessKeyId ||
        !credentials.accessKeySecret ||
        !credentials.securityToken ||
        !credentials.expiration
      ) {
        throw missingField('AssumeRole', 'Credentials');
      }
      return {
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        securityToken: credentials.securityToken,
        expiration: credentials.expiration,
      };
    },
  };
}
