/**
 * Table-driven tests of the wire layer's pure parts: encoding, signature parsing and canonical forms
 * (cross-checked against the official SDK's own signer), timestamps, nonces, fault decisions.
 */
import { describe, expect, it } from 'vitest';
import { OpenApiUtil } from '@alicloud/openapi-core';
import { acs3Signature, acs3StringToSign, parseAcs3Authorization } from '../../src/server/acs3-signature.js';
import { parseEventBridgeAuthorization } from '../../src/server/eventbridge-signature.js';
import { hostAccountId } from '../../src/server/eventbridge-route.js';
import { FaultInjector, seededRandom } from '../../src/server/fault-injector.js';
import { NO_FAULTS, updateFaultSettings } from '../../src/server/fault-settings.js';
import { acsPercentEncode, emptyParams, parseFormEncoded } from '../../src/server/percent-encoding.js';
import { ReplayGuard, parseHttpDate, parseIsoTimestamp } from '../../src/server/replay-guard.js';
import { rpcSignature, rpcStringToSign } from '../../src/server/rpc-signature.js';
import { sha256Hex } from '../../src/server/signature-compare.js';

const TRICKY_VALUES = ['plain', 'with space', "(x)*!'~", 'a+b=c&d', '100%', 'é中文', '{"Version":"1"}', ''];

describe('percent-encoding', () => {
  it.each([
    ['abc-_.~', 'abc-_.~'],
    [' ', '%20'],
    ["!'()*", '%21%27%28%29%2A'],
    ['/+=&', '%2F%2B%3D%26'],
    ['é', '%C3%A9'],
  ])('encodes %j as %j', (input, expected) => expect(acsPercentEncode(input)).toBe(expected));

  it.each([
    [
      'a=1&b=2',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    [
      'a=x+y&b=%2B',
      [
        ['a', 'x y'],
        ['b', '+'],
      ],
    ],
    [
      'flag&empty=',
      [
        ['flag', ''],
        ['empty', ''],
      ],
    ],
    ['a=1&a=2', [['a', '2']]],
    ['bad=%E0%A4%A', [['bad', '%E0%A4%A']]],
    ['__proto__=x', [['__proto__', 'x']]],
    ['', []],
  ])('parses %j', (text, expected) => {
    const into = emptyParams();
    parseFormEncoded(text, into);
    expect(Object.entries(into)).toEqual(expected);
  });
});

describe('ACS3-HMAC-SHA256 canonical form agrees with the SDK signer', () => {
  it.each(TRICKY_VALUES)('for a query value %j', (value) => {
    const query = { RoleName: value, 'Tag.1.Key': 'k', Description: `${value}!` };
    const headers: Record<string, string> = {
      host: '127.0.0.1:9000',
      'x-acs-action': 'GetRole',
      'x-acs-version': '2015-05-01',
      'x-acs-date': '2026-11-23T09:00:00Z',
      'x-acs-signature-nonce': 'abc',
      'x-acs-content-sha256': sha256Hex(''),
      'content-type': 'application/x-www-form-urlencoded',
    };
    // The SDK signer reads only these fields of its request object.
    const request = { method: 'POST', pathname: '/', query, headers } as unknown as Parameters<
      typeof OpenApiUtil.getAuthorization
    >[0];
    const sdkAuthorization = OpenApiUtil.getAuthorization(
      request,
      'ACS3-HMAC-SHA256',
      sha256Hex(''),
      'AKID',
      'secret',
    );
    const parsed = parseAcs3Authorization(sdkAuthorization);
    const ours = acs3Signature(
      'secret',
      acs3StringToSign({
        method: 'POST',
        path: '/',
        query,
        headers,
        signedHeaders: parsed.signedHeaders,
        payloadHash: sha256Hex(''),
      }),
    );
    expect(ours).toBe(parsed.signature);
  });

  it.each([
    [
      'ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=ab',
      { accessKeyId: 'AK', signedHeaders: ['host', 'x-acs-date'] },
    ],
    [
      'ACS3-HMAC-SHA256 Credential=AK, SignedHeaders=Host ,Signature=ab',
      { accessKeyId: 'AK', signedHeaders: ['host'] },
    ],
  ])('parses %j', (header, expected) => expect(parseAcs3Authorization(header)).toMatchObject(expected));

  it.each([
    'ACS3-HMAC-SHA256',
    'ACS3-HMAC-SHA256 Credential=AK',
    'ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host',
  ])('refuses %j as IncompleteSignature', (header) =>
    expect(() => parseAcs3Authorization(header)).toThrow(
      expect.objectContaining({ code: 'IncompleteSignature' }),
    ),
  );
});

describe('v1 HMAC-SHA1 agrees with the SDK signer', () => {
  it.each(TRICKY_VALUES)('for a parameter value %j', (value) => {
    const params = {
      Action: 'GetRole',
      RoleName: value,
      Timestamp: '2026-11-23T09:00:00Z',
      SignatureMethod: 'HMAC-SHA1',
    };
    const expected = OpenApiUtil.getRPCSignature(params, 'POST', 'secret');
    expect(rpcSignature('secret', rpcStringToSign('POST', { ...params, Signature: 'ignored' }))).toBe(
      expected,
    );
  });
});

describe('EventBridge helpers', () => {
  it.each([
    ['acs:AKID:c2ln', { accessKeyId: 'AKID', signature: 'c2ln' }],
    ['acs:STS.x:y:c2ln', { accessKeyId: 'STS.x:y', signature: 'c2ln' }],
    ['acs:AKID:', undefined],
    ['Bearer x', undefined],
  ])('parses authorization %j', (header, expected) =>
    expect(parseEventBridgeAuthorization(header)).toEqual(expected),
  );

  it.each([
    ['1111111111111111.127.0.0.1:8080', '1111111111111111'],
    ['1111111111111111.eventbridge.cn-hangzhou.aliyuncs.com', '1111111111111111'],
    ['127.0.0.1:8080', undefined],
    ['111.127.0.0.1', undefined],
    [undefined, undefined],
  ])('reads the owning account from host %j', (host, expected) => expect(hostAccountId(host)).toBe(expected));
});

describe('timestamps and nonces', () => {
  it.each([
    ['2026-11-23T09:00:00Z', Date.UTC(2026, 10, 23, 9)],
    ['2026-11-23T09:00:00.123Z', Date.UTC(2026, 10, 23, 9, 0, 0, 123)],
  ])('parses %j', (text, ms) => expect(parseIsoTimestamp(text)).toBe(ms));

  it.each(['2026-11-23 09:00:00', '2026-11-23T09:00:00+08:00', 'yesterday', '2026-13-45T99:00:00Z'])(
    'refuses %j as InvalidTimeStamp.Format',
    (text) =>
      expect(() => parseIsoTimestamp(text)).toThrow(
        expect.objectContaining({ code: 'InvalidTimeStamp.Format' }),
      ),
  );

  it('parses the RFC 1123 Date header', () => {
    expect(parseHttpDate('Mon, 23 Nov 2026 09:00:00 GMT')).toBe(Date.UTC(2026, 10, 23, 9));
  });

  it.each([
    [0, true],
    [15 * 60 * 1000, true],
    [15 * 60 * 1000 + 1, false],
    [-15 * 60 * 1000 - 1, false],
  ])('a timestamp %i ms away is accepted: %s', (offset, accepted) => {
    const check = () => new ReplayGuard().checkTimestamp(1_000_000_000 + offset, 1_000_000_000);
    if (accepted) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ code: 'InvalidTimeStamp.Expired' }));
  });

  it('remembers a nonce per AccessKey for at least one window, then forgets it; memory stays bounded', () => {
    const guard = new ReplayGuard({ windowMs: 1000, maxNoncesPerGeneration: 3 });
    guard.claimNonce('AK1', 'n', 0);
    guard.claimNonce('AK2', 'n', 0);
    expect(() => guard.claimNonce('AK1', 'n', 999)).toThrow(
      expect.objectContaining({ code: 'SignatureNonceUsed' }),
    );
    guard.claimNonce('AK3', 'x', 1000); // rotates: the first two move to the previous generation
    expect(() => guard.claimNonce('AK1', 'n', 1500)).toThrow(
      expect.objectContaining({ code: 'SignatureNonceUsed' }),
    );
    guard.claimNonce('AK3', 'y', 2000); // rotates again: the first two are forgotten
    expect(() => guard.claimNonce('AK1', 'n', 2001)).not.toThrow();
    const bounded = new ReplayGuard({ windowMs: 60_000, maxNoncesPerGeneration: 2 });
    for (const nonce of ['a', 'b', 'c', 'd', 'e']) bounded.claimNonce('AK', nonce, 0);
    expect(() => bounded.claimNonce('AK', 'a', 0)).not.toThrow(); // dropped early to stay within bounds
  });
});

describe('fault decisions', () => {
  it.each([
    [{ latencyMs: 10 }, { ...NO_FAULTS, latencyMs: 10 }],
    [
      { throttleRate: 1, errorRate: 0.5 },
      { ...NO_FAULTS, throttleRate: 1, errorRate: 0.5 },
    ],
    [{}, NO_FAULTS],
  ])('applies the partial update %j', (update, expected) =>
    expect(updateFaultSettings(NO_FAULTS, update)).toEqual(expected),
  );

  it.each([
    [{ throttleRate: 2 }, 'InvalidParameter.throttleRate'],
    [{ latencyMs: Number.NaN }, 'InvalidParameter.latencyMs'],
    [{ qpsPerAccount: '5' }, 'InvalidParameter.qpsPerAccount'],
    [{ unknown: 0 }, 'InvalidParameter.unknown'],
    [null, 'InvalidParameter.Body'],
  ])('refuses %j', (update, code) => {
    expect(() => updateFaultSettings(NO_FAULTS, update)).toThrow(
      expect.objectContaining({ code, httpStatus: 400 }),
    );
  });

  it('meters qpsPerAccount with a token bucket per account and computes when a token is free', () => {
    const faults = new FaultInjector(seededRandom(1));
    faults.settings = { ...NO_FAULTS, qpsPerAccount: 2 };
    expect(faults.decide('A', 0)).toBeUndefined();
    expect(faults.decide('A', 0)).toBeUndefined();
    expect(faults.decide('A', 0)?.extra.retryAfterMs).toBe(500);
    expect(faults.decide('B', 0)).toBeUndefined();
    expect(faults.decide('A', 250)?.extra.retryAfterMs).toBe(250);
    expect(faults.decide('A', 500)).toBeUndefined();
    faults.settings = { ...NO_FAULTS, qpsPerAccount: 0.5 };
    expect(faults.decide('A', 0)).toBeUndefined();
    expect(faults.decide('A', 1000)?.extra.retryAfterMs).toBe(1000);
  });

  it('draws throttling and errors from the injected randomness', () => {
    const decisions = (seed: number) => {
      const faults = new FaultInjector(seededRandom(seed));
      faults.settings = { ...NO_FAULTS, throttleRate: 0.3, errorRate: 0.3 };
      return Array.from({ length: 200 }, () => faults.decide('A', 0)?.code ?? 'ok');
    };
    expect(decisions(7)).toEqual(decisions(7));
    const counts = decisions(7).reduce<Record<string, number>>(
      (acc, code) => ({ ...acc, [code]: (acc[code] ?? 0) + 1 }),
      {},
    );
    expect(Object.keys(counts).sort()).toEqual([
      'InternalError',
      'ServiceUnavailable',
      'Throttling.User',
      'ok',
    ]);
    expect(counts['Throttling.User']).toBeGreaterThan(30);
    expect(counts['Throttling.User']).toBeLessThan(90);
  });
});
