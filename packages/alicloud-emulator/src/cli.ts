#!/usr/bin/env node
/**
 * `alicloud-emulator --port <n>`: the emulator as a process. Prints one ready line, then serves until
 * SIGINT or SIGTERM. The handlers stay installed: under `npm run`/`tsx` a stop signal often arrives twice
 * (to the process group and relayed by the wrapper), and the second must not kill a clean stop.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const USAGE = [
  'Usage: alicloud-emulator --port <n> [--host 127.0.0.1] [--tls-cert <pem> --tls-key <pem>]',
  '',
  'Serves RAM 2015-05-01, STS 2015-04-01 and EventBridge PutEvents for the official SDKs',
  "(endpoint '<host>:<port>', protocol 'http'), plus the /_emulator admin API.",
  'Prints "emulator listening on http://<host>:<port>" when ready; SIGINT or SIGTERM stops it.',
  '  --port <n>     port to listen on; 0 picks a free one',
  '  --host <addr>  address to bind (default 127.0.0.1)',
  '  --tls-cert <file>, --tls-key <file>',
  '                 serve HTTPS with this PEM certificate and key (for clients that only speak HTTPS,',
  "                 such as @alicloud/credentials' ram_role_arn provider; trust it with NODE_EXTRA_CA_CERTS)",
].join('\n');

class UsageError extends Error {}

interface EmulatorArguments {
  port: number;
  host: string;
  tls?: { cert: string; key: string };
}

async function readArguments(args: string[]): Promise<EmulatorArguments> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = Number(values.port);
  if (values.port === undefined || !/^\d+$/.test(values.port) || port > 65535) {
    throw new UsageError(
      `--port must be a number from 0 (any free port) to 65535, got "${values.port ?? ''}"`,
    );
  }
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new UsageError('--tls-cert and --tls-key go together');
  const tls =
    certFile && keyFile
      ? { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') }
      : undefined;
  return { port, host: values.host, ...(tls ? { tls } : {}) };
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: EmulatorArguments;
  try {
    options = await readArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`alicloud-emulator: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const signalled = new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  const emulator = await startEmulator(options);
  console.log(`emulator listening on ${emulator.url}`);
  await signalled;
  await emulator.stop();
  console.log('emulator stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
