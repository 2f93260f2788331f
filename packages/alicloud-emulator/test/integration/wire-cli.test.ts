import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { StsClient, sdkConfig } from './wire-clients.js';

const LISTENING = /^emulator listening on https?:\/\/127\.0\.0\.1:(\d+)$/;

const TSX = 'node_modules/.bin/tsx';
const CLI = 'packages/alicloud-emulator/src/cli.ts';

interface Cli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the port from the ready line and how long start-up took. */
  ready: Promise<{ port: number; line: string; startupMs: number }>;
  /** Resolves when the CLI printed that it stopped cleanly. */
  stopped: Promise<void>;
}

/** Spawns the CLI (in its own process group, as a terminal or supervisor would) and watches its stdout. */
function startCli(command: string, args: string[]): Cli {
  const started = performance.now();
  const child = spawn(command, args, { stdio: 'pipe', detached: true });
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<{ port: number; line: string; startupMs: number }>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = LISTENING.exec(line);
      if (match) resolve({ port: Number(match[1]), line, startupMs: performance.now() - started });
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited early with ${String(code)}`)));
  });
  const stopped = new Promise<void>((resolve) =>
    lines.on('line', (line) => line === 'emulator stopped' && resolve()),
  );
  return { child, ready, stopped };
}

function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('alicloud-emulator (CLI)', () => {
  const spawned: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of spawned.splice(0)) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
        process.kill(-child.pid, 'SIGKILL');
    }
  });

  it('npm run emulator -- --port 0: ready line with the real port, serves the SDKs, stops cleanly on SIGTERM', async () => {
    const cli = startCli('npm', ['run', 'emulator', '--', '--port', '0']);
    spawned.push(cli.child);
    const { port, startupMs } = await cli.ready;
    expect(port).toBeGreaterThan(0);
    console.log(`emulator start-up through npm run emulator: ${Math.round(startupMs)} ms`);

    const created = await fetch(`http://127.0.0.1:${port}/_emulator/accounts`, {
      method: 'POST',
      body: JSON.stringify({ accountId: '1111111111111111', alias: 'enterprise-a' }),
    });
    expect(created.status).toBe(201);
    const root = (await created.json()) as { accessKeyId: string; accessKeySecret: string };
    const identity = await new StsClient(sdkConfig(`127.0.0.1:${port}`, root)).getCallerIdentity();
    expect(identity.body?.accountId).toBe('1111111111111111');

    // A terminal or supervisor signals the whole process group. npm itself then re-raises the signal on
    // its own process (npm's behaviour, whatever the child's exit code), so the clean stop is observed
    // through the emulator's own "emulator stopped" line and the freed port.
    process.kill(-(cli.child.pid as number), 'SIGTERM');
    await cli.stopped;
    await exitOf(cli.child);
    await expect(fetch(`http://127.0.0.1:${port}/_emulator/faults`)).rejects.toThrow();
  });

  it('exits 0 on SIGTERM and on SIGINT when run by tsx directly', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const cli = startCli(TSX, [CLI, '--port', '0', '--host', '127.0.0.1']);
      spawned.push(cli.child);
      await cli.ready;
      const exited = exitOf(cli.child);
      cli.child.kill(signal);
      expect(await exited).toEqual({ code: 0, signal: null });
    }
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const directory = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
    try {
      await writeFile(join(directory, 'cert.pem'), pems.cert);
      await writeFile(join(directory, 'key.pem'), pems.private);
      const cli = startCli(TSX, [
        ...[CLI, '--port', '0'],
        ...['--tls-cert', join(directory, 'cert.pem'), '--tls-key', join(directory, 'key.pem')],
      ]);
      spawned.push(cli.child);
      const { port, line } = await cli.ready;
      expect(line).toBe(`emulator listening on https://127.0.0.1:${port}`);
      const status = await new Promise<number>((resolve, reject) => {
        httpsGet({ host: '127.0.0.1', port, path: '/_emulator/faults', ca: pems.cert }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject);
      });
      expect(status).toBe(200);
      const exited = exitOf(cli.child);
      cli.child.kill('SIGTERM');
      expect((await exited).code).toBe(0);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a bad or missing --port with exit 2 and the usage', async () => {
    for (const args of [['--port', 'eighty'], ['--port', '70000'], []]) {
      const child = spawn(TSX, [CLI, ...args], { stdio: 'pipe' });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      expect((await exitOf(child)).code).toBe(2);
      expect(stderr).toContain('--port');
      expect(stderr).toContain('Usage: alicloud-emulator');
    }
  });
});
