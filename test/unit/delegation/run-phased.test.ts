import { describe, expect, it } from 'vitest';
import { PHASES, toActions, type Phase, type PlannedAction } from '../../../src/delegation/action.js';
import type { Change } from '../../../src/delegation/change.js';
import { mapLimited } from '../../../src/delegation/map-limited.js';
import { ApplyError, runPhased } from '../../../src/delegation/run-phased.js';

type Op = { name: string };
const describeOp = (op: Op) => ({
  verb: 'Created' as const,
  entity: `thing/${op.name}`,
  description: op.name,
});
const plan = (...steps: [Phase, string][]): PlannedAction<Op>[] =>
  toActions(
    steps.map(([phase, name]) => ({ phase, op: { name } })),
    describeOp,
    { side: 'owner', drift: false },
  );
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('toActions', () => {
  it('orders by phase, keeps the planned order inside a phase', () => {
    const actions = plan(['purge', 'p'], ['prepare', 'a'], ['create', 'c'], ['prepare', 'b']);
    expect(actions.map((a) => `${a.phase}:${a.op.name}`)).toEqual([
      'prepare:a',
      'prepare:b',
      'create:c',
      'purge:p',
    ]);
  });

  it('keeps one action per write, in the earliest phase it was planned in', () => {
    const actions = plan(['retire', 'x'], ['prepare', 'x'], ['delete', 'x']);
    expect(actions.map((a) => a.phase)).toEqual(['prepare']);
  });

  it('marks drift on corrections, never on adoptions, and ends the description with why', () => {
    const actions = toActions(
      [
        { phase: 'prepare', op: 'tag', why: 'adoption' },
        { phase: 'prepare', op: 'fix' },
      ],
      (op: string) => ({ verb: op === 'tag' ? 'Tagged' : 'Updated', entity: `e/${op}`, description: op }),
      { side: 'authorized', drift: true },
    );
    expect(actions.map((a) => a.change)).toEqual([
      { side: 'authorized', verb: 'Tagged', entity: 'e/tag', drift: false, description: 'tag (adoption)' },
      { side: 'authorized', verb: 'Updated', entity: 'e/fix', drift: true, description: 'fix' },
    ]);
  });
});

describe('runPhased', () => {
  it('finishes every action of a phase before the next phase starts', async () => {
    const log: string[] = [];
    await runPhased(
      plan(['create', 'c1'], ['prepare', 'p1'], ['create', 'c2'], ['prepare', 'p2']),
      async (action) => {
        log.push(`start ${action.op.name}`);
        await tick();
        log.push(`end ${action.op.name}`);
      },
      { concurrency: 4 },
    );
    const lastPrepare = Math.max(log.indexOf('end p1'), log.indexOf('end p2'));
    const firstCreate = Math.min(log.indexOf('start c1'), log.indexOf('start c2'));
    expect(lastPrepare).toBeLessThan(firstCreate);
  });

  it.each([
    [1, 1],
    [2, 2],
    [(_phase: Phase, count: number) => count, 5],
  ] as const)('never has more than the allowed actions in flight (%s)', async (concurrency, expected) => {
    let inFlight = 0;
    let most = 0;
    await runPhased(
      plan(...Array.from({ length: 5 }, (_, i): [Phase, string] => ['prepare', `a${i}`])),
      async () => {
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight--;
      },
      { concurrency },
    );
    expect(most).toBe(expected);
  });

  it('on a failure starts nothing new, waits for what is in flight, and reports what was done', async () => {
    const started: string[] = [];
    const error = await runPhased(
      plan(['prepare', 'slow'], ['prepare', 'bad'], ['prepare', 'later'], ['create', 'next']),
      async (action) => {
        started.push(action.op.name);
        if (action.op.name === 'bad') throw new Error('boom');
        await tick();
      },
      { concurrency: 2 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    const applyError = error as ApplyError;
    expect(started).toEqual(['slow', 'bad']);
    expect(applyError.failed.entity).toBe('thing/bad');
    expect(applyError.done.map((c) => c.entity)).toEqual(['thing/slow']);
    expect(applyError.message).toBe('bad: boom');
  });

  it('keeps the extra writes an action records, and tells when each phase is done', async () => {
    const extra: Change = { side: 'owner', verb: 'Detached', entity: 'late', drift: false, description: 'x' };
    const phasesDone: Phase[] = [];
    const changes = await runPhased(plan(['delete', 'd']), async (_action, record) => record(extra), {
      concurrency: 1,
      afterPhase: (phase) => phasesDone.push(phase),
    });
    expect(changes.map((c) => c.entity)).toEqual(['late', 'thing/d']);
    expect(phasesDone).toEqual([...PHASES]);
  });
});

describe('mapLimited', () => {
  it('keeps the input order whatever order the calls finish in', async () => {
    const result = await mapLimited([30, 10, 20], 3, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms * 2;
    });
    expect(result).toEqual([60, 20, 40]);
  });

  it('rejects with the first failure only after the calls in flight settled', async () => {
    let settled = 0;
    const failure = await mapLimited([1, 2, 3, 4], 2, async (n) => {
      if (n === 2) throw new Error(`failed ${n}`);
      await tick();
      settled++;
    }).catch((e: unknown) => e);
    expect((failure as Error).message).toBe('failed 2');
    expect(settled).toBe(1);
  });

  it('handles an empty list', async () => {
    await expect(mapLimited([], 4, () => Promise.resolve(1))).resolves.toEqual([]);
  });
});
