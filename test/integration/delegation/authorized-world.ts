/**
 * The authorized-side integration tests' world: a fresh emulator per test, account B reached through the
 * real RamPort and the official SDKs, every call recorded, and crash injection after a chosen action.
 */
import { randomBytes } from 'node:crypto';
import type { CrossAccountDelegationSpec } from '../../../src/api/spec.js';
import type { AccountPorts } from '../../../src/alicloud/index.js';
import type { CallKind, RamPort } from '../../../src/alicloud/ports.js';
import { reconcileAuthorized, scopedPolicyName } from '../../../src/delegation/authorized/index.js';
import type { EngineOptions, IssuedCredential, StoredCredentials } from '../../../src/delegation/context.js';
import { startTestCloud, type TestCloud } from '../../support/cloud.js';
import { RecordKeeper } from '../../support/delegation.js';
import { OWNER_ACCOUNT, ROLE_ARN, TEST_IDENTITY, TEST_OWNERSHIP } from '../../support/gen.js';

export const SCOPED = {
  policyName: scopedPolicyName(OWNER_ACCOUNT, 'orders-bus-publisher'),
  policyType: 'Custom' as const,
};
export const SYSTEM = { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' as const };

const options: EngineOptions = {
  allowBroadPolicies: false,
  concurrency: 4,
  generatePassword: (policy) => `Pw${randomBytes(9).toString('hex')}7Q`.padEnd(policy.minimumLength, 'z'),
  clock: () => new Date(),
};

export const nothingStored: StoredCredentials = { accessKeyIds: new Map(), passwordsStored: new Set() };

/** What the caller would hold after storing every credential issued so far. */
export function storeAll(stored: StoredCredentials, issued: IssuedCredential[]): StoredCredentials {
  const accessKeyIds = new Map(stored.accessKeyIds);
  const passwordsStored = new Set(stored.passwordsStored);
  for (const credential of issued) {
    if (credential.kind === 'AccessKey') accessKeyIds.set(credential.userName, credential.accessKeyId);
    else passwordsStored.add(credential.userName);
  }
  return { accessKeyIds, passwordsStored };
}

export const sorted = (values: string[]) => [...values].sort();

export class AuthorizedWorld {
  cloud!: TestCloud;
  ports!: AccountPorts;
  ram!: RamPort;
  calls: { action: string; kind: CallKind }[] = [];
  /** The delegation's record (status.inventory) across passes. */
  records = new RecordKeeper();
  /** Crash injection: the next call of this action takes effect, then "the process dies" before its result is used. */
  crashAfter: string | undefined;

  async start(): Promise<void> {
    this.cloud = await startTestCloud();
    this.calls = [];
    this.records = new RecordKeeper();
    this.crashAfter = undefined;
    this.ports = this.cloud.ports(this.cloud.authorized, {
      afterCall: ({ action, kind }) => {
        this.calls.push({ action, kind });
        if (action === this.crashAfter) {
          this.crashAfter = undefined;
          throw new Error(`injected crash after ${action}`);
        }
      },
    });
    this.ram = this.ports.ram;
  }

  stop(): Promise<void> {
    return this.cloud.stop();
  }

  /** One authorized-side pass for `spec` with what the caller `stored`; the recorded calls start afresh. */
  reconcile(
    spec: CrossAccountDelegationSpec,
    stored: StoredCredentials,
    extra: { adopt?: boolean; drift?: boolean } = {},
  ) {
    this.calls = [];
    return reconcileAuthorized(
      {
        identity: TEST_IDENTITY,
        ownership: TEST_OWNERSHIP,
        spec,
        adopt: extra.adopt ?? false,
        owner: this.ports,
        authorized: this.ports,
        correctionsAreDrift: extra.drift ?? false,
        stored,
        record: this.records.pass(),
      },
      ROLE_ARN,
      options,
    );
  }

  writes(): string[] {
    return this.calls.filter((c) => c.kind === 'write').map((c) => c.action);
  }
}
