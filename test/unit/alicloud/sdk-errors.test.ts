import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import {
  CloudError,
  CredentialsUnavailableError,
  MalformedResponseError,
  type CloudErrorKind,
} from '../../../src/alicloud/errors.js';
import { kindForServiceCode, recognizedFailure, toCloudError } from '../../../src/alicloud/sdk-errors.js';

/** Builds the error the SDK throws for an error answer, exactly as openapi-core does. */
function sdkError(
  statusCode: number,
  code: string,
  message = 'message from the service',
  extra: Record<string, unknown> = {},
) {
  const map = {
    statusCode,
    code,
    message: `code: ${statusCode}, ${message} request id: REQ-1`,
    data: { Code: code, Message: message, RequestId: 'REQ-1' },
    requestId: 'REQ-1',
    ...extra,
  };
  if (code.includes('Throttling')) return new ThrottlingError(map);
  return statusCode >= 500 ? new ServerError(map) : new ClientError(map);
}

describe('kindForServiceCode', () => {
  const table: [string, CloudErrorKind | undefined][] = [
    ['EntityNotExist.Role', 'NotFound'],
    ['EntityNotExist.Role.Policy', 'NotFound'],
    ['EntityNotExist.User.LoginProfile', 'NotFound'],
    ['EntityAlreadyExists.Role', 'AlreadyExists'],
    ['EntityAlreadyExists.User.Group', 'AlreadyExists'],
    ['DeleteConflict.Role.Policy', 'Conflict'],
    ['DeleteConflict.Policy.Version', 'Conflict'],
    ['Throttling.User', 'Throttled'],
    ['Throttling.Api', 'Throttled'],
    ['Throttling', 'Throttled'],
    ['NoPermission', 'Forbidden'],
    ['Forbidden.AccessKeyDisabled', 'Forbidden'],
    ['InvalidParameter.PolicyDocument', 'Invalid'],
    ['MalformedPolicyDocument', 'Invalid'],
    ['MissingParameter', 'Invalid'],
    ['MissingRoleName', 'Invalid'],
    ['LimitExceeded.Policy.Version', 'LimitExceeded'],
    ['LimitExceeded.User', 'LimitExceeded'],
    ['InvalidAccessKeyId.NotFound', 'Forbidden'],
    ['InvalidAccessKeyId.Inactive', 'Forbidden'],
    ['SignatureDoesNotMatch', 'Forbidden'],
    ['InvalidSecurityToken.Expired', 'Forbidden'],
    ['InvalidSecurityToken.MismatchWithAccessKey', 'Forbidden'],
    ['InternalError', 'Transient'],
    ['ServiceUnavailable', 'Transient'],
    ['SomethingNew', undefined],
  ];
  it.each(table)('%s -> %s', (code, kind) => {
    expect(kindForServiceCode(code)).toBe(kind);
  });
});

describe('toCloudError: SDK service errors', () => {
  const table: [statusCode: number, code: string, kind: CloudErrorKind][] = [
    [404, 'EntityNotExist.Role', 'NotFound'],
    [409, 'EntityAlreadyExists.Role', 'AlreadyExists'],
    [409, 'DeleteConflict.Role.Policy', 'Conflict'],
    [400, 'Throttling.User', 'Throttled'],
    [403, 'NoPermission', 'Forbidden'],
    [400, 'InvalidParameter.RoleName.InvalidChars', 'Invalid'],
    [400, 'MalformedPolicyDocument', 'Invalid'],
    [409, 'LimitExceeded.Policy.Version', 'LimitExceeded'],
    [404, 'InvalidAccessKeyId.NotFound', 'Forbidden'],
    [400, 'SignatureDoesNotMatch', 'Forbidden'],
    [400, 'InvalidSecurityToken.Expired', 'Forbidden'],
    [500, 'InternalError', 'Transient'],
    [503, 'ServiceUnavailable', 'Transient'],
    // Unknown codes fall back on the HTTP status.
    [502, 'BadGateway', 'Transient'],
    [404, 'Unheard.Of', 'NotFound'],
    [403, 'Unheard.Of', 'Forbidden'],
    [400, 'Unheard.Of', 'Invalid'],
  ];
  it.each(table)('%i %s -> %s', (statusCode, code, kind) => {
    const error = toCloudError(sdkError(statusCode, code), 'DoThing');
    expect(error).toBeInstanceOf(CloudError);
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ action: 'DoThing', statusCode, requestId: 'REQ-1' });
    expect(error.message).toBe(`DoThing: ${code}: message from the service`);
    expect(error.retryable).toBe(kind === 'Throttled' || kind === 'Transient');
  });

  it('carries the retry-after of a throttling answer', () => {
    const error = toCloudError(
      sdkError(400, 'Throttling.User', 'slow down', { retryAfter: 1500 }),
      'GetRole',
    );
    expect(error.kind).toBe('Throttled');
    expect(error.details.retryAfterMs).toBe(1500);
  });

  it('has no retry-after when the service sent none', () => {
    expect(toCloudError(sdkError(400, 'Throttling.User'), 'GetRole').details.retryAfterMs).toBeUndefined();
  });

  it('carries the access denied detail of a 403', () => {
    const detail = {
      AuthAction: 'ram:CreateRole',
      AuthPrincipalType: 'SubUser',
      NoPermissionType: 'ImplicitDeny',
    };
    const error = toCloudError(
      sdkError(403, 'NoPermission', 'denied', { accessDeniedDetail: detail }),
      'CreateRole',
    );
    expect(error.details.accessDeniedDetail).toEqual(detail);
  });
});

describe('toCloudError: failures that never reached a JSON answer', () => {
  function nodeError(code: string): Error {
    return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, errno: -1, syscall: 'connect' });
  }

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])(
    '%s is Transient',
    (code) => {
      const error = toCloudError(nodeError(code), 'GetRole');
      expect(error.kind).toBe('Transient');
      expect(error.code).toBe(code);
    },
  );

  it('a non-JSON error body (bare SyntaxError) is Transient', () => {
    let parseError: unknown;
    try {
      JSON.parse('<html>502 Bad Gateway</html>');
    } catch (error) {
      parseError = error;
    }
    const error = toCloudError(parseError, 'ListUsers');
    expect(error.kind).toBe('Transient');
    expect(error.code).toBe('MalformedResponse');
  });

  it("httpx's RequestTimeoutError is Transient", () => {
    const timeout = Object.assign(new Error('ReadTimeout: 15000. POST / failed.'), {
      name: 'RequestTimeoutError',
    });
    const error = toCloudError(timeout, 'GetRole');
    expect(error).toMatchObject({ kind: 'Transient', code: 'RequestTimeout' });
  });

  it('never copies request parameters (a password) from a timeout message', () => {
    const path =
      '/?Action=CreateLoginProfile&UserName=alice&Password=Sup3r-Secret!&PasswordResetRequired=true';
    const read = Object.assign(new Error(`ReadTimeout: 15000. POST ${path} failed.`), {
      name: 'RequestTimeoutError',
    });
    const connect = Object.assign(
      new Error(`ConnectTimeout: Connect http://ram.aliyuncs.com${path} failed.`),
      {
        name: 'RequestTimeoutError',
      },
    );
    const other = new Error(`socket hang up while sending http://ram.aliyuncs.com${path}`);
    for (const raw of [read, connect, other]) {
      const error = toCloudError(raw, 'CreateLoginProfile');
      expect(error.message).not.toContain('Sup3r-Secret');
      expect(error.message).toContain('[redacted]');
    }
  });

  it('an unknown failure is Transient and keeps its text', () => {
    const error = toCloudError(new TypeError('boom'), 'GetRole');
    expect(error).toMatchObject({ kind: 'Transient', code: 'TypeError' });
    expect(error.message).toContain('boom');
  });

  it('a CloudError passes through, gaining the action when it had none and keeping its class', () => {
    const original = new CredentialsUnavailableError('no credentials');
    const mapped = toCloudError(original, 'GetRole');
    expect(mapped).toBeInstanceOf(CredentialsUnavailableError);
    expect(mapped).toMatchObject({
      kind: 'Forbidden',
      code: 'CredentialsUnavailable',
      message: 'no credentials',
      details: { action: 'GetRole' },
    });
    expect(original.details.action).toBeUndefined();
    const withAction = new CloudError('NotFound', 'EntityNotExist.Role', 'x', { action: 'AssumeRole' });
    expect(toCloudError(withAction, 'GetRole')).toBe(withAction);
  });

  it('a body that is not JSON is a MalformedResponseError', () => {
    const error = toCloudError(new SyntaxError('Unexpected token <'), 'GetRole');
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ kind: 'Transient', code: 'MalformedResponse' });
  });
});

describe('recognizedFailure', () => {
  it("recognizes network failures and service answers, not a library's own plain errors", () => {
    expect(recognizedFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'A')).toMatchObject({
      kind: 'Transient',
    });
    expect(
      recognizedFailure(Object.assign(new Error('x'), { name: 'ServerError', code: 'InternalError' }), 'A'),
    ).toMatchObject({ kind: 'Transient', code: 'InternalError' });
    expect(recognizedFailure(new Error('the OIDC token file does not exist'), 'A')).toBeUndefined();
  });
});
