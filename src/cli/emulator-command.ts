import { readFile } from 'node:fs/promises';
import { parseOptions, parsePort, untilSignalled } from './arguments.js';
import { UsageError, type CliCommand } from './command.js';

async function readTls(
  certFile: string | undefined,
  keyFile: string | undefined,
): Promise<{ cert: string; key: string } | undefined> {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
}

export const emulatorCommand: CliCommand = {
  name: 'emulator',
  summary: 'run the Alibaba Cloud emulator (RAM, STS, EventBridge PutEvents) on one HTTP port',
  usage: [
    'Usage: ram-delegation emulator --port <n> [--host 127.0.0.1] [--tls-cert <pem> --tls-key <pem>]',
    '',
    'Serves RAM 2015-05-01, STS 2015-04-01 and EventBridge PutEvents for the official SDKs',
    "(endpoint '<host>:<port>', protocol 'http'), plus the /_emulator admin API.",
    'Prints "emulator listening on http://<host>:<port>" when ready; SIGINT or SIGTERM stops it.',
    '  --port <n>     port to listen on; 0 picks a free one',
    '  --host <addr>  address to bind (default 127.0.0.1)',
    '  --tls-cert <file>, --tls-key <file>',
    '                 serve HTTPS with this PEM certificate and key (for clients that only speak HTTPS,',
    "                 such as @alicloud/credentials' ram_role_arn provider; trust it with NODE_EXTRA_CA_CERTS)",
  ].join('\n'),
  async run(args) {
    const values = parseOptions(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    });
    const port = parsePort(values.port);
    const tls = await readTls(values['tls-cert'], values['tls-key']);
    const { startEmulator } = await import('../sandbox/emulator/index.js');
    const signalled = untilSignalled();
    const emulator = await startEmulator({ port, host: values.host ?? '127.0.0.1', ...(tls ? { tls } : {}) });
    console.log(`emulator listening on ${emulator.url}`);
    await signalled;
    await emulator.stop();
    console.log('emulator stopped');
    return 0;
  },
};
