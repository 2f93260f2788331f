import { describe, expect, it } from 'vitest';
import { parseBenchOptions, SECTIONS } from '../../../bench/options.js';

describe('parseBenchOptions', () => {
  it('runs every section at full size by default, and smaller with --quick', () => {
    const full = parseBenchOptions([]);
    expect(full.sections).toEqual(SECTIONS);
    expect(full.sizes.memory).toBe(10_000);
    expect(full.sizes.loadDelegations).toBe(1_000);
    expect(parseBenchOptions(['--quick']).sizes.memory).toBeLessThan(full.sizes.memory);
  });

  it.each([
    { section: 'memory', field: 'memory' },
    { section: 'coldConverge', field: 'converge' },
    { section: 'steadyState', field: 'converge' },
    { section: 'revocation', field: 'loadDelegations' },
  ] as const)('--only $section --delegations 2000 sets $field', ({ section, field }) => {
    const options = parseBenchOptions(['--only', section, '--delegations', '2000']);
    expect(options.sections).toEqual([section]);
    expect(options.sizes[field]).toBe(2_000);
  });

  it.each([
    { argv: ['--only', 'everything'], message: /--only: expected one of coldConverge/ },
    { argv: ['--delegations', '10'], message: /--delegations needs --only/ },
    {
      argv: ['--only', 'memory', '--delegations', '0'],
      message: /--delegations: expected a positive integer/,
    },
    { argv: ['--only', 'memory', '--delegations', 'many'], message: /--delegations/ },
  ])('refuses $argv', ({ argv, message }) => {
    expect(() => parseBenchOptions(argv)).toThrow(message);
  });
});
