/**
 * The EventBridge data plane, as B's users use A's bus with the STS credentials they obtained: one
 * `PutEvents` call through the official `@alicloud/eventbridge` SDK. The operator itself never publishes;
 * the demo and the end-to-end tests do, to prove access works and that revocation ends it.
 */
import EventBridgeModule, * as $EventBridge from '@alicloud/eventbridge';
import { cjsDefault } from './clients.js';
import type { AccessCredentials } from './credentials-types.js';
import { toCloudError } from './sdk-errors.js';

const EventBridgeClient = cjsDefault(EventBridgeModule);

export interface PublishTarget {
  /** `host[:port]`, e.g. `<accountId>.eventbridge.cn-hangzhou.aliyuncs.com`, or the emulator's. */
  endpoint: string;
  protocol: 'http' | 'https';
  busName: string;
}

/** Publishes one CloudEvent; resolves with its id, or throws a CloudError (e.g. Forbidden after revocation). */
export async function publishEvent(
  target: PublishTarget,
  credentials: Pick<AccessCredentials, 'accessKeyId' | 'accessKeySecret' | 'securityToken'>,
  event: { id: string; source: string; type: string; data: unknown },
): Promise<string> {
  const client = new EventBridgeClient(
    new $EventBridge.Config({
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
      endpoint: target.endpoint,
      protocol: target.protocol,
    }),
  );
  const cloudEvent = new $EventBridge.CloudEvent({
    id: event.id,
    source: event.source,
    type: event.type,
    datacontenttype: 'application/json',
    data: Buffer.from(JSON.stringify(event.data)),
    extensions: { aliyuneventbusname: target.busName },
  });
  let response;
  try {
    response = await client.putEvents([cloudEvent]);
  } catch (error) {
    throw toCloudError(error, 'PutEvents');
  }
  const entry = response.entryList?.[0];
  if ((response.failedEntryCount ?? 0) > 0 || !entry?.eventId) {
    throw toCloudError({ code: entry?.errorCode ?? 'PutEventsFailed', message: entry?.errorMessage ?? 'the event was not accepted', statusCode: 400 }, 'PutEvents');
  }
  return entry.eventId;
}
