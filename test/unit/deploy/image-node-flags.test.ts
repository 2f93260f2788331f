import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { imageNodeFlags } from '../../../bench/bench-operator.js';

describe("the image's node flags (the Dockerfile's ENTRYPOINT, also run by the memory benchmark)", () => {
  it('sets a small young generation', () => {
    expect(imageNodeFlags()).toContain('--max-semi-space-size=2');
  });

  it("cap the old generation at three quarters of the Deployment's memory limit", () => {
    const deployment = parse(readFileSync('deploy/base/deployment.yaml', 'utf8')) as {
      spec: { template: { spec: { containers: Array<{ resources: { limits: { memory: string } } }> } } };
    };
    const limit = deployment.spec.template.spec.containers[0]?.resources.limits.memory;
    expect(limit).toMatch(/^\d+Mi$/);
    const cap = imageNodeFlags().find((flag) => flag.startsWith('--max-old-space-size='));
    expect(Number(cap?.split('=')[1])).toBe(Number.parseInt(limit ?? '', 10) * 0.75);
  });

  it('are accepted by this Node.js', () => {
    const run = spawnSync(process.execPath, [...imageNodeFlags(), '-e', 'process.exit(0)'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
