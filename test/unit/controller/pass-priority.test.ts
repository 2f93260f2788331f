import { describe, expect, it } from 'vitest';
import { priorityFor, revocationReason } from '../../../src/controller/pass-priority.js';

const now = new Date('2027-01-01T00:00:00Z');
const delegation = (metadata: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'd', namespace: 'n', ...metadata },
  spec,
});

describe('which passes are revocations', () => {
  it.each([
    ['a routine delegation', delegation(), undefined],
    ['one being deleted', delegation({ deletionTimestamp: new Date('2026-12-31T23:59:00Z') }), 'deletion'],
    [
      'one being deleted and suspended',
      delegation({ deletionTimestamp: now }, { suspend: true }),
      'deletion',
    ],
    ['a suspended one', delegation({}, { suspend: true }), 'suspend'],
    ['suspend: false', delegation({}, { suspend: false }), undefined],
    ['suspend as text (not validated yet)', delegation({}, { suspend: 'true' }), undefined],
    ['an expired one', delegation({}, { expiresAt: '2026-12-31T00:00:00Z' }), 'expiry'],
    ['one expiring this very second', delegation({}, { expiresAt: '2027-01-01T00:00:00Z' }), 'expiry'],
    ['one expiring later', delegation({}, { expiresAt: '2027-03-31T00:00:00Z' }), undefined],
    ['an unparseable expiry', delegation({}, { expiresAt: 'soon' }), undefined],
    ['no spec at all', { metadata: { name: 'd' } }, undefined],
  ])('%s: %s', (_, object, reason) => {
    expect(revocationReason(object, now)).toBe(reason);
    expect(priorityFor(revocationReason(object, now))).toBe(reason ? 'urgent' : 'routine');
  });
});
