import type { CrossAccountDelegationSpec } from '../api/spec.js';
import type { PasswordPolicy, RamPort, StsPort } from '../alicloud/ports.js';
import type { Blocked, Change } from './change.js';
import type { InventoryRecord } from './inventory.js';
import type { DelegationIdentity, Ownership } from './ownership.js';

/** One account as the engine acts in it: RAM and STS ports built from that account's credentials. */
export interface AccountPorts {
  ram: RamPort;
  sts: StsPort;
}

/** Options that come from the operator's configuration, not from the spec. */
export interface EngineOptions {
  /** Allow policies granting `*` on `*` and AdministratorAccess (refused with PolicyTooBroad otherwise). */
  allowBroadPolicies: boolean;
  /** How many independent writes one side may have in flight. */
  concurrency: number;
  /**
   * Generates a Console user's initial password satisfying account B's password policy (strong; injected
   * so tests are repeatable).
   */
  generatePassword: (policy: PasswordPolicy) => string;
  clock: () => Date;
  /** Waits between in-place retries (DeleteRole conflicts); default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How long a new role's or policy's tag may take to show in RAM's tag index: a recorded entity without
   * a visible tag gets it restored only once it is older (default {@link DEFAULT_TAG_GRACE_MS}).
   */
  tagGraceMs?: number;
}

export const DEFAULT_TAG_GRACE_MS = 5 * 60_000;

/** What the engine needs to reconcile one delegation. */
export interface DelegationInput {
  identity: DelegationIdentity;
  ownership: Ownership;
  spec: CrossAccountDelegationSpec;
  /** `ram-delegation.dev/adopt: "true"`: take over same-named entities that carry no marker. */
  adopt: boolean;
  owner: AccountPorts;
  authorized: AccountPorts;
  /**
   * True when the spec has not changed since the last pass that reached Ready (a resync): any
   * correction this pass makes is then drift (Change.drift = true, a DriftCorrected Event). False on a
   * new generation, where differences are simply the spec being applied.
   */
  correctionsAreDrift: boolean;
  /** Credentials the caller has safely stored for each user (from the Secrets it wrote earlier). */
  stored: StoredCredentials;
  /**
   * `spec.expiresAt` has passed, as the caller's clock said at the start of the pass (decided once, so
   * the engine and the status agree): the role loses its policies as with `suspend`.
   */
  expired?: boolean;
  /**
   * The delegation's `ram-delegation.dev/rotate-access-keys` annotation: a user whose stored key does
   * not answer this value (`StoredCredentials.rotatedFor`) gets a new key now.
   */
  rotationRequest?: string;
  /**
   * What this delegation created and may still exist (status.inventory), with the write-ahead that
   * persists it before a create. Absent: an empty record that lives for this call only.
   */
  record?: InventoryRecord;
  /**
   * Whether the AccessKey stored for a user still works (a call signed with it). Asked only when a listing
   * of the user's keys does not show the stored one, which right after its creation is RAM lagging, not
   * the key being gone. Absent: the listing is believed.
   */
  storedKeyWorks?: (userName: string) => Promise<boolean>;
}

/**
 * What the caller (the operator) holds for each user. An AccessKey whose id is not recorded here was
 * never stored (a crash between creating it and writing the Secret): the engine deletes it and issues
 * a new one rather than leave an unusable key behind.
 */
export interface StoredCredentials {
  /** User name → the AccessKey id stored in its Secret. */
  accessKeyIds: ReadonlyMap<string, string>;
  /** Console users whose initial password Secret exists. */
  passwordsStored: ReadonlySet<string>;
  /** User name → the rotation request its stored key answers (absent: none). */
  rotatedFor?: ReadonlyMap<string, string>;
  /** User name → the key its stored key replaced in a rotation (in its grace periods, or gone). */
  replacedKeyIds?: ReadonlyMap<string, string>;
}

/**
 * A secret the engine created and the caller must store now (in the user's `credentialsSecretName`).
 * This is the only place a secret leaves the engine; never log it.
 */
export type IssuedCredential =
  | {
      userName: string;
      kind: 'AccessKey';
      accessKeyId: string;
      accessKeySecret: string;
      /** As RAM reported it ('' when it did not). */
      createDate: string;
      /** The rotation request the key answers (recorded with it in the Secret). */
      rotatedFor?: string;
      /** A rotation: the id of the key this one replaces (recorded with it in the Secret). */
      replaces?: string;
    }
  | { userName: string; kind: 'Password'; userPrincipalName: string; password: string };

/** The outcome for one side of a reconcile pass. */
export interface SideOutcome {
  /** The side matches the spec after this pass. */
  synced: boolean;
  changes: Change[];
  blocked?: Blocked;
}
