/**
 * The benchmark's command line: `[--quick] [--only <section>] [--delegations <n>] [--heap-snapshot]`,
 * and the sizes each section runs at (docs/benchmarks.md#method).
 */
import { parseArgs } from 'node:util';

export const SECTIONS = ['coldConverge', 'steadyState', 'revocation', 'memory'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Sizes {
  /** coldConverge and steadyState: delegations of the minimal shape. */
  converge: number;
  /** steadyState: the resync period, seconds. */
  resyncSeconds: number;
  /** steadyState: users in account B that no delegation manages. */
  unrelatedUsers: number;
  /** revocation: delegations revoked one at a time, with and without authorizationLagMs, and under load. */
  revocations: number;
  revocationsUnderLag: number;
  revocationsUnderLoad: number;
  /** revocation.underLoad: delegations resyncing meanwhile. */
  loadDelegations: number;
  /**
   * memory: delegations; how long the operator settles idle, and at least how long after the last Ready
   * (memory.ts extends it past one resync period, so that resyncs run meanwhile).
   */
  memory: number;
  memoryIdleSettleSeconds: number;
  memorySettleSeconds: number;
}

export interface BenchOptions {
  quick: boolean;
  sections: readonly Section[];
  sizes: Sizes;
  heapSnapshot: boolean;
}

const FULL: Sizes = {
  converge: 1_000,
  resyncSeconds: 30,
  unrelatedUsers: 1_000,
  revocations: 100,
  revocationsUnderLag: 20,
  revocationsUnderLoad: 50,
  loadDelegations: 1_000,
  memory: 10_000,
  memoryIdleSettleSeconds: 60,
  memorySettleSeconds: 600,
};

const QUICK: Sizes = {
  converge: 60,
  resyncSeconds: 6,
  unrelatedUsers: 1_000,
  revocations: 10,
  revocationsUnderLag: 5,
  revocationsUnderLoad: 10,
  loadDelegations: 100,
  memory: 300,
  memoryIdleSettleSeconds: 10,
  memorySettleSeconds: 45,
};

/** `--delegations` sets the size of the one section `--only` runs. */
function withDelegations(sizes: Sizes, section: Section, n: number): Sizes {
  switch (section) {
    case 'coldConverge':
    case 'steadyState':
      return { ...sizes, converge: n };
    case 'revocation':
      return { ...sizes, loadDelegations: n };
    case 'memory':
      return { ...sizes, memory: n };
  }
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      delegations: { type: 'string' },
      'heap-snapshot': { type: 'boolean', default: false },
    },
  });
  const only = values.only;
  if (only !== undefined && !(SECTIONS as readonly string[]).includes(only))
    throw new Error(`--only: expected one of ${SECTIONS.join(', ')}, got "${only}"`);
  let sizes = values.quick ? QUICK : FULL;
  if (values.delegations !== undefined) {
    const n = Number(values.delegations);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--delegations: expected a positive integer`);
    if (only === undefined) throw new Error('--delegations needs --only <section>');
    sizes = withDelegations(sizes, only as Section, n);
  }
  return {
    quick: values.quick,
    sections: only === undefined ? SECTIONS : [only as Section],
    sizes,
    heapSnapshot: values['heap-snapshot'],
  };
}
