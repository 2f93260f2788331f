/**
 * The declared minimum: for each delegation shape the benchmarks create, the fewest RAM and STS calls a
 * correct operator must make to create it from nothing, call by call, derived from what the work needs
 * (docs/benchmarks.md#declared-minimum lists the same table with the reasons). It is what the cold
 * converge's lower bound divides by the account's QPS, so that an operator making extra calls cannot
 * raise its own bound.
 *
 * What "correct" takes here: the operator is level-based, so every entity the spec names is read once by
 * name before it is written (it must know whether the entity exists and whose it is; it never writes
 * over what it does not own); nothing it created in the same pass is read again; every write the spec
 * needs is made, tags and markers inside the create call (RAM's CreateRole and CreatePolicy take tags);
 * each credential identity is checked once with GetCallerIdentity (not once per delegation); and a
 * delegation with a Programmatic user is verified by one AssumeRole signed by that user's new key.
 */
import { total, type CallTally } from './emulator-calls.js';

/** The benchmark shapes (test/reliability/fleet.ts `FleetShape`). */
export type DeclaredShape = 'minimal' | 'withUser';

export interface DeclaredCall {
  /** `<service>:<Action>`, as the emulator counts it. */
  call: string;
  why: string;
}

export interface DeclaredSide {
  /** Made for every delegation. */
  perDelegation: readonly DeclaredCall[];
  /** Made once per credential identity, however many delegations use it. */
  perIdentity: readonly DeclaredCall[];
}

export interface DeclaredMinimum {
  description: string;
  /** Account A. */
  owner: DeclaredSide;
  /** Account B. */
  authorized: DeclaredSide;
}

const CHECK_IDENTITY: DeclaredCall = {
  call: 'sts:GetCallerIdentity',
  why: 'the credentials must act in the declared account before anything is touched',
};
const READ_ROLE: DeclaredCall = {
  call: 'ram:GetRole',
  why: 'the spec’s role: does it exist, is it ours',
};
const CREATE_ROLE: DeclaredCall = {
  call: 'ram:CreateRole',
  why: 'with the trust policy, session duration and ownership tag (tags go in the create call)',
};
const ATTACH_TO_ROLE: DeclaredCall = { call: 'ram:AttachPolicyToRole', why: 'the spec’s one policy' };
const READ_GRANT: DeclaredCall = {
  call: 'ram:GetPolicy',
  why: 'the scoped grant `AssumeRole-<A>-<role>`: does it exist, is it ours',
};
const CREATE_GRANT: DeclaredCall = {
  call: 'ram:CreatePolicy',
  why: 'the scoped grant: sts:AssumeRole on the role’s ARN (from CreateRole’s answer), tagged',
};

export const DECLARED_MINIMUM: Readonly<Record<DeclaredShape, DeclaredMinimum>> = {
  minimal: {
    description:
      'examples/minimal.yaml: a role trusting B’s account, one system policy, the Scoped grant (default), no users',
    owner: {
      perDelegation: [READ_ROLE, CREATE_ROLE, ATTACH_TO_ROLE],
      perIdentity: [CHECK_IDENTITY],
    },
    authorized: {
      perDelegation: [READ_GRANT, CREATE_GRANT],
      perIdentity: [CHECK_IDENTITY],
    },
  },
  withUser: {
    description:
      'one custom policy in A and one Programmatic user in B with the Scoped grant attached to it (the seed scenario without its Console user)',
    owner: {
      perDelegation: [
        READ_ROLE,
        { call: 'ram:GetPolicy', why: 'the spec’s custom policy: does it exist, is it ours' },
        { call: 'ram:CreatePolicy', why: 'the custom policy with the spec’s document, tagged' },
        CREATE_ROLE,
        { call: 'ram:AttachPolicyToRole', why: 'the custom policy' },
      ],
      perIdentity: [CHECK_IDENTITY],
    },
    authorized: {
      perDelegation: [
        { call: 'ram:GetUser', why: 'the spec’s user: does it exist, is it ours (marker in Comments)' },
        READ_GRANT,
        { call: 'ram:CreateUser', why: 'with the ownership marker in Comments' },
        { call: 'ram:CreateAccessKey', why: 'the user’s AccessKey, written to its Secret' },
        CREATE_GRANT,
        { call: 'ram:AttachPolicyToUser', why: 'the grant, to the user' },
        {
          call: 'sts:AssumeRole',
          why: 'verification (AccessVerified): one AssumeRole signed by the user’s new key',
        },
        {
          call: 'ram:GetAccessKeyLastUsed',
          why: 'status.users[].accessKeyLastUsed: one per Programmatic user per pass (AccessKey lifecycle)',
        },
      ],
      perIdentity: [
        CHECK_IDENTITY,
        { call: 'ram:GetAccountAlias', why: 'the users’ sign-in names (status.users[].principalName)' },
      ],
    },
  },
};

export type Side = 'owner' | 'authorized';

/** The declared calls, by call, for `delegations` delegations of `shape` using `identities` identities. */
export function declaredTally(
  shape: DeclaredShape,
  side: Side,
  delegations: number,
  identities = 1,
): CallTally {
  const tally: CallTally = {};
  const add = (calls: readonly DeclaredCall[], times: number) => {
    for (const { call } of calls) tally[call] = (tally[call] ?? 0) + times;
  };
  add(DECLARED_MINIMUM[shape][side].perDelegation, delegations);
  add(DECLARED_MINIMUM[shape][side].perIdentity, identities);
  return tally;
}

/** How many calls the declared minimum makes per delegation on each side (identities not counted). */
export function declaredPerDelegation(shape: DeclaredShape): Record<Side, number> {
  const { owner, authorized } = DECLARED_MINIMUM[shape];
  return { owner: owner.perDelegation.length, authorized: authorized.perDelegation.length };
}

/**
 * The calls made (as the emulator counted them in each account) next to the declared minimum, for
 * `delegations` delegations of `shape` created from nothing with one credential identity per account.
 */
export function madeVersusDeclared(shape: DeclaredShape, delegations: number, made: Record<Side, CallTally>) {
  const declared = {
    owner: declaredTally(shape, 'owner', delegations),
    authorized: declaredTally(shape, 'authorized', delegations),
  };
  return {
    shape,
    delegations,
    callsMade: { owner: total(made.owner), authorized: total(made.authorized) },
    declaredMinimumCalls: { owner: total(declared.owner), authorized: total(declared.authorized) },
    callsMadeByAction: made,
    declaredMinimumByAction: declared,
  };
}

/** Where docs/benchmarks.md holds the table {@link renderDeclaredMinimumTable} writes (`npm run docs`). */
export const DECLARED_MINIMUM_MARKERS = {
  begin: '<!-- declared-minimum:begin (generated from bench/declared-minimum.ts by npm run docs) -->',
  end: '<!-- declared-minimum:end -->',
} as const;

/** The declared minimum as a Markdown table, call by call, for docs/benchmarks.md. */
export function renderDeclaredMinimumTable(): string {
  const rows = ['| Shape | Account | Call | When | Why |', '| --- | --- | --- | --- | --- |'];
  for (const [shape, declared] of Object.entries(DECLARED_MINIMUM)) {
    for (const [side, label] of [
      ['owner', 'A (owner)'],
      ['authorized', 'B (authorized)'],
    ] as const) {
      const { perDelegation, perIdentity } = declared[side];
      for (const [calls, when] of [
        [perDelegation, 'per delegation'],
        [perIdentity, 'per identity'],
      ] as const) {
        for (const { call, why } of calls)
          rows.push(`| \`${shape}\` | ${label} | \`${call}\` | ${when} | ${why} |`);
      }
    }
  }
  const totals = Object.keys(DECLARED_MINIMUM).map((shape) => {
    const { owner, authorized } = declaredPerDelegation(shape as DeclaredShape);
    return `\`${shape}\`: ${owner} calls per delegation in A and ${authorized} in B`;
  });
  return `${rows.join('\n')}\n\n${totals.join('; ')}, plus the per-identity calls once per credential identity.\n`;
}
