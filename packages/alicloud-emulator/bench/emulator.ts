/**
 * Emulator throughput: GetRole through the official RAM SDK (ACS3-signed, keep-alive), several
 * concurrent clients, a fixed number of requests, bounded time. The emulator runs in its own process
 * (the package's own CLI, `alicloud-emulator`), so the CPU each side used tells which one is the bottleneck.
 * Prints one JSON document. Usage: tsx bench/emulator.ts [--requests N] [--concurrency C] [--timeout S]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import RamModule, * as $Ram from '@alicloud/ram20150501';
import { $OpenApiUtil } from '@alicloud/openapi-core';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    timeout: { type: 'string', default: '60' },
  },
});
const totalRequests = Number(values.requests);
const concurrency = Number(values.concurrency);
const timeoutMs = Number(values.timeout) * 1000;

// A CommonJS package with `exports.default = Client`, run under Node's own ESM loader (tsx).
const RamClient = RamModule.default;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const match = /^emulator listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const account = (await (
      await fetch(`${base}/_emulator/accounts`, {
        method: 'POST',
        body: JSON.stringify({ accountId: '1111111111111111' }),
      })
    ).json()) as { accessKeyId: string; accessKeySecret: string };
    const config = new $OpenApiUtil.Config({ ...account, endpoint: `127.0.0.1:${port}`, protocol: 'http' });
    const trust = {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::2222222222222222:root'] } },
      ],
    };
    await new RamClient(config).createRole(
      new $Ram.CreateRoleRequest({ roleName: 'bench-role', assumeRolePolicyDocument: JSON.stringify(trust) }),
    );

    const clients = Array.from({ length: concurrency }, () => new RamClient(config));
    const request = new $Ram.GetRoleRequest({ roleName: 'bench-role' });
    let issued = 0;
    let completed = 0;
    const errors = new Map<string, number>();
    const deadline = performance.now() + timeoutMs;
    const emulatorCpuBefore = cpuSecondsOf(child.pid as number);
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (issued < totalRequests && performance.now() < deadline) {
          issued += 1;
          try {
            await client.getRole(request);
            completed += 1;
          } catch (error) {
            const { code } = error as { code?: unknown };
            const key = typeof code === 'string' ? code : error instanceof Error ? error.message : 'unknown';
            errors.set(key, (errors.get(key) ?? 0) + 1);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const emulatorCpuSeconds = cpuSecondsOf(child.pid as number) - emulatorCpuBefore;
    const clientCpuSeconds = (clientCpu.user + clientCpu.system) / 1e6;
    console.log(
      JSON.stringify(
        {
          benchmark: 'emulator GetRole via @alicloud/ram20150501 (ACS3-HMAC-SHA256, keep-alive)',
          requests: completed,
          errors: Object.fromEntries(errors),
          concurrency,
          seconds: Number(seconds.toFixed(3)),
          requestsPerSecond: Math.round(completed / seconds),
          timedOut: issued < totalRequests,
          cpu: {
            emulatorSeconds: Number(emulatorCpuSeconds.toFixed(2)),
            sdkClientSeconds: Number(clientCpuSeconds.toFixed(2)),
            emulatorMicrosPerRequest: Math.round((emulatorCpuSeconds * 1e6) / Math.max(1, completed)),
            sdkClientMicrosPerRequest: Math.round((clientCpuSeconds * 1e6) / Math.max(1, completed)),
          },
          // What one fully available core could serve on each side, from the CPU each used per request:
          // the smaller one is the bottleneck (the machine's cores are shared with other work).
          capacityPerCore: {
            emulatorRequestsPerSecond: Math.round(completed / Math.max(1e-6, emulatorCpuSeconds)),
            sdkClientRequestsPerSecond: Math.round(completed / Math.max(1e-6, clientCpuSeconds)),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    child.kill('SIGTERM');
  }
}

await main();
