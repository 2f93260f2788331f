/**
 * The EventBridge data plane: event buses (created through the admin API), PutEvents and the record of
 * accepted events. Publishing needs `eventbridge:PutEvents` on `acs:eventbridge:<region>:<owner>:
 * eventbus/<bus>` and credentials of the bus's owner account (a role session of that account, for a
 * cross-account publisher); another account's identity is refused outright. Errors use the data
 * plane's codes: EventBusNotExist (404), AccountIdNotExist (403), AccessDenied (403).
 */
import { ApiError, type CloudEvent, type PutEventsResult, type RequestContext } from '../contract.js';
import { decide, noPermission } from './authorize.js';
import type { Account, EventBus, World } from './model.js';

const BUS_NAME = /^[A-Za-z0-9_-]{1,127}$/;

function busArn(region: string, accountId: string, busName: string): string {
  return `acs:eventbridge:${region}:${accountId}:eventbus/${busName}`;
}

const busNotExist = (name: string) =>
  new ApiError('EventBusNotExist', 404, `The event bus [${name}] not existed!`);

function requireAccount(world: World, accountId: string): Account {
  const account = world.accounts.get(accountId);
  if (!account) throw new ApiError('AccountIdNotExist', 403, 'The resource owner accountId not exist.');
  return account;
}

export function createEventBus(world: World, accountId: string, name: string, region: string): void {
  const account = requireAccount(world, accountId);
  if (!BUS_NAME.test(name)) throw new ApiError('InvalidArgument', 400, `Invalid event bus name: ${name}.`);
  if (!/^[a-z]{2}-[a-z0-9-]+$/.test(region))
    throw new ApiError('InvalidArgument', 400, `Invalid region: ${region}.`);
  const existing = account.buses.get(name);
  if (existing && existing.region !== region) {
    throw new ApiError(
      'EventBusAlreadyExist',
      409,
      `The event bus [${name}] already exists in ${existing.region}.`,
    );
  }
  if (!existing) account.buses.set(name, { name, region, events: [] });
}

/** Finds the bus: in `hostAccountId` when the Host header named one, else wherever the name is unique. */
function findBus(
  world: World,
  hostAccountId: string | undefined,
  busName: string,
): { owner: Account; bus: EventBus } {
  if (hostAccountId !== undefined) {
    const owner = requireAccount(world, hostAccountId);
    const bus = owner.buses.get(busName);
    if (!bus) throw busNotExist(busName);
    return { owner, bus };
  }
  const owners = [...world.accounts.values()].filter((a) => a.buses.has(busName));
  const [owner] = owners;
  if (!owner) throw busNotExist(busName);
  if (owners.length > 1) {
    throw new ApiError(
      'EventBusAmbiguous',
      400,
      `Event bus [${busName}] exists in accounts ${owners.map((a) => a.accountId).join(', ')}; address it as <accountId>.eventbridge.<region>.aliyuncs.com.`,
    );
  }
  return { owner, bus: owner.buses.get(busName) as EventBus };
}

function eventProblem(event: CloudEvent): string | undefined {
  for (const field of ['id', 'source', 'type', 'specversion']) {
    const value = event[field];
    if (typeof value !== 'string' || value === '') return `The event attribute [${field}] is required.`;
  }
  if (event.specversion !== '1.0') return 'The event attribute [specversion] must be 1.0.';
  return undefined;
}

export function putEvents(
  world: World,
  ctx: RequestContext,
  hostAccountId: string | undefined,
  busName: string,
  events: CloudEvent[],
): PutEventsResult {
  const { owner, bus } = findBus(world, hostAccountId, busName);
  const resource = busArn(bus.region, owner.accountId, bus.name);
  const principal = ctx.principal;
  const forbidden = 'The OwnerId that your Access Key Id associated to is forbidden for this operation.';
  if (principal.accountId !== owner.accountId) {
    throw noPermission(
      principal,
      'eventbridge:PutEvents',
      resource,
      { decision: 'ImplicitDeny', policyType: 'ResourceOwnerCheck' },
      forbidden,
      'AccessDenied',
    );
  }
  const verdict = decide(world, principal, 'eventbridge:PutEvents', resource, ctx, owner.accountId);
  if (verdict.decision !== 'Allow')
    throw noPermission(principal, 'eventbridge:PutEvents', resource, verdict, forbidden, 'AccessDenied');
  if (events.length === 0) throw new ApiError('InvalidArgument', 400, 'The event list must not be empty.');

  const result: PutEventsResult = { FailedEntryCount: 0, EntryList: [] };
  for (const event of events) {
    const problem = eventProblem(event);
    if (problem) {
      result.FailedEntryCount += 1;
      result.EntryList.push({ ErrorCode: 'InvalidArgument', ErrorMessage: problem });
      continue;
    }
    bus.events.push({
      ...event,
      aliyuneventbusname: bus.name,
      aliyunaccountid: owner.accountId,
      aliyunpublishtime: ctx.now.toISOString(),
    });
    result.EntryList.push({ EventId: String(event.id) });
  }
  return result;
}

export function listEvents(world: World, accountId: string, busName: string): CloudEvent[] {
  const bus = requireAccount(world, accountId).buses.get(busName);
  if (!bus) throw busNotExist(busName);
  return bus.events.map((e) => ({ ...e }));
}
