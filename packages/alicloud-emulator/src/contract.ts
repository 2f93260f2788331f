/**
 * The seam between the emulator's wire layer (HTTP, signatures, faults, admin routes: `server/`) and its
 * cloud model (accounts, RAM, STS, the policy engine, EventBridge: `cloud/`). The wire layer knows nothing
 * of roles or policies; the cloud model knows nothing of HTTP. Both sides code against this file only.
 */

/** A RAM policy document as the policy engine reads it (already JSON-parsed). */
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: Record<string, string | string[]> | '*';
  Condition?: Record<string, Record<string, unknown>>;
}

/** Who made a request, resolved from its AccessKeyId (and, for STS credentials, its security token). */
export type Principal =
  | { kind: 'root'; accountId: string; accessKeyId: string }
  | { kind: 'user'; accountId: string; userName: string; userId: string; accessKeyId: string }
  | {
      kind: 'assumed-role';
      accountId: string;
      roleName: string;
      roleId: string;
      sessionName: string;
      accessKeyId: string;
      /** Epoch milliseconds. */
      expiresAt: number;
      /** The session policy passed to AssumeRole, if any: it narrows the role's policies. */
      sessionPolicy?: PolicyDocument;
    };

/** Everything the cloud model may know about one authenticated request. */
export interface RequestContext {
  principal: Principal;
  /** Decoded request parameters (query and form body), without the signature's own parameters. */
  params: Record<string, string>;
  sourceIp: string;
  /** True when the request came over HTTPS (`acs:SecureTransport`). */
  secureTransport: boolean;
  now: Date;
  requestId: string;
}

/** The services the emulator speaks, told apart by `x-acs-version` (or `Version`). */
export type Product = 'ram' | 'sts';

/** Every service a signed call can reach: the OpenAPI products and the EventBridge data plane. */
export type Service = Product | 'eventbridge';

/**
 * The faults that live in the cloud model rather than on the wire: real RAM's eventual consistency and
 * its lower-cased role ARNs. All off (0) by default; `PUT /_emulator/faults` sets them.
 */
export interface ModelFaults {
  /** Reads (Get*, List*, ListTagResources) may show an account's previous state for up to this long after a write. */
  consistencyLagMs: number;
  /** Tags set on create or by TagResources reach ListTagResources after up to this long. */
  tagLagMs: number;
  /** Changes to what a role or user may do reach authorization (RAM, STS, EventBridge) after up to this long. */
  authorizationLagMs: number;
  /** 1: role ARNs in responses are lower-cased (RoleName keeps its case). */
  lowercaseArns: number;
}

export const NO_MODEL_FAULTS: Readonly<ModelFaults> = Object.freeze({
  consistencyLagMs: 0,
  tagLagMs: 0,
  authorizationLagMs: 0,
  lowercaseArns: 0,
});
export const productVersions: Record<string, Product> = { '2015-05-01': 'ram', '2015-04-01': 'sts' };

/**
 * An Alibaba Cloud API error. The wire layer renders it as JSON
 * `{RequestId, HostId, Code, Message, Recommend[, AccessDeniedDetail]}` with `httpStatus`.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly extra: { accessDeniedDetail?: Record<string, unknown>; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A resolved signing identity: the secret to verify the signature with and who it is. */
export interface SigningIdentity {
  accessKeySecret: string;
  principal: Principal;
}

/** One event as the EventBridge data plane accepts it (CloudEvents 1.0 JSON). */
export type CloudEvent = Record<string, unknown>;

export interface PutEventsResult {
  FailedEntryCount: number;
  EntryList: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/** The cloud model as the wire layer sees it. Every method is synchronous: the model lives in memory. */
export interface CloudBackend {
  /**
   * Looks up an AccessKey. For STS keys (`STS.` prefix) `securityToken` must be the token issued with it;
   * throws ApiError `InvalidAccessKeyId.NotFound` (404), `InvalidSecurityToken.Expired` (400),
   * `InvalidSecurityToken.MismatchWithAccessKey` (400) or `InvalidSecurityToken.Malformed` (400).
   */
  resolveAccessKey(accessKeyId: string, securityToken: string | undefined, now: Date): SigningIdentity;
  /** Runs one RAM or STS action. Unknown actions throw `InvalidAction.NotFound` (404). */
  handle(product: Product, action: string, ctx: RequestContext): Record<string, unknown>;
  /**
   * EventBridge `PutEvents` to bus `busName`; `hostAccountId` is the leading `<accountId>.` label of the
   * Host header when present. Authorization: `eventbridge:PutEvents` on
   * `acs:eventbridge:<region>:<account>:eventbus/<bus>`.
   */
  putEvents(
    ctx: RequestContext,
    hostAccountId: string | undefined,
    busName: string,
    events: CloudEvent[],
  ): PutEventsResult;

  /** Admin API (no signatures, no faults). */
  createAccount(
    accountId: string,
    alias: string | undefined,
  ): { created: boolean; accountId: string; accessKeyId: string; accessKeySecret: string };
  createEventBus(accountId: string, name: string, region: string): void;
  listEvents(accountId: string, busName: string): CloudEvent[];
  dumpState(accountId: string): {
    roles: unknown[];
    policies: unknown[];
    users: unknown[];
    groups: unknown[];
    /** Account-wide RAM settings (alias, password policy); absent from backends that have none. */
    account?: Record<string, unknown>;
  };
  /** Sets the model's own faults (see ModelFaults); the wire layer forwards them from `PUT /_emulator/faults`. */
  setModelFaults(faults: Readonly<ModelFaults>): void;
  /**
   * Notes one call whose signature verified, made at `at` by `principal` to `service`'s `action`, whatever
   * its outcome: it counts for the principal's account (an STS session counts for its role's account), and
   * a long-lived AccessKey records it as its last use. Calls that never authenticated are not attributable
   * and never reach this method.
   */
  recordSignedCall(principal: Principal, service: Service, action: string, at: Date): void;
  /** Signed calls per `<service>:<Action>` attributed to the account; unknown account: 404. */
  callCounts(accountId: string): Record<string, number>;
  /** Forgets everything: accounts, their state and call counts; the model faults turn off. */
  reset(): void;
}
