import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  createLogger,
  reconcileLogger,
  redactPaths,
  scrubSecrets,
  scrubText,
} from '../../../src/observability/logger.js';

/** A logger whose lines are collected as parsed JSON. */
function capture(level = 'debug') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const logger = createLogger({ level, destination: destination });
  const flushed = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return lines
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, any>);
  };
  return { logger, flushed, raw: () => lines.join('') };
}

const SECRET = 'Q7xv2LmN8pRt4WzY6bHc1dFg3jKs5A';
const TOKEN = 'CAIS9AJ1q6Ft5B2yfSjIr5bXK8j4jL1D0qx2a3bG5mW9nP7sT';

describe('logger redaction', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['top-level accessKeySecret', { accessKeySecret: SECRET }],
    ['SDK casing, nested', { credentials: { AccessKeyId: 'LTAI-id', AccessKeySecret: SECRET } }],
    ['deeply nested securityToken', { a: { b: { c: { d: { securityToken: TOKEN } } } } }],
    ['SecurityToken in an array', { list: [{ SecurityToken: TOKEN }] }],
    ['password', { login: { password: SECRET } }],
    ['authorization header', { headers: { authorization: `Bearer ${TOKEN}` } }],
    ['token', { token: TOKEN }],
    [
      'Secret data',
      {
        object: {
          kind: 'Secret',
          metadata: { name: 'enterprise-a' },
          data: { accessKeySecret: Buffer.from(SECRET).toString('base64') },
        },
      },
    ],
    ['secret.stringData', { secret: { stringData: { anything: SECRET } } }],
    [
      'a Secret from a list (no kind)',
      {
        cached: {
          metadata: { name: 'enterprise-b' },
          type: 'Opaque',
          data: { whatever: Buffer.from(SECRET).toString('base64') },
        },
      },
    ],
    ['x-acs-security-token header', { request: { headers: { 'x-acs-security-token': TOKEN } } }],
  ];

  it.each(cases)('censors %s', async (_name, fields) => {
    const { logger, flushed, raw } = capture();
    logger.info(fields, 'event');
    const [line] = await flushed();
    expect(line).toBeDefined();
    expect(raw()).not.toContain(SECRET);
    expect(raw()).not.toContain(TOKEN);
    expect(raw()).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(raw()).toContain(REDACTED);
  });

  it.each([
    [
      'with kind',
      {
        kind: 'Secret',
        metadata: { name: 's' },
        type: 'Opaque',
        data: { password: 'aHVudGVyMg==', note: 'c2hvcnQ=' },
      },
    ],
    [
      'from a list, without kind',
      { metadata: { name: 's' }, type: 'Opaque', data: { anything: 'aHVudGVyMg==', note: 'c2hvcnQ=' } },
    ],
  ])('censors the whole data of a Secret %s, but not a ConfigMap', async (_name, secret) => {
    const { logger, flushed, raw } = capture();
    logger.info({ object: secret, configMap: { metadata: { name: 'c' }, data: { color: 'blue' } } }, 'seen');
    const [line] = await flushed();
    expect(raw()).not.toContain('aHVudGVyMg==');
    expect(raw()).not.toContain('c2hvcnQ=');
    expect(line!.object.data).toBe(REDACTED);
    expect(line!.configMap.data).toEqual({ color: 'blue' });
  });

  it('keeps the fields that are not secret', async () => {
    const { logger, flushed } = capture();
    logger.info(
      {
        credentials: { AccessKeyId: 'LTAI-id', AccessKeySecret: SECRET },
        secretRef: { name: 'enterprise-a' },
      },
      'resolved',
    );
    const [line] = await flushed();
    expect(line!.credentials).toEqual({ AccessKeyId: 'LTAI-id', AccessKeySecret: REDACTED });
    expect(line!.secretRef).toEqual({ name: 'enterprise-a' });
    expect(line!.msg).toBe('resolved');
  });

  it('scrubs error messages, stacks and error properties', async () => {
    const { logger, flushed, raw } = capture();
    const error = Object.assign(new Error(`signature failed for accessKeySecret=${SECRET}`), {
      data: { SecurityToken: TOKEN },
      code: 'X',
    });
    logger.error({ err: error }, 'call failed');
    const [line] = await flushed();
    expect(raw()).not.toContain(SECRET);
    expect(raw()).not.toContain(TOKEN);
    expect(line!.err.type).toBe('Error');
    expect(line!.err.code).toBe('X');
    expect(line!.err.stack).toContain('signature failed');
  });

  it('scrubs message strings and child bindings', async () => {
    const { logger, flushed, raw } = capture();
    const child = reconcileLogger(logger, { key: 'platform/orders', reconcileId: 'r-1' }).child({
      password: SECRET,
    });
    child.warn(`retrying with securityToken: ${TOKEN}`);
    const [line] = await flushed();
    expect(raw()).not.toContain(SECRET);
    expect(raw()).not.toContain(TOKEN);
    expect(line).toMatchObject({ delegation: 'platform/orders', reconcileId: 'r-1', level: 'warn' });
  });

  it('expresses the keys as pino redact paths at the top level and one level down', () => {
    expect(redactPaths()).toEqual(
      expect.arrayContaining([
        'accessKeySecret',
        '*.AccessKeySecret',
        'securityToken',
        '*.SecurityToken',
        'secret.data',
      ]),
    );
  });
});

describe('scrubText', () => {
  it.each([
    [`accessKeySecret=${SECRET}`, `accessKeySecret=${REDACTED}`],
    [`{"SecurityToken":"${TOKEN}"}`, `{"SecurityToken":"${REDACTED}"}`],
    [`Authorization: Bearer ${TOKEN}`, `Authorization: ${REDACTED} ${REDACTED}`],
    [`header Bearer ${TOKEN}`, `header Bearer ${REDACTED}`],
    [`got ${SECRET} back`, `got ${REDACTED} back`],
    [
      'role acs:ram::1111111111111111:role/orders-bus-publisher attached AliyunEventBridgeReadOnlyAccess',
      'role acs:ram::1111111111111111:role/orders-bus-publisher attached AliyunEventBridgeReadOnlyAccess',
    ],
    [
      'request 6C1A2B3D-4E5F-6789-ABCD-EF0123456789 failed',
      'request 6C1A2B3D-4E5F-6789-ABCD-EF0123456789 failed',
    ],
  ])('%s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it('censors values the caller knows to be secret', () => {
    expect(scrubText('password is hunter2!', ['hunter2!'])).toBe(`password is ${REDACTED}`);
  });
});

describe('scrubSecrets', () => {
  it('copies without mutating and survives cycles', () => {
    const input: Record<string, unknown> = { password: 'p4ss', nested: { ok: 1 } };
    input.self = input;
    const output = scrubSecrets(input) as Record<string, unknown>;
    expect(input.password).toBe('p4ss');
    expect(output).toEqual({ password: REDACTED, nested: { ok: 1 }, self: '[Circular]' });
  });
});
