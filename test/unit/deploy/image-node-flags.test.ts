import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { imageNodeFlags } from '../../../bench/bench-operator.js';

describe("the image's node flags (the Dockerfile's ENTRYPOINT, also run by the memory benchmark)", () => {
  it('sets a small young generation', () => {
    expect(imageNodeFlags()).toContain('--max-semi-space-size=2');
  });

  it('are accepted by this Node.js', () => {
    const run = spawnSync(process.execPath, [...imageNodeFlags(), '-e', 'process.exit(0)'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
