/**
 * What a pass makes of expiry and of the AccessKey review (issue #15): the conditions and status fields
 * an expired delegation gets, the Warnings owed when a state begins (once, from the status before and
 * after), how a key's idleness is judged, and when the pass comes back.
 */
import { describe, expect, it } from 'vitest';
import type { CrossAccountDelegationStatus } from '../../../src/api/status.js';
import { changeEvents } from '../../../src/controller/change-events.js';
import { desiredStatus, type PassResult } from '../../../src/controller/delegation-status.js';
import { keyTimes, reviewKey, userStatus } from '../../../src/controller/key-review.js';
import { durationText, lifecycleEvents } from '../../../src/controller/lifecycle-events.js';
import { LastUsedReads } from '../../../src/controller/lifecycle-settings.js';
import { wakeInTime } from '../../../src/controller/sync/sync-delegation.js';
import type { Change } from '../../../src/delegation/change.js';

const ARN = 'acs:ram::1111111111111111:role/r';
const now = new Date('2027-03-31T00:00:05Z');
const END = '2027-03-31T00:00:00Z';
const user = { name: 'u', principalName: 'u@2222222222222222.onaliyun.com', credentialsSecretName: 'u-ak' };
const done = (extra: Partial<Extract<PassResult, { kind: 'Done' }>> = {}): PassResult => ({
  kind: 'Done',
  blocked: undefined,
  roleArn: ARN,
  users: [user],
  verification: undefined,
  accessRevoked: undefined,
  expiry: { expiresAt: END, expiresSoon: false },
  ...extra,
});
const summary = (status: CrossAccountDelegationStatus) =>
  Object.fromEntries((status.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));

describe('the status of an expired delegation', () => {
  const expired = desiredStatus(undefined, 4, done({ accessRevoked: 'expired' }), now);

  it('is Ready=False with reason Expired, done (neither Reconciling nor Stalled)', () => {
    expect(summary(expired)).toEqual({
      OwnerSynced: 'True/Expired',
      AuthorizedSynced: 'True/Reconciled',
      AccessVerified: 'False/Expired',
      Ready: 'False/Expired',
    });
    expect(expired.observedGeneration).toBe(4);
    expect(expired.expiresAt).toBe(END);
    expect(expired.conditions?.find((c) => c.type === 'Ready')?.message).toMatch(
      /expired at 2027-03-31T00:00:00Z.*move spec.expiresAt later/,
    );
  });

  it('shows expiresSoon only while it is true, and drops expiresAt when the spec does', () => {
    const soon = desiredStatus(undefined, 4, done({ expiry: { expiresAt: END, expiresSoon: true } }), now);
    expect(soon.expiresSoon).toBe(true);
    const later = desiredStatus(soon, 5, done({ expiry: { expiresAt: undefined, expiresSoon: false } }), now);
    expect(later).not.toHaveProperty('expiresSoon');
    expect(later).not.toHaveProperty('expiresAt');
    expect(summary(later).Ready).toBe('True/Reconciled');
  });

  it('a blocked side wins over expiry: Stalled names what a person must fix', () => {
    const blocked = done({
      accessRevoked: 'expired',
      blocked: { side: 'authorized', reason: 'EntityNotManaged', message: 'user u exists' },
    });
    expect(summary(desiredStatus(undefined, 4, blocked, now)).Ready).toBe('False/EntityNotManaged');
  });
});

describe('lifecycle Warnings: once, when their state begins', () => {
  const base: CrossAccountDelegationStatus = { expiresAt: END, users: [user] };
  const ready = (reason: string) =>
    [
      {
        type: 'Ready',
        status: reason === 'Expired' ? 'False' : 'True',
        reason,
        message: '',
        lastTransitionTime: END,
      },
    ] as CrossAccountDelegationStatus['conditions'];
  const reasons = (before: CrossAccountDelegationStatus | undefined, after: CrossAccountDelegationStatus) =>
    lifecycleEvents(before, after, { unusedKeyWarning: '2160h' }).map((e) => `${e.type}/${e.reason}`);

  it('ExpiresSoon when expiresSoon becomes true, not while it stays so', () => {
    expect(reasons(base, { ...base, expiresSoon: true })).toEqual(['Warning/ExpiresSoon']);
    expect(reasons(undefined, { ...base, expiresSoon: true })).toEqual(['Warning/ExpiresSoon']);
    expect(reasons({ ...base, expiresSoon: true }, { ...base, expiresSoon: true })).toEqual([]);
  });

  it('Expired when Ready turns to Expired, not on the resyncs after', () => {
    const before = { ...base, conditions: ready('Reconciled') };
    const after = { ...base, conditions: ready('Expired') };
    expect(reasons(before, after)).toEqual(['Warning/Expired']);
    expect(reasons(after, after)).toEqual([]);
    expect(lifecycleEvents(before, after, { unusedKeyWarning: '1h' })[0]?.note).toMatch(
      /spec.expiresAt 2027-03-31T00:00:00Z has passed/,
    );
  });

  it('AccessKeyUnused when a user’s key becomes unused, naming the user and the threshold', () => {
    const unused = { ...base, users: [{ ...user, accessKeyCreated: END, accessKeyUnused: true }] };
    const events = lifecycleEvents(base, unused, { unusedKeyWarning: '2160h' });
    expect(events.map((e) => `${e.type}/${e.reason}`)).toEqual(['Warning/AccessKeyUnused']);
    expect(events[0]?.note).toMatch(/user u .*never used.*longer than 2160h/);
    expect(reasons(unused, unused)).toEqual([]);
  });

  it('spells thresholds as the flags do', () => {
    expect([durationText(2160 * 3_600_000), durationText(90 * 60_000), durationText(45_000)]).toEqual([
      '2160h',
      '90m',
      '45s',
    ]);
  });
});

describe('the AccessKey review', () => {
  const DAY = 24 * 3_600_000;
  const review = (created: string, lastUsed: string | undefined, thresholdDays = 90) =>
    reviewKey({
      user: 'u',
      accessKeyId: 'LTAI1',
      created,
      lastUsed,
      now,
      unusedWarningMs: thresholdDays * DAY,
    });

  it('judges idleness from the last use, else from the creation', () => {
    expect(review('2026-12-01T00:00:00Z', undefined).unused).toBe(true);
    expect(review('2026-12-01T00:00:00Z', '2027-03-01T00:00:00Z').unused).toBe(false);
    expect(review('2027-03-01T00:00:00Z', undefined).unused).toBe(false);
    expect(review('', undefined).unused).toBe(false);
  });

  it('becomes the user’s status fields and the gauges’ instants', () => {
    const r = review('2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', 30);
    expect(userStatus({ ...user, accessKey: { accessKeyId: 'LTAI1', createDate: r.created } }, r)).toEqual({
      ...user,
      accessKeyCreated: '2026-12-01T00:00:00Z',
      accessKeyLastUsed: '2027-01-01T00:00:00Z',
      accessKeyUnused: true,
    });
    expect(userStatus(user, undefined)).toEqual(user);
    expect(keyTimes([r, review('', undefined)])).toEqual([
      {
        user: 'u',
        createdAt: new Date('2026-12-01T00:00:00Z'),
        lastUsedAt: new Date('2027-01-01T00:00:00Z'),
      },
    ]);
  });

  it('looks a key up at most once per interval, and forgets an answer about another key', () => {
    const reads = new LastUsedReads();
    const t = (s: number) => new Date(now.getTime() + s * 1000);
    expect(reads.due('ns/d', 'u', t(0), 60_000)).toBe(true);
    reads.remember('ns/d', 'u', 'LTAI1', END, t(0));
    expect(reads.due('ns/d', 'u', t(59), 60_000)).toBe(false);
    expect(reads.due('ns/d', 'u', t(60), 60_000)).toBe(true);
    expect(reads.lastUsed('ns/d', 'u', 'LTAI1')).toEqual({ known: true, lastUsed: END });
    expect(reads.lastUsed('ns/d', 'u', 'LTAI2')).toEqual({ known: false });
    reads.retain('ns/d', []);
    expect(reads.due('ns/d', 'u', t(1), 60_000)).toBe(true);
  });
});

describe('timed passes and rotation Events', () => {
  it('come back at the first timed moment ahead, never later than asked, never in the past', () => {
    const outcome = { result: 'success' as const, next: { requeueAfterMs: 600_000 } };
    const t = (ms: number) => new Date(now.getTime() + ms);
    expect(wakeInTime(now, [t(20_000), t(5_500)], outcome).next).toEqual({ requeueAfterMs: 5_500 });
    expect(wakeInTime(now, [t(-100)], outcome).next).toEqual({ requeueAfterMs: 0 });
    expect(wakeInTime(now, [t(900_000)], outcome).next).toEqual({ requeueAfterMs: 600_000 });
    expect(wakeInTime(now, [], outcome)).toBe(outcome);
  });

  it('a pass that comes back at the expiry itself revokes, so it takes the urgent lane', () => {
    const outcome = { result: 'success' as const, next: { requeueAfterMs: 600_000 } };
    const t = (ms: number) => new Date(now.getTime() + ms);
    const expiresAt = t(25_000).toISOString();
    expect(wakeInTime(now, [t(25_000)], outcome, expiresAt).next).toEqual({
      requeueAfterMs: 25_000,
      priority: 'urgent',
    });
    // An earlier moment (the warning, a rotation step) is routine; so is a resync before the expiry.
    expect(wakeInTime(now, [t(5_000), t(25_000)], outcome, expiresAt).next).toEqual({
      requeueAfterMs: 5_000,
    });
    expect(wakeInTime(now, [t(900_000)], outcome, t(900_000).toISOString()).next).toEqual({
      requeueAfterMs: 600_000,
    });
  });

  it('a rotation is an AccessKeyRotated Event, its grace steps an Updated one, neither drift', () => {
    const change = (verb: Change['verb'], description: string): Change => ({
      side: 'authorized',
      verb,
      entity: 'accesskey/u',
      drift: false,
      scheduled: true,
      description,
    });
    const events = changeEvents([
      change('Rotated', 'rotate the AccessKey of user u: create a new key for its Secret'),
      change('Deactivated', 'deactivate AccessKey LTAI0 of user u'),
    ]);
    expect(events.map((e) => `${e.type}/${e.reason}`)).toEqual(['Normal/AccessKeyRotated', 'Normal/Updated']);
    expect(events[0]?.note).toMatch(/^rotate the AccessKey of user u/);
  });
});
