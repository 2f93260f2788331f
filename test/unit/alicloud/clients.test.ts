/** Which endpoints the official SDK clients are built for. */
import { describe, expect, it } from 'vitest';
import {
  clientEndpoint,
  createRamClient,
  createStsClient,
  stsEndpoint,
} from '../../../src/alicloud/clients.js';
import { staticCredentials } from '../../../src/alicloud/credentials.js';

const credentials = staticCredentials({ accessKeyId: 'LTAIexample', accessKeySecret: 'secret' });

describe('the STS endpoint', () => {
  it.each([
    // The SDK's own endpoint map sends these regions to the central endpoint.
    ['ap-south-1', 'sts.aliyuncs.com'],
    ['ap-southeast-2', 'sts.aliyuncs.com'],
    ['cn-wuhan', 'sts.aliyuncs.com'],
    ['cn-zhangbei', 'sts.aliyuncs.com'],
    // The rest get their regional endpoint.
    ['cn-hangzhou', 'sts.cn-hangzhou.aliyuncs.com'],
    ['ap-southeast-1', 'sts.ap-southeast-1.aliyuncs.com'],
    ['eu-central-1', 'sts.eu-central-1.aliyuncs.com'],
  ])('in %s is %s, as the official SDK chooses it', (regionId, endpoint) => {
    expect(stsEndpoint({ regionId })).toBe(endpoint);
    expect(clientEndpoint(createStsClient({ regionId }, credentials))).toBe(endpoint);
  });

  it('is the configured one when there is one, and central without a region', () => {
    expect(stsEndpoint({ regionId: 'ap-south-1', sts: '127.0.0.1:9000' })).toBe('127.0.0.1:9000');
    expect(clientEndpoint(createStsClient({ sts: '127.0.0.1:9000' }, credentials))).toBe('127.0.0.1:9000');
    expect(stsEndpoint({})).toBe('sts.aliyuncs.com');
  });

  it('RAM stays global', () => {
    expect(clientEndpoint(createRamClient({ regionId: 'ap-south-1' }, credentials))).toBe('ram.aliyuncs.com');
  });
});
