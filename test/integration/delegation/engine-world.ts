/**
 * The engine integration tests' world: a fresh emulator with accounts A and B, the seed spec, and what
 * the operator would do around the engine (store issued credentials, inspect both accounts).
 */
import { expect } from 'vitest';
import { publishEvent } from '@ram-delegation/sandbox';
import { OWNERSHIP_TAG_KEY } from '../../../src/api/constants.js';
import type { CallObserver } from '../../../src/alicloud/index.js';
import { reconcileDelegation, type ReconcileOutcome } from '../../../src/delegation/engine.js';
import { AUTHORIZED_ACCOUNT, OWNER_ACCOUNT, startTestCloud, type TestCloud } from '../../support/cloud.js';
import { CredentialStore, delegationInput, testEngineOptions } from '../../support/delegation.js';
import { ROLE_ARN, TEST_OWNERSHIP, aDelegation } from '../../support/gen.js';

export const spec = aDelegation();
export const options = testEngineOptions();
const { marker, tagValue } = TEST_OWNERSHIP;

export class EngineWorld {
  cloud!: TestCloud;

  async start(): Promise<void> {
    this.cloud = await startTestCloud();
  }

  async reset(): Promise<void> {
    await this.cloud.stop();
    this.cloud = await startTestCloud();
  }

  stop(): Promise<void> {
    return this.cloud.stop();
  }

  /** One engine pass that stores what it issued, as the operator would. */
  async pass(
    store: CredentialStore,
    observer?: CallObserver,
    correctionsAreDrift = false,
  ): Promise<ReconcileOutcome> {
    const outcome = await reconcileDelegation(
      delegationInput(this.cloud, spec, store, { ...(observer ? { observer } : {}), correctionsAreDrift }),
      options,
    );
    store.store(outcome.authorized?.issued ?? []);
    return outcome;
  }

  /** Passes until one reports both sides synced (a crashed pass throws; the caller decides). */
  async converge(store: CredentialStore): Promise<ReconcileOutcome> {
    const outcome = await this.pass(store);
    expect(outcome.owner.blocked).toBeUndefined();
    expect(outcome.authorized?.blocked).toBeUndefined();
    expect(outcome.owner.synced && outcome.authorized?.synced).toBe(true);
    return outcome;
  }

  /** Both accounts' state without ids, dates and key ids: what must be equal after any crash history. */
  async normalizedState(): Promise<unknown> {
    const strip = (value: unknown): unknown => {
      if (Array.isArray(value))
        return value.map(strip).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value)
            .filter(([k]) => !/(Id|Date)$/.test(k) || k === 'defaultVersion')
            .map(([k, v]) => [k, k === 'accessKeyIds' ? (v as unknown[]).length : strip(v)]),
        );
      }
      return value;
    };
    return {
      owner: strip(await this.cloud.admin('GET', `/_emulator/accounts/${OWNER_ACCOUNT}/state`)),
      authorized: strip(await this.cloud.admin('GET', `/_emulator/accounts/${AUTHORIZED_ACCOUNT}/state`)),
    };
  }

  /** Entities in either account that carry this delegation's tag or marker. */
  async managedLeftovers(): Promise<string[]> {
    const left: string[] = [];
    for (const accountId of [OWNER_ACCOUNT, AUTHORIZED_ACCOUNT]) {
      const state = await this.cloud.admin('GET', `/_emulator/accounts/${accountId}/state`);
      for (const r of state.roles)
        if (r.tags[OWNERSHIP_TAG_KEY] === tagValue) left.push(`${accountId} role/${r.roleName}`);
      for (const p of state.policies)
        if (p.tags[OWNERSHIP_TAG_KEY] === tagValue) left.push(`${accountId} policy/${p.policyName}`);
      for (const u of state.users)
        if (String(u.comments).includes(marker)) left.push(`${accountId} user/${u.userName}`);
      for (const g of state.groups)
        if (String(g.comments).includes(marker)) left.push(`${accountId} group/${g.groupName}`);
    }
    return left;
  }

  /** STS credentials for the role, obtained as B's Programmatic user. */
  async assumeAsPublisher(store: CredentialStore) {
    const key = store.accessKeys.get('orders-publisher');
    if (!key) throw new Error('the publisher has no stored key');
    const user = this.cloud.ports({ accountId: AUTHORIZED_ACCOUNT, ...key });
    return user.sts.assumeRole({ roleArn: ROLE_ARN, roleSessionName: 'engine-test', durationSeconds: 900 });
  }

  async publishWith(credentials: {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken: string;
  }): Promise<string> {
    return publishEvent(
      { endpoint: this.cloud.url.replace('http://', ''), protocol: 'http', busName: 'orders' },
      credentials,
      {
        id: `e-${Math.random()}`,
        source: 'engine-test',
        type: 'orders.created',
        data: { ok: true },
      },
    );
  }
}

/** Both accounts' state without the owner's policy versions (out-of-band versions stay in history). */
export function stripVersions(state: any): unknown {
  const copy = structuredClone(state);
  for (const p of copy.owner.policies) {
    delete p.versions;
    delete p.defaultVersion;
  }
  return copy;
}
