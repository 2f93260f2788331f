import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DECLARED_MINIMUM,
  declaredPerDelegation,
  declaredTally,
  madeVersusDeclared,
} from '../../../bench/declared-minimum.js';
import { BENCHMARKS_DOC, withDeclaredMinimum } from '../../../scripts/docs.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('the declared minimum', () => {
  it.each([
    { shape: 'minimal', owner: 3, authorized: 2 },
    { shape: 'withUser', owner: 5, authorized: 8 },
  ] as const)('$shape: $owner calls per delegation in A, $authorized in B', ({ shape, ...expected }) => {
    expect(declaredPerDelegation(shape)).toEqual(expected);
  });

  it('counts per-delegation calls N times and per-identity calls once per identity', () => {
    expect(declaredTally('minimal', 'owner', 10)).toEqual({
      'ram:GetRole': 10,
      'ram:CreateRole': 10,
      'ram:AttachPolicyToRole': 10,
      'sts:GetCallerIdentity': 1,
    });
    expect(declaredTally('withUser', 'authorized', 2, 3)).toMatchObject({
      'ram:CreateUser': 2,
      'sts:GetCallerIdentity': 3,
      'ram:GetAccountAlias': 3,
    });
  });

  it('reports the calls made next to the declared minimum without mixing them', () => {
    const made = { owner: { 'ram:GetRole': 25, 'ram:CreateRole': 10 }, authorized: { 'ram:GetPolicy': 7 } };
    const versus = madeVersusDeclared('minimal', 10, made);
    expect(versus.callsMade).toEqual({ owner: 35, authorized: 7 });
    expect(versus.declaredMinimumCalls).toEqual({ owner: 31, authorized: 21 });
  });

  it('names each call as the emulator counts it, with a reason', () => {
    for (const declared of Object.values(DECLARED_MINIMUM)) {
      for (const side of [declared.owner, declared.authorized]) {
        for (const { call, why } of [...side.perDelegation, ...side.perIdentity]) {
          expect(call).toMatch(/^(ram|sts):[A-Z][A-Za-z]+$/);
          expect(why.length).toBeGreaterThan(10);
        }
      }
    }
  });

  it('is the table in docs/benchmarks.md (run `npm run docs` after changing it)', async () => {
    const page = readFileSync(join(root, BENCHMARKS_DOC), 'utf8');
    expect(page).toBe(await withDeclaredMinimum(page));
  });
});
