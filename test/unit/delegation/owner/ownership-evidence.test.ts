/** ownerOf: who a role or policy belongs to, from its visible tag and the record (tag-index lag). */
import { describe, expect, it } from 'vitest';
import { ownerOf, type OwnershipEvidence } from '../../../../src/delegation/owner/observed.js';
import { otherOwnership, ownership } from './fixtures.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const GRACE = 60_000;
const ours = { [ownership.tagKey]: ownership.tagValue };
const theirs = { [ownership.tagKey]: otherOwnership.tagValue };
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const evidence = (patch: Partial<OwnershipEvidence>): OwnershipEvidence => ({
  tags: {},
  recorded: false,
  createDate: ago(10 * GRACE),
  now: NOW,
  tagGraceMs: GRACE,
  ...patch,
});

describe('ownerOf', () => {
  it.each([
    ['our tag', evidence({ tags: ours }), { kind: 'ours' }],
    ['our tag and recorded', evidence({ tags: ours, recorded: true }), { kind: 'ours' }],
    [
      'another delegation’s tag, even recorded',
      evidence({ tags: theirs, recorded: true }),
      {
        kind: 'other',
        owner: otherOwnership.tagValue,
      },
    ],
    ['no tag, not recorded', evidence({}), { kind: 'unmarked' }],
    [
      'no tag yet, recorded, created a moment ago (tag index lag)',
      evidence({ recorded: true, createDate: ago(5_000) }),
      {
        kind: 'ours',
      },
    ],
    [
      'no tag, recorded, older than the grace period: restore it',
      evidence({ recorded: true }),
      {
        kind: 'ours',
        restoreTag: true,
      },
    ],
    ['tags not read (a resync), recorded', evidence({ tags: undefined, recorded: true }), { kind: 'ours' }],
    [
      'no tag, recorded, creation time unknown',
      evidence({ recorded: true, createDate: '' }),
      {
        kind: 'ours',
        restoreTag: true,
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(ownerOf(input, ownership)).toEqual(expected);
  });
});
