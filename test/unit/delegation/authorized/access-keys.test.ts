/**
 * The AccessKey state machine (issue #15): what one pass does with a Programmatic user's keys, from the
 * keys RAM lists (creation, status), the key in the Secret, the rotation settings, the rotate
 * annotation and the clock. Every crash point of a rotation is a row: the next pass finishes it with
 * two keys at most and never deletes the key the Secret holds.
 */
import { describe, expect, it } from 'vitest';
import type { AccessKeyInfo } from '../../../../src/alicloud/ports.js';
import type { AuthorizedStep } from '../../../../src/delegation/authorized/actions.js';
import {
  DEFAULT_ROTATION_GRACE_MS,
  firstTimerAfterIssue,
  planAccessKeys,
  type AccessKeyPlanInput,
} from '../../../../src/delegation/authorized/access-keys.js';
import { planAuthorized } from '../../../../src/delegation/authorized/plan.js';
import type { StoredCredentials } from '../../../../src/delegation/context.js';
import { NOW, convergedWorld, desiredOf } from './fixtures.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const key = (
  id: string,
  createdAtSecond: number,
  status: 'Active' | 'Inactive' = 'Active',
): AccessKeyInfo => ({
  accessKeyId: id,
  status,
  createDate: at(createdAtSecond).toISOString().replace('.000Z', 'Z'),
});
const ROTATION = { after: '20s', gracePeriod: '10s' };

const input = (patch: Partial<AccessKeyPlanInput>): AccessKeyPlanInput => ({
  userName: 'u',
  keys: [],
  storedId: undefined,
  replacedId: undefined,
  rotation: undefined,
  requested: false,
  now: at(0),
  ...patch,
});
const del = (id: string) => ({ kind: 'deleteAccessKey', userName: 'u', accessKeyId: id });
const deactivate = (id: string) => ({ kind: 'deactivateAccessKey', userName: 'u', accessKeyId: id });
const ops = (steps: AuthorizedStep[]) => steps.map((s) => ({ phase: s.phase, ...s.op }));

interface Row {
  name: string;
  input: Partial<AccessKeyPlanInput>;
  ops: object[];
  /** Seconds after T0 of the next timed step; undefined: none pending. */
  wake?: number;
}

const rows: Row[] = [
  {
    name: 'nothing stored, no key: one key',
    input: {},
    ops: [{ phase: 'provision', kind: 'createAccessKey', userName: 'u' }],
  },
  {
    name: 'nothing stored, two keys: both deleted before the one new key (RAM allows two)',
    input: { keys: [key('A', 0), key('B', 1)] },
    ops: [
      { phase: 'prepare', ...del('A') },
      { phase: 'prepare', ...del('B') },
      { phase: 'provision', kind: 'createAccessKey', userName: 'u' },
    ],
  },
  {
    name: 'the stored key, no rotation: nothing, nothing timed',
    input: { keys: [key('A', 0)], storedId: 'A', now: at(99_999) },
    ops: [],
  },
  {
    name: 'the stored key was disabled by hand: replaced',
    input: { keys: [key('A', 0, 'Inactive')], storedId: 'A' },
    ops: [
      { phase: 'prepare', ...del('A') },
      { phase: 'provision', kind: 'createAccessKey', userName: 'u' },
    ],
  },
  {
    name: 'rotation not due yet: wakes when the key is old enough',
    input: { keys: [key('A', 0)], storedId: 'A', rotation: ROTATION, now: at(5) },
    ops: [],
    wake: 20,
  },
  {
    name: 'rotation due: a second key (scheduled, stored before anything else)',
    input: { keys: [key('A', 0)], storedId: 'A', rotation: ROTATION, now: at(20) },
    ops: [{ phase: 'provision', kind: 'rotateAccessKey', userName: 'u', replaces: 'A' }],
  },
  {
    name: 'crash after CreateAccessKey, before the Secret: the unstored newer key goes, the rotation is redone',
    input: { keys: [key('A', 0), key('B', 20)], storedId: 'A', rotation: ROTATION, now: at(21) },
    ops: [
      { phase: 'prepare', ...del('B') },
      { phase: 'provision', kind: 'rotateAccessKey', userName: 'u', replaces: 'A' },
    ],
  },
  {
    name: 'the replaced key is the one the Secret records, however close its creation',
    input: {
      keys: [key('A', 20), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      now: at(21),
    },
    ops: [],
    wake: 30,
  },
  {
    name: 'any other key the Secret does not hold is deleted, even an older one (made out of band)',
    input: {
      keys: [key('X', 10), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      now: at(21),
    },
    ops: [{ phase: 'prepare', ...del('X') }],
    wake: 40,
  },
  {
    name: 'the Secret holds the new key: the old one works through its grace period',
    input: {
      keys: [key('A', 0), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      now: at(25),
    },
    ops: [],
    wake: 30,
  },
  {
    name: 'grace period over: the old key is deactivated (UpdateAccessKey Inactive)',
    input: {
      keys: [key('A', 0), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      now: at(30),
    },
    ops: [{ phase: 'prepare', ...deactivate('A') }],
    wake: 40,
  },
  {
    name: 'crash after the deactivation: nothing to redo until the second grace period ends',
    input: {
      keys: [key('A', 0, 'Inactive'), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      now: at(35),
    },
    ops: [],
    wake: 40,
  },
  {
    name: 'second grace period over: the old key is deleted, and the due rotation starts in the same pass',
    input: {
      keys: [key('A', 0, 'Inactive'), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      now: at(40),
    },
    ops: [
      { phase: 'prepare', ...del('A') },
      { phase: 'provision', kind: 'rotateAccessKey', userName: 'u', replaces: 'B' },
    ],
  },
  {
    name: 'a late pass past both grace periods of an Active old key deletes it outright',
    input: {
      keys: [key('A', 0), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: { after: '1h', gracePeriod: '10s' },
      now: at(45),
    },
    ops: [{ phase: 'prepare', ...del('A') }],
    wake: 3620,
  },
  {
    name: 'due by age while the old key is still in its grace period: waits (two keys at most)',
    input: {
      keys: [key('A', 0), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: { after: '10s', gracePeriod: '30s' },
      now: at(31),
    },
    ops: [],
    wake: 50,
  },
  {
    name: 'the annotation asks: rotates now, without a rotation setting',
    input: { keys: [key('A', 0)], storedId: 'A', requested: true, now: at(1) },
    ops: [{ phase: 'provision', kind: 'rotateAccessKey', userName: 'u', replaces: 'A' }],
  },
  {
    name: 'the annotation asks during a grace period: the old key goes first, then the new one',
    input: {
      keys: [key('A', 0), key('B', 20)],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      requested: true,
      now: at(22),
    },
    ops: [
      { phase: 'prepare', ...del('A') },
      { phase: 'provision', kind: 'rotateAccessKey', userName: 'u', replaces: 'B' },
    ],
  },
  {
    name: 'a replaced key without rotation settings: the default grace period (24h)',
    input: { keys: [key('A', 0), key('B', 20)], storedId: 'B', replacedId: 'A', now: at(21) },
    ops: [],
    wake: 20 + DEFAULT_ROTATION_GRACE_MS / 1000,
  },
  {
    name: 'the stored key RAM does not list yet (lag, no date): its clocks start now',
    input: {
      keys: [key('A', 0), { accessKeyId: 'B', status: 'Active', createDate: '' }],
      storedId: 'B',
      replacedId: 'A',
      rotation: ROTATION,
      now: at(22),
    },
    ops: [],
    wake: 32,
  },
];

describe('planAccessKeys', () => {
  it.each(rows)('$name', (row) => {
    const plan = planAccessKeys(input(row.input));
    expect(ops(plan.steps)).toEqual(row.ops);
    expect(plan.wakeAt).toEqual(row.wake === undefined ? undefined : at(row.wake));
  });

  it('never plans a third key: keys left after prepare plus keys created in provision stay at two', () => {
    for (const row of rows) {
      const { keys = [] } = row.input;
      const plan = planAccessKeys(input(row.input));
      const deleted = plan.steps.filter((s) => s.op.kind === 'deleteAccessKey').length;
      const created = plan.steps.filter((s) => s.phase === 'provision').length;
      expect(keys.length - deleted + created, row.name).toBeLessThanOrEqual(2);
    }
  });

  it('never deletes or deactivates the Active key the Secret holds', () => {
    for (const row of rows) {
      const plan = planAccessKeys(input(row.input));
      const stored = (row.input.keys ?? []).find(
        (k) => k.accessKeyId === row.input.storedId && k.status === 'Active',
      );
      const touched = plan.steps.flatMap((s) => ('accessKeyId' in s.op ? [s.op.accessKeyId] : []));
      if (stored) expect(touched, row.name).not.toContain(stored.accessKeyId);
    }
  });

  it('marks rotation steps as scheduled (never drift), and unstored-key deletions not', () => {
    const rotation = planAccessKeys(
      input({ keys: [key('A', 0), key('B', 20)], storedId: 'A', rotation: ROTATION, now: at(21) }),
    );
    expect(rotation.steps.map((s) => [s.op.kind, s.scheduled ?? false, s.why])).toEqual([
      ['deleteAccessKey', false, 'never stored'],
      ['rotateAccessKey', true, 'the key is older than 20s'],
    ]);
  });
});

describe('planAuthorized: the rotate annotation', () => {
  const request = (stored: StoredCredentials, rotationRequest: string | undefined) =>
    planAuthorized(desiredOf(), convergedWorld().observed, stored, {
      adopt: false,
      correctionsAreDrift: true,
      now: NOW,
      rotationRequest,
    }).actions.map((a) => [a.op.kind, a.change.verb, a.change.drift, a.change.scheduled ?? false]);
  const { stored } = convergedWorld();

  it('a value the Secret does not answer rotates every Programmatic user, scheduled and never drift', () => {
    expect(request(stored, 'r1')).toEqual([['rotateAccessKey', 'Rotated', false, true]]);
  });

  it('a value the Secret answers, or no annotation, rotates nothing', () => {
    const answered = { ...stored, rotatedFor: new Map([['orders-publisher', 'r1']]) };
    expect(request(answered, 'r1')).toEqual([]);
    expect(request(stored, undefined)).toEqual([]);
  });
});

describe('firstTimerAfterIssue', () => {
  const created = at(100).toISOString();
  it.each([
    ['a first key with a schedule: its rotation', ROTATION, false, 120],
    ['a rotated key: the replaced key’s deactivation comes first', ROTATION, true, 110],
    ['a key rotated by the annotation, no schedule: the default grace period', undefined, true, 100 + 86_400],
    ['a first key without a schedule: nothing timed', undefined, false, undefined],
  ] as const)('%s', (_name, rotation, replaced, seconds) => {
    expect(firstTimerAfterIssue(created, rotation, replaced)).toEqual(
      seconds === undefined ? undefined : at(seconds),
    );
  });
});
