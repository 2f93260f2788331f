/**
 * The owner-side integration tests' world: the Alibaba Cloud emulator with accounts A and B, reached
 * through the real RamPort and the official SDK. Out-of-band changes ("someone in the console") are made
 * with the official RAM SDK directly.
 */
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { expect } from 'vitest';
import type { CrossAccountDelegationSpec } from '../../../src/api/spec.js';
import { RamClient } from '../../../src/alicloud/clients.js';
import type { PolicyRef, RamPort } from '../../../src/alicloud/ports.js';
import type { DelegationInput, EngineOptions } from '../../../src/delegation/context.js';
import { desiredOwner } from '../../../src/delegation/owner/index.js';
import { ownershipOf, type Ownership } from '../../../src/delegation/ownership.js';
import { policiesEqual } from '../../../src/delegation/policy-compare.js';
import {
  AUTHORIZED_ACCOUNT as B,
  OWNER_ACCOUNT as A,
  aDelegation,
  putEventsDocument,
  withCustomPolicy,
  withPolicies,
  withProgrammaticUser,
  withRole,
  withUsers,
  type SpecModifier,
} from '../../support/gen.js';
import { RecordKeeper } from '../../support/delegation.js';
import { callRecorder, EmulatorFixture, type RootKey } from '../alicloud/fixture.js';

export const SYSTEM = 'AliyunEventBridgeReadOnlyAccess';

export const options: EngineOptions = {
  allowBroadPolicies: false,
  concurrency: 4,
  generatePassword: () => 'Unused-Passw0rd!',
  clock: () => new Date(),
};

export class OwnerWorld {
  private constructor(
    readonly fixture: EmulatorFixture,
    private readonly rootA: RootKey,
    private readonly rootB: RootKey,
    /** The official SDK acting as account A's root: the "console" for out-of-band changes. */
    readonly sdk: InstanceType<typeof RamClient>,
    /** An uninstrumented port to inspect account A. */
    readonly inspect: RamPort,
  ) {}

  static async start(): Promise<OwnerWorld> {
    const fixture = await EmulatorFixture.start();
    const rootA = await fixture.createAccount(A);
    const rootB = await fixture.createAccount(B);
    const sdk = new RamClient(
      new $OpenApiUtil.Config({ ...rootA, endpoint: `127.0.0.1:${fixture.emulator.port}`, protocol: 'http' }),
    );
    return new OwnerWorld(fixture, rootA, rootB, sdk, fixture.ports(rootA, { accountId: A }).ram);
  }

  stop(): Promise<void> {
    return this.fixture.stop();
  }

  /**
   * One delegation per test (own role, policy and ownership), so tests share the emulator safely: role
   * `<name>-role` with the system policy and custom policy `<name>-publish`, one Programmatic user.
   */
  scenario(name: string) {
    const ownership = ownershipOf({ cluster: 'it', namespace: 'platform', name });
    const roleName = `${name}-role`;
    const policyName = `${name}-publish`;
    const specOf = (...modifiers: SpecModifier[]): CrossAccountDelegationSpec =>
      aDelegation(
        withRole(roleName, { description: `delegation ${name}` }),
        withPolicies({ system: SYSTEM }),
        withCustomPolicy(policyName, putEventsDocument(name), 'publish'),
        withUsers(),
        withProgrammaticUser('publisher'),
        ...modifiers,
      );
    const recorder = callRecorder();
    const records = new RecordKeeper();
    const ownerPorts = this.fixture.ports(this.rootA, { accountId: A, observer: recorder });
    const input = (
      spec: CrossAccountDelegationSpec,
      extra: Partial<DelegationInput> = {},
    ): DelegationInput => ({
      identity: { cluster: 'it', namespace: 'platform', name },
      ownership,
      spec,
      adopt: false,
      owner: ownerPorts,
      authorized: this.fixture.ports(this.rootB, { accountId: B }),
      correctionsAreDrift: false,
      stored: { accessKeyIds: new Map(), passwordsStored: new Set() },
      record: records.pass(),
      ...extra,
    });
    /** Runs `work` and returns the cloud calls it made. */
    const counted = async <T>(work: () => Promise<T>) => {
      recorder.calls.length = 0;
      const result = await work();
      return {
        result,
        writes: recorder.calls.filter((c) => c.kind === 'write'),
        reads: recorder.calls.filter((c) => c.kind === 'read'),
      };
    };
    return { ownership, roleName, policyName, specOf, input, counted, records, ram: ownerPorts.ram };
  }

  /** Account A holds exactly what `spec` asks for. */
  async expectConverged(
    roleName: string,
    spec: CrossAccountDelegationSpec,
    ownership: Ownership,
  ): Promise<void> {
    const want = desiredOwner(spec, ownership);
    const role = await this.inspect.getRole(roleName);
    expect(role).toBeDefined();
    expect(policiesEqual(role!.trustPolicy, want.role.trustPolicy)).toBe(true);
    expect(role!.maxSessionDuration).toBe(want.role.maxSessionDuration);
    expect(await this.inspect.listTags('role', roleName)).toMatchObject(want.tags);
    const attached = await this.inspect.listPoliciesForRole(roleName);
    const key = (r: PolicyRef) => `${r.policyType}:${r.policyName}`;
    expect(attached.map(key).sort()).toEqual(want.attachments.map(key).sort());
    for (const policy of want.customPolicies) {
      const info = await this.inspect.getPolicy({ policyName: policy.name, policyType: 'Custom' });
      expect(info && policiesEqual(info.document, policy.document)).toBe(true);
      expect(await this.inspect.listTags('policy', policy.name)).toMatchObject(want.tags);
    }
  }
}
