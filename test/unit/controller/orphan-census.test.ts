/** The orphan sweep's decision: which marked entities no delegation names or records. */
import { describe, expect, it } from 'vitest';
import { ownershipValue } from '../../../src/api/constants.js';
import {
  keyOfOwner,
  knownOwners,
  markerValue,
  unaccounted,
  type DelegationView,
  type MarkedEntity,
} from '../../../src/controller/orphan-census.js';
import { scopedPolicyName } from '../../../src/delegation/authorized/desired.js';
import { emptyInventory, withEntities } from '../../../src/delegation/inventory.js';
import { AUTHORIZED_ACCOUNT as B, OWNER_ACCOUNT as A, aDelegation } from '../../support/gen.js';

const CLUSTER = 'prod';
const owner = (name: string, namespace = 'default') => ownershipValue(CLUSTER, namespace, name);
const view = (name: string, extra: Parameters<typeof withEntities>[1] = []): DelegationView => ({
  key: `default/${name}`,
  spec: aDelegation(),
  inventory: withEntities(emptyInventory(), extra),
});
const views = new Map([
  ['default/live', view('live', [{ side: 'authorized', kind: 'user', name: 'old-user' }])],
]);
const options = (inScope: (ns: string) => boolean = () => true) => ({
  cluster: CLUSTER,
  known: knownOwners(CLUSTER, [...views.keys()]),
  inScope,
});

describe('unaccounted', () => {
  it('leaves what the spec names or the record holds, and hands the rest to its delegation', () => {
    const marked: MarkedEntity[] = [
      { kind: 'user', name: 'orders-publisher', owner: owner('live') },
      { kind: 'user', name: 'old-user', owner: owner('live') },
      { kind: 'policy', name: scopedPolicyName(A, 'orders-bus-publisher'), owner: owner('live') },
      { kind: 'user', name: 'crashed-before-record', owner: owner('live') },
    ];
    expect(unaccounted(B, marked, views, options())).toEqual(
      new Map([['default/live', [{ side: 'authorized', kind: 'user', name: 'crashed-before-record' }]]]),
    );
  });

  it('names the delegation of an unknown owner (maybe gone), and skips other clusters and namespaces', () => {
    const marked: MarkedEntity[] = [
      { kind: 'role', name: 'r', owner: owner('gone') },
      { kind: 'role', name: 'x', owner: ownershipValue('other-cluster', 'default', 'gone') },
      { kind: 'role', name: 'y', owner: owner('elsewhere', 'team-b') },
    ];
    expect(
      unaccounted(
        A,
        marked,
        views,
        options((ns) => ns === 'default'),
      ),
    ).toEqual(new Map([['default/gone', [{ side: 'owner', kind: 'role', name: 'r' }]]]));
  });

  it('a role of the spec in the wrong account is not accounted for', () => {
    const marked: MarkedEntity[] = [{ kind: 'role', name: 'orders-bus-publisher', owner: owner('live') }];
    expect(unaccounted(B, marked, views, options()).get('default/live')).toEqual([
      { side: 'owner', kind: 'role', name: 'orders-bus-publisher' },
    ]);
    expect(unaccounted(A, marked, views, options()).size).toBe(0);
  });
});

describe('reading ownership marks', () => {
  it('finds the marker among other Comments', () => {
    expect(markerValue(`made by hand ram-delegation.dev/owner=${owner('live')}`)).toBe(owner('live'));
    expect(markerValue('no marker here')).toBeUndefined();
  });

  it('resolves a hashed (too long) value only through a known delegation', () => {
    const long = 'n'.repeat(120);
    const hashed = owner(long);
    expect(hashed).toContain('~');
    expect(keyOfOwner(hashed, CLUSTER, new Map())).toBeUndefined();
    expect(keyOfOwner(hashed, CLUSTER, knownOwners(CLUSTER, [`default/${long}`]))).toBe(`default/${long}`);
    expect(keyOfOwner(owner('x'), CLUSTER, new Map())).toBe('default/x');
    expect(keyOfOwner('someone/else', CLUSTER, new Map())).toBeUndefined();
  });
});
