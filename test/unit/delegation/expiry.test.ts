/**
 * `spec.expiresAt` (issue #15): when access ends and when the warning comes, decided against one clock
 * reading; at the time, account A's plan is the suspend path (every policy detached, the role and
 * policies kept), scheduled rather than drift, and moving the time later attaches them again.
 */
import { describe, expect, it } from 'vitest';
import { expiryOf, utcTime } from '../../../src/delegation/expiry.js';
import { desiredOwner } from '../../../src/delegation/owner/desired.js';
import { planOwner } from '../../../src/delegation/owner/plan.js';
import { aDelegation, expiringAt, suspended, withSystemPolicy } from '../../support/gen.js';
import { SYSTEM, converged, empty, ownership } from './owner/fixtures.js';

const WEEK = 7 * 24 * 3_600_000;
const END = '2027-03-31T00:00:00Z';
const at = (iso: string) => new Date(iso);

describe('expiryOf', () => {
  const rows: [name: string, expiresAt: string | undefined, now: string, expected: object][] = [
    [
      'no expiresAt: never expires, nothing timed',
      undefined,
      '2027-01-01T00:00:00Z',
      { expiresAt: undefined, expired: false, expiresSoon: false, changesAt: undefined },
    ],
    [
      'long before: wakes at the warning time',
      END,
      '2027-01-01T00:00:00Z',
      { expiresAt: END, expired: false, expiresSoon: false, changesAt: at('2027-03-24T00:00:00Z') },
    ],
    [
      'within the warning period: expires soon, wakes at the time',
      END,
      '2027-03-24T00:00:00Z',
      { expiresAt: END, expired: false, expiresSoon: true, changesAt: at(END) },
    ],
    [
      'a millisecond before: not yet',
      END,
      '2027-03-30T23:59:59.999Z',
      { expiresAt: END, expired: false, expiresSoon: true, changesAt: at(END) },
    ],
    [
      'at the second: expired, nothing more to wake for',
      END,
      END,
      { expiresAt: END, expired: true, expiresSoon: false, changesAt: undefined },
    ],
    [
      'an offset is read as the instant it names, shown in UTC',
      '2027-03-31T08:00:00+08:00',
      '2027-03-30T23:59:59Z',
      { expiresAt: END, expired: false, expiresSoon: true, changesAt: at(END) },
    ],
  ];
  it.each(rows)('%s', (_name, expiresAt, now, expected) => {
    expect(expiryOf(expiresAt, at(now), WEEK)).toEqual(expected);
  });

  it('keeps a fraction of a second, and drops a zero one (as Kubernetes writes times)', () => {
    expect(utcTime(at('2027-03-31T00:00:00.250Z'))).toBe('2027-03-31T00:00:00.250Z');
    expect(utcTime(at(END))).toBe(END);
  });
});

describe('account A at expiry', () => {
  const spec = aDelegation(withSystemPolicy(SYSTEM), expiringAt(END));
  const running = desiredOwner(spec, ownership, { expired: false });
  const expired = desiredOwner(spec, ownership, { expired: true });
  const options = { adopt: false, correctionsAreDrift: true, allowBroadPolicies: false };

  it('detaches every policy and keeps the role and policies, as suspend does', () => {
    expect(expired.accessRevoked).toBe('expired');
    expect(expired.attachments).toEqual([]);
    expect(expired.role).toEqual(running.role);
    expect(expired.customPolicies).toEqual(running.customPolicies);
    const plan = planOwner(expired, converged(running), options);
    expect(plan.actions.map((a) => [a.op.kind, a.change.description])).toEqual([
      ['detachPolicy', expect.stringMatching(/^detach custom policy .* \(expired\)$/)],
      ['detachPolicy', expect.stringMatching(/^detach system policy .* \(expired\)$/)],
    ]);
  });

  it('is scheduled, not drift, even on a resync', () => {
    const plan = planOwner(expired, converged(running), options);
    expect(plan.actions.map((a) => [a.change.drift, a.change.scheduled])).toEqual([
      [false, true],
      [false, true],
    ]);
  });

  it('wins over suspend, and un-expiring attaches the policies again', () => {
    const both = desiredOwner(aDelegation(expiringAt(END), suspended), ownership, { expired: true });
    expect(both.accessRevoked).toBe('expired');
    const again = planOwner(running, converged(expired), { ...options, correctionsAreDrift: false });
    expect(again.actions.map((a) => a.op.kind)).toEqual(['attachPolicy', 'attachPolicy']);
  });

  it('from scratch and already expired: the role and policies are created, nothing attached', () => {
    const plan = planOwner(expired, empty(expired), options);
    expect(plan.actions.map((a) => a.op.kind)).toEqual(['createRole', 'createPolicy']);
  });
});
