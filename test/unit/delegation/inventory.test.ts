/** The record of what a delegation created (status.inventory) and the write-ahead around applies. */
import { describe, expect, it } from 'vitest';
import { CloudError } from '../../../src/alicloud/errors.js';
import { toActions, type Step } from '../../../src/delegation/action.js';
import {
  InventoryRecord,
  createdEntities,
  deletedEntities,
  emptyInventory,
  inventoryFromStatus,
  inventoryToStatus,
  withEntities,
  type Inventory,
  type RecordedEntity,
} from '../../../src/delegation/inventory.js';
import { describeOwnerOp, type OwnerOp } from '../../../src/delegation/owner/actions.js';
import { runRecorded } from '../../../src/delegation/recorded-apply.js';
import { ApplyError } from '../../../src/delegation/run-phased.js';

const role = (name: string): RecordedEntity => ({ side: 'owner', kind: 'role', name });
const user = (name: string): RecordedEntity => ({ side: 'authorized', kind: 'user', name });
const ownerPolicy = (name: string): RecordedEntity => ({ side: 'owner', kind: 'policy', name });

function recorder(initial: Inventory = emptyInventory()) {
  const persisted: Inventory[] = [];
  const record = new InventoryRecord(initial, async (next) => void persisted.push(next));
  return { record, persisted };
}

describe('InventoryRecord', () => {
  it('writes ahead only what is new, and only once', async () => {
    const { record, persisted } = recorder(withEntities(emptyInventory(), [user('bob')]));
    await record.intend([user('bob')]);
    expect(persisted).toEqual([]);
    await record.intend([role('r'), user('bob'), ownerPolicy('p')]);
    expect(persisted).toHaveLength(1);
    expect(inventoryToStatus(persisted[0]!)).toEqual({
      owner: { roleName: 'r', policies: ['p'] },
      authorized: { users: ['bob'], groups: [], policies: [] },
    });
    await record.intend([role('r')]);
    expect(persisted).toHaveLength(1);
  });

  it('does not record what it could not persist', async () => {
    const record = new InventoryRecord(emptyInventory(), () => Promise.reject(new Error('409')));
    await expect(record.intend([user('bob')])).rejects.toThrow('409');
    expect(record.has(user('bob'))).toBe(false);
  });

  it('drops entities confirmed gone; the role takes its ARN with it', () => {
    const { record } = recorder();
    record.note([role('r'), user('bob'), user('carol')]);
    record.setRoleArn('acs:ram::1111111111111111:role/r');
    record.gone([role('r'), user('bob')]);
    expect(inventoryToStatus(record.snapshot())).toEqual({
      owner: { policies: [] },
      authorized: { users: ['carol'], groups: [], policies: [] },
    });
  });

  it('tells its own unseen entity from someone else’s by whether it was recorded before the pass', async () => {
    const { record } = recorder(withEntities(emptyInventory(), [user('old')]));
    await record.intend([user('new')]);
    expect(record.isOwnUnseen(user('old'))).toBe(true);
    expect(record.isOwnUnseen(user('new'))).toBe(false);
    record.markCreated(user('new'));
    expect(record.isOwnUnseen(user('new'))).toBe(true);
    expect(record.createdThisPass(user('new'))).toBe(true);
  });

  it('reads any status shape, and writes names sorted and unique', () => {
    expect(inventoryFromStatus(undefined)).toEqual(emptyInventory());
    expect(inventoryFromStatus({ authorized: { users: ['b', 'a'] } }).authorized.users).toEqual(['b', 'a']);
    const status = inventoryToStatus(withEntities(emptyInventory(), [user('b'), user('a'), user('b')]));
    expect(status.authorized?.users).toEqual(['a', 'b']);
  });
});

describe('created and deleted entities of changes', () => {
  it('name roles, policies, users and groups, not versions, keys or attachments', () => {
    const change = (verb: 'Created' | 'Deleted', entity: string) => ({
      side: 'owner' as const,
      verb,
      entity,
      drift: false,
      description: '',
    });
    const changes = [
      change('Created', 'role/r'),
      change('Created', 'accesskey/bob'),
      change('Deleted', 'policy/p@v2'),
      change('Deleted', 'policy/p'),
      change('Deleted', 'attachment/p->role/r'),
    ];
    expect(createdEntities(changes)).toEqual([role('r')]);
    expect(deletedEntities(changes)).toEqual([ownerPolicy('p')]);
  });
});

describe('runRecorded', () => {
  const steps: Step<OwnerOp>[] = [
    {
      phase: 'create',
      op: { kind: 'createPolicy', policyName: 'p', document: '{}', description: '', tags: {} },
    },
    { phase: 'purge', op: { kind: 'deletePolicy', policyName: 'gone' } },
  ];
  const actions = toActions(steps, describeOwnerOp, { side: 'owner', drift: false });
  const alreadyExists = new CloudError('AlreadyExists', 'EntityAlreadyExists.Policy', 'exists');

  it('records before creating, and forgets what it deleted', async () => {
    const { record, persisted } = recorder(withEntities(emptyInventory(), [ownerPolicy('gone')]));
    const order: string[] = [];
    await runRecorded(
      actions,
      record,
      async (action) => void order.push(`${action.op.kind} after ${persisted.length} write(s)`),
      { concurrency: 1 },
    );
    expect(order).toEqual(['createPolicy after 1 write(s)', 'deletePolicy after 1 write(s)']);
    expect(record.snapshot().owner.policies).toEqual(['p']);
  });

  it('EntityAlreadyExists for an entity recorded before: RAM lags, a retryable wait', async () => {
    const { record } = recorder(withEntities(emptyInventory(), [ownerPolicy('p')]));
    const error = await runRecorded(actions, record, () => Promise.reject(alreadyExists), {
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    const cause = (error as ApplyError).cause as CloudError;
    expect(cause.kind).toBe('Conflict');
    expect(cause.code).toBe('EntityAlreadyExists.Policy');
    expect(record.has(ownerPolicy('p'))).toBe(true);
  });

  it('EntityAlreadyExists for an entity first recorded by this pass: someone else’s, forgotten again', async () => {
    const { record } = recorder();
    const error = await runRecorded(actions, record, () => Promise.reject(alreadyExists), {
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(((error as ApplyError).cause as CloudError).kind).toBe('AlreadyExists');
    expect(record.has(ownerPolicy('p'))).toBe(false);
  });
});
