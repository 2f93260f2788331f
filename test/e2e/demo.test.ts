/** Issue 7: `npm run demo` plays the seed scenario; CI runs it exactly as a user would (`demo --json`). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

describe('ram-delegation demo', () => {
  it('holds at every step and reports the facts as JSON', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'demo', '--json'], { timeout: 120_000 });
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual(['sandbox', 'applied', 'ready', 'assumed', 'published', 'deleted', 'refused', 'clean']);
    expect(report.roleArn).toBe('acs:ram::1111111111111111:role/orders-bus-publisher');
    expect(report.readyAfterMs).toBeGreaterThan(0);
    expect(report.refusedAfterDeleteMs).toBeLessThan(5_000);
    expect(report.leftovers).toEqual([]);
  }, 150_000);
});
