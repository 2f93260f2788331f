import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as $Ram from '@alicloud/ram20150501';
import { ClientError, ServerError } from '@alicloud/openapi-core';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { createWireTestBackend, type WireTestBackend } from './wire-backend.js';
import {
  RamClient,
  StsClient,
  sdkConfig,
  sdkError,
  startRelay,
  type ClientCredentials,
} from './wire-clients.js';

const ACCOUNT = '1111111111111111';

describe('emulator wire: RAM/STS signatures and errors through the official SDKs', () => {
  let backend: WireTestBackend;
  let emulator: RunningEmulator;
  let endpoint: string;
  let root: ClientCredentials;
  let clockOffsetMs = 0;
  const logLines: string[] = [];

  beforeAll(async () => {
    backend = createWireTestBackend();
    emulator = await startEmulator({
      port: 0,
      backend,
      clock: () => new Date(Date.now() + clockOffsetMs),
      log: (line) => logLines.push(line),
    });
    endpoint = `127.0.0.1:${emulator.port}`;
  });
  afterAll(async () => emulator.stop());
  beforeEach(() => {
    backend.reset();
    clockOffsetMs = 0;
    logLines.length = 0;
    const account = backend.createAccount(ACCOUNT, 'enterprise-a');
    root = { accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret };
  });

  it('accepts ACS3-HMAC-SHA256 and answers the JSON result with the RequestId of the response header', async () => {
    const response = await new StsClient(sdkConfig(endpoint, root)).getCallerIdentity();
    expect(response.statusCode).toBe(200);
    expect(response.body?.accountId).toBe(ACCOUNT);
    expect(response.body?.identityType).toBe('Account');
    expect(response.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(response.headers?.['x-acs-request-id']).toBe(response.body?.requestId);
  });

  it('hands the model the principal, decoded action parameters only, the source IP and the injected clock', async () => {
    clockOffsetMs = 5 * 60 * 1000;
    const roleName = 'Role.With-Odd_chars~';
    const response = await new RamClient(sdkConfig(endpoint, root)).getRole(
      new $Ram.GetRoleRequest({ roleName }),
    );
    expect(response.body?.role?.roleName).toBe(roleName);
    const call = backend.contexts.at(-1);
    expect(call?.product).toBe('ram');
    expect(call?.action).toBe('GetRole');
    expect({ ...call?.context.params }).toEqual({ RoleName: roleName });
    expect(call?.context.principal).toEqual({
      kind: 'root',
      accountId: ACCOUNT,
      accessKeyId: root.accessKeyId,
    });
    expect(call?.context.sourceIp).toBe('127.0.0.1');
    expect(call?.context.secureTransport).toBe(false);
    expect(call?.context.requestId).toBe(response.body?.requestId);
    expect(Math.abs((call?.context.now.getTime() ?? 0) - (Date.now() + clockOffsetMs))).toBeLessThan(5_000);
  });

  it('refuses a wrong secret: SignatureDoesNotMatch 400 with the server string to sign', async () => {
    const client = new StsClient(
      sdkConfig(endpoint, { ...root, accessKeySecret: `${root.accessKeySecret}x` }),
    );
    const error = await sdkError(client.getCallerIdentity());
    expect(error).toBeInstanceOf(ClientError);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.statusCode).toBe(400);
    const data = error.data as Record<string, unknown>;
    expect(String(data.Message)).toContain('server string to sign is:ACS3-HMAC-SHA256\n');
    expect(Object.keys(data).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  });

  it('refuses an unknown AccessKey: InvalidAccessKeyId.NotFound 404', async () => {
    const error = await sdkError(
      new StsClient(sdkConfig(endpoint, { ...root, accessKeyId: 'LTAInosuchkey' })).getCallerIdentity(),
    );
    expect([error.code, error.statusCode]).toEqual(['InvalidAccessKeyId.NotFound', 404]);
  });

  it('refuses a query altered in transit', async () => {
    const relay = await startRelay(emulator.port, (req) => [
      { ...req, url: req.url.replace('RoleName=Alpha', 'RoleName=Omega') },
    ]);
    try {
      const client = new RamClient(sdkConfig(`127.0.0.1:${relay.port}`, root));
      const error = await sdkError(client.getRole(new $Ram.GetRoleRequest({ roleName: 'Alpha' })));
      expect([error.code, error.statusCode]).toEqual(['SignatureDoesNotMatch', 400]);
      // The relay itself is transparent: an untouched request passes.
      expect((await client.getRole(new $Ram.GetRoleRequest({ roleName: 'Beta' }))).body?.role?.roleName).toBe(
        'Beta',
      );
    } finally {
      await relay.close();
    }
  });

  it('refuses an action header altered in transit and an unsigned x-acs header', async () => {
    const swapped = await startRelay(emulator.port, (req) => [
      { ...req, headers: { ...req.headers, 'x-acs-action': 'DeleteRole' } },
    ]);
    const added = await startRelay(emulator.port, (req) => [
      { ...req, headers: { ...req.headers, 'x-acs-extra': '1' } },
    ]);
    try {
      const request = new $Ram.GetRoleRequest({ roleName: 'Alpha' });
      const first = await sdkError(
        new RamClient(sdkConfig(`127.0.0.1:${swapped.port}`, root)).getRole(request),
      );
      expect([first.code, first.statusCode]).toEqual(['SignatureDoesNotMatch', 400]);
      const second = await sdkError(
        new RamClient(sdkConfig(`127.0.0.1:${added.port}`, root)).getRole(request),
      );
      expect([second.code, second.statusCode]).toEqual(['IncompleteSignature', 400]);
    } finally {
      await swapped.close();
      await added.close();
    }
  });

  it('refuses a request dated more than 15 minutes away, either way', async () => {
    for (const offset of [16 * 60 * 1000, -16 * 60 * 1000]) {
      clockOffsetMs = offset;
      const error = await sdkError(new StsClient(sdkConfig(endpoint, root)).getCallerIdentity());
      expect([error.code, error.statusCode]).toEqual(['InvalidTimeStamp.Expired', 400]);
    }
    clockOffsetMs = 14 * 60 * 1000;
    expect((await new StsClient(sdkConfig(endpoint, root)).getCallerIdentity()).statusCode).toBe(200);
  });

  it('refuses a replayed request (same nonce): SignatureNonceUsed 400', async () => {
    const relay = await startRelay(emulator.port, (req) => [req, req]);
    try {
      const error = await sdkError(
        new StsClient(sdkConfig(`127.0.0.1:${relay.port}`, root)).getCallerIdentity(),
      );
      expect([error.code, error.statusCode]).toEqual(['SignatureNonceUsed', 400]);
    } finally {
      await relay.close();
    }
  });

  it('passes STS tokens to the model and refuses a tampered one', async () => {
    const sts = backend.issueStsCredentials(ACCOUNT, 60_000, new Date());
    const ok = await new StsClient(sdkConfig(endpoint, sts)).getCallerIdentity();
    expect(ok.body?.identityType).toBe('AssumedRoleUser');
    expect(backend.contexts.at(-1)?.context.principal.kind).toBe('assumed-role');

    const tampered = { ...sts, securityToken: `${sts.securityToken.slice(0, -4)}AAAA` };
    const error = await sdkError(new StsClient(sdkConfig(endpoint, tampered)).getCallerIdentity());
    expect([error.code, error.statusCode]).toEqual(['InvalidSecurityToken.MismatchWithAccessKey', 400]);

    const relay = await startRelay(emulator.port, (req) => [
      { ...req, headers: { ...req.headers, 'x-acs-security-token': tampered.securityToken } },
    ]);
    try {
      const relayed = await sdkError(
        new StsClient(sdkConfig(`127.0.0.1:${relay.port}`, sts)).getCallerIdentity(),
      );
      expect(relayed.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    } finally {
      await relay.close();
    }
  });

  describe('v1 HMAC-SHA1 (SDK signatureAlgorithm "v2")', () => {
    it('accepts it, with parameters that need encoding', async () => {
      const client = new RamClient(sdkConfig(endpoint, root, { signatureAlgorithm: 'v2' }));
      const roleName = "odd name (x)*!'~+&=%";
      const response = await client.getRole(new $Ram.GetRoleRequest({ roleName }));
      expect(response.body?.role?.roleName).toBe(roleName);
      expect({ ...backend.contexts.at(-1)?.context.params }).toEqual({ RoleName: roleName });
    });

    it('accepts STS credentials (SecurityToken parameter)', async () => {
      const sts = backend.issueStsCredentials(ACCOUNT, 60_000, new Date());
      const response = await new StsClient(
        sdkConfig(endpoint, sts, { signatureAlgorithm: 'v2' }),
      ).getCallerIdentity();
      expect(response.body?.identityType).toBe('AssumedRoleUser');
    });

    it('refuses a wrong secret, a replay, a stale timestamp and a tampered parameter', async () => {
      const wrong = new StsClient(
        sdkConfig(endpoint, { ...root, accessKeySecret: 'nope' }, { signatureAlgorithm: 'v2' }),
      );
      const bad = await sdkError(wrong.getCallerIdentity());
      expect([bad.code, bad.statusCode]).toEqual(['SignatureDoesNotMatch', 400]);
      expect(String((bad.data as Record<string, unknown>).Message)).toContain(
        'server string to sign is:POST&%2F&',
      );

      const replay = await startRelay(emulator.port, (req) => [req, req]);
      const tamper = await startRelay(emulator.port, (req) => [
        { ...req, url: req.url.replace('RoleName=A', 'RoleName=B') },
      ]);
      try {
        const v1 = { signatureAlgorithm: 'v2' };
        const replayed = await sdkError(
          new StsClient(sdkConfig(`127.0.0.1:${replay.port}`, root, v1)).getCallerIdentity(),
        );
        expect(replayed.code).toBe('SignatureNonceUsed');
        const altered = await sdkError(
          new RamClient(sdkConfig(`127.0.0.1:${tamper.port}`, root, v1)).getRole(
            new $Ram.GetRoleRequest({ roleName: 'A' }),
          ),
        );
        expect(altered.code).toBe('SignatureDoesNotMatch');
      } finally {
        await replay.close();
        await tamper.close();
      }
      clockOffsetMs = 20 * 60 * 1000;
      const stale = await sdkError(
        new StsClient(sdkConfig(endpoint, root, { signatureAlgorithm: 'v2' })).getCallerIdentity(),
      );
      expect(stale.code).toBe('InvalidTimeStamp.Expired');
    });
  });

  describe('dispatch and error rendering', () => {
    async function post(
      path: string,
      headers: Record<string, string> = {},
    ): Promise<{ status: number; body: Record<string, unknown>; requestId: string | null }> {
      const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers });
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        requestId: response.headers.get('x-acs-request-id'),
      };
    }

    it('answers MissingAction, MissingVersion, InvalidVersion, MissingSignature and IncompleteSignature like the gateway', async () => {
      const cases: [string, Record<string, string>, string][] = [
        ['/', {}, 'MissingAction'],
        ['/?Action=GetRole', {}, 'MissingVersion'],
        ['/?Action=GetRole&Version=2099-01-01', {}, 'InvalidVersion'],
        ['/?Action=GetRole&Version=2015-05-01', {}, 'MissingSignature'],
        [
          '/',
          {
            'x-acs-action': 'GetRole',
            'x-acs-version': '2015-05-01',
            authorization: 'ACS3-HMAC-SHA256 junk',
          },
          'IncompleteSignature',
        ],
        [
          '/',
          { 'x-acs-action': 'GetRole', 'x-acs-version': '2015-05-01', authorization: 'Bearer abc' },
          'IncompleteSignature',
        ],
      ];
      for (const [path, headers, code] of cases) {
        const { status, body, requestId } = await post(path, headers);
        expect({ path, code: body.Code, status }).toEqual({ path, code, status: 400 });
        expect(body.RequestId).toBe(requestId);
        expect(typeof body.HostId).toBe('string');
        expect(typeof body.Message).toBe('string');
        expect(String(body.Recommend)).toContain(String(code));
      }
    });

    it('passes the model errors through with their status and AccessDeniedDetail', async () => {
      const ram = new RamClient(sdkConfig(endpoint, root));
      const denied = await sdkError(ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: 'x' })));
      expect([denied.code, denied.statusCode]).toEqual(['NoPermission', 403]);
      expect(denied.accessDeniedDetail).toEqual({
        AuthAction: 'ram:DeleteRole',
        NoPermissionType: 'ImplicitDeny',
      });
      const unknown = await sdkError(ram.listUsers(new $Ram.ListUsersRequest({})));
      expect([unknown.code, unknown.statusCode]).toEqual(['InvalidAction.NotFound', 404]);
    });

    it('answers a model bug 500 InternalError JSON and logs it without the request parameters', async () => {
      const secretMarker = 'Marker-That-Must-Not-Be-Logged';
      const ram = new RamClient(sdkConfig(endpoint, root));
      const error = await sdkError(ram.listRoles(new $Ram.ListRolesRequest({ marker: secretMarker })));
      expect(error).toBeInstanceOf(ServerError);
      expect([error.code, error.statusCode]).toEqual(['InternalError', 500]);
      expect(logLines.join('\n')).toContain('ram.ListRoles');
      expect(logLines.join('\n')).toContain('wire-backend.ts');
      expect(logLines.join('\n')).not.toContain(secretMarker);
      expect(logLines.join('\n')).not.toContain(root.accessKeySecret);
    });
  });
});
