import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { createWireTestBackend, type WireTestBackend } from './wire-backend.js';

const run = promisify(execFile);
const ACCOUNT = '1111111111111111';

/**
 * @alicloud/credentials' ram_role_arn provider makes its own v1-signed AssumeRole call and only over
 * HTTPS, so the emulator serves TLS here and the client runs in a child process trusting the test
 * certificate through NODE_EXTRA_CA_CERTS.
 */
describe('emulator wire: @alicloud/credentials v1 requests over HTTPS', () => {
  let backend: WireTestBackend;
  let emulator: RunningEmulator;
  let directory: string;
  let caFile: string;

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    directory = await mkdtemp(join(tmpdir(), 'emulator-wire-'));
    caFile = join(directory, 'ca.pem');
    await writeFile(caFile, pems.cert);
    backend = createWireTestBackend();
    emulator = await startEmulator({
      port: 0,
      backend,
      tls: { key: pems.private, cert: pems.cert },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(directory, { recursive: true, force: true });
  });

  async function assumeRoleWith(secret: string): Promise<Record<string, unknown>> {
    const account = backend.createAccount(ACCOUNT, undefined);
    const { stdout } = await run(
      'npx',
      ['tsx', 'packages/alicloud-emulator/test/integration/wire-credentials-client.ts'],
      {
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: caFile,
          WIRE_AK: account.accessKeyId,
          WIRE_SECRET: secret,
          WIRE_ROLE_ARN: `acs:ram::${ACCOUNT}:role/tester`,
          WIRE_STS_ENDPOINT: `127.0.0.1:${emulator.port}`,
        },
        timeout: 20_000,
      },
    );
    const line = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(line) as Record<string, unknown>;
  }

  it('accepts the provider AssumeRole (query plus form body, v1 signature) over TLS', async () => {
    expect(emulator.url.startsWith('https://')).toBe(true);
    const result = await assumeRoleWith(backend.createAccount(ACCOUNT, undefined).accessKeySecret);
    expect(result).toMatchObject({ ok: true, credential: { hasToken: true } });
    const call = backend.contexts.at(-1);
    expect([call?.product, call?.action]).toEqual(['sts', 'AssumeRole']);
    expect({ ...call?.context.params }).toEqual({
      RoleArn: `acs:ram::${ACCOUNT}:role/tester`,
      RoleSessionName: 'wire-credentials',
      DurationSeconds: '3600',
    });
    expect(call?.context.secureTransport).toBe(true);
  });

  it('answers a wrong secret so that the provider recognises it (same string to sign on both sides)', async () => {
    const result = await assumeRoleWith('not-the-secret');
    expect(result).toEqual({ ok: false, message: 'the access key secret is invalid' });
  });
});
