/**
 * Run by emulator-wire-credentials.test.ts in a child process (so that NODE_EXTRA_CA_CERTS can trust the
 * emulator's test certificate): obtains STS credentials with @alicloud/credentials' ram_role_arn
 * provider, which signs its AssumeRole call with the v1 HMAC-SHA1 scheme and only speaks HTTPS.
 * Prints one JSON line: `{"ok":true,"credential":{...}}` or `{"ok":false,"message":"..."}`.
 */
import CredentialsModule from '@alicloud/credentials';

// A CommonJS package with `exports.default = Credential`, run here under Node's own ESM loader (tsx).
const { default: Credential, Config } = CredentialsModule;

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

try {
  const credential = new Credential(
    new Config({
      type: 'ram_role_arn',
      accessKeyId: env('WIRE_AK'),
      accessKeySecret: env('WIRE_SECRET'),
      roleArn: env('WIRE_ROLE_ARN'),
      roleSessionName: 'wire-credentials',
      stsEndpoint: env('WIRE_STS_ENDPOINT'),
    }),
  );
  const model = await credential.getCredential();
  console.log(
    JSON.stringify({
      ok: true,
      credential: { accessKeyId: model.accessKeyId, hasToken: Boolean(model.securityToken) },
    }),
  );
} catch (error) {
  console.log(JSON.stringify({ ok: false, message: error instanceof Error ? error.message : String(error) }));
}
