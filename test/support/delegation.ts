import type { CrossAccountDelegationSpec } from '../../src/api/index.js';
import type { CallObserver } from '../../src/alicloud/index.js';
import type {
  DelegationInput,
  EngineOptions,
  IssuedCredential,
  StoredCredentials,
} from '../../src/delegation/context.js';
import {
  InventoryRecord,
  emptyInventory,
  withEntities,
  type Inventory,
  type RecordedEntity,
} from '../../src/delegation/inventory.js';
import type { TestCloud } from './cloud.js';
import { TEST_IDENTITY, TEST_OWNERSHIP } from './gen.js';

/**
 * Engine options for tests: a counter-based password generator so runs are repeatable (padded to the
 * account's minimum length; it always has every character class).
 */
export function testEngineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  let n = 0;
  return {
    allowBroadPolicies: false,
    concurrency: 4,
    generatePassword: (policy) => `Pw-${++n}-aB3$xYz9!qR`.padEnd(policy.minimumLength, 'x'),
    clock: () => new Date(),
    ...overrides,
  };
}

/**
 * Plays the part of `status.inventory` across passes: each pass gets a record that starts where the
 * previous pass's record ended (whether that pass succeeded or threw).
 */
export class RecordKeeper {
  private last: InventoryRecord | undefined;
  private base: Inventory = emptyInventory();

  /** The record as the last pass left it. */
  current(): Inventory {
    return this.last ? this.last.snapshot() : structuredClone(this.base);
  }

  /** A record for the next pass. */
  pass(): InventoryRecord {
    this.last = new InventoryRecord(this.current());
    return this.last;
  }

  /** Adds entities to the record, as an earlier pass (or the orphan sweep) would have. */
  add(entities: readonly RecordedEntity[]): void {
    this.base = withEntities(this.current(), entities);
    this.last = undefined;
  }

  /** Forgets everything (a delegation whose status was lost). */
  forget(): void {
    this.last = undefined;
    this.base = emptyInventory();
  }
}

/**
 * Plays the operator's part around the engine: remembers which credentials were stored (as the
 * operator's Secrets would), so the next pass sees them.
 */
export class CredentialStore {
  /** The delegation's record, as its status would keep it. */
  readonly records = new RecordKeeper();
  readonly accessKeys = new Map<string, { accessKeyId: string; accessKeySecret: string }>();
  readonly passwords = new Map<string, string>();
  /** The rotation request each stored key answers (the Secret's `ram-delegation.dev/rotated-for`). */
  readonly rotatedFor = new Map<string, string>();
  /** The key each stored key replaced (the Secret's `ram-delegation.dev/replaced-access-key`). */
  readonly replacedKeyIds = new Map<string, string>();

  store(issued: readonly IssuedCredential[]): void {
    for (const credential of issued) {
      if (credential.kind === 'AccessKey') {
        this.accessKeys.set(credential.userName, {
          accessKeyId: credential.accessKeyId,
          accessKeySecret: credential.accessKeySecret,
        });
        if (credential.rotatedFor !== undefined)
          this.rotatedFor.set(credential.userName, credential.rotatedFor);
        if (credential.replaces !== undefined)
          this.replacedKeyIds.set(credential.userName, credential.replaces);
        else this.replacedKeyIds.delete(credential.userName);
      } else {
        this.passwords.set(credential.userName, credential.password);
      }
    }
  }

  stored(): StoredCredentials {
    return {
      accessKeyIds: new Map([...this.accessKeys].map(([user, key]) => [user, key.accessKeyId])),
      passwordsStored: new Set(this.passwords.keys()),
      rotatedFor: new Map(this.rotatedFor),
      replacedKeyIds: new Map(this.replacedKeyIds),
    };
  }
}

/** A DelegationInput for `spec` against a test cloud, with one observer on both accounts. */
export function delegationInput(
  cloud: TestCloud,
  spec: CrossAccountDelegationSpec,
  store: CredentialStore,
  options: {
    observer?: CallObserver;
    adopt?: boolean;
    correctionsAreDrift?: boolean;
    expired?: boolean;
    rotationRequest?: string;
  } = {},
): DelegationInput {
  return {
    identity: TEST_IDENTITY,
    ownership: TEST_OWNERSHIP,
    spec,
    adopt: options.adopt ?? false,
    correctionsAreDrift: options.correctionsAreDrift ?? false,
    owner: cloud.ports(cloud.owner, options.observer),
    authorized: cloud.ports(cloud.authorized, options.observer),
    stored: store.stored(),
    record: store.records.pass(),
    ...(options.expired !== undefined ? { expired: options.expired } : {}),
    ...(options.rotationRequest !== undefined ? { rotationRequest: options.rotationRequest } : {}),
    // As the operator does: a stored key that a lagging listing does not show is checked by using it.
    storedKeyWorks: async (userName) => {
      const key = store.accessKeys.get(userName);
      if (!key) return false;
      const ports = cloud.ports({ accountId: spec.authorized.accountId, ...key });
      return ports.sts.getCallerIdentity().then(
        () => true,
        () => false,
      );
    },
  };
}
