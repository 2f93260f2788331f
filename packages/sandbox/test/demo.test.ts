/** `npm run demo` plays the seed scenario; CI runs it exactly as a user would (`npm run demo -- --json`). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operatorPaths } from '../src/index.js';

describe('ram-delegation demo', () => {
  it('holds at every step and reports the facts as JSON', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'demo', '--', '--json'], {
      cwd: operatorPaths.root,
      timeout: 120_000,
    });
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual([
      'sandbox',
      'applied',
      'ready',
      'assumed',
      'published',
      'deleted',
      'refused',
      'clean',
    ]);
    expect(report.roleArn).toBe('acs:ram::1111111111111111:role/orders-bus-publisher');
    expect(report.readyAfterMs).toBeGreaterThan(0);
    expect(report.refusedAfterDeleteMs).toBeLessThan(5_000);
    expect(report.leftovers).toEqual([]);
  }, 150_000);
});
