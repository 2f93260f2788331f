/**
 * Temporary credentials from an STS AssumeRole hop, cached and refreshed before they expire.
 *
 * The cache holds one set of credentials and hands it out until `refreshMarginMs` (default 5 minutes)
 * before its Expiration; the next caller then fetches a new set, and concurrent callers share that one
 * request. A failed refresh is not cached: the next call tries again.
 */
import type { AccessCredentials, CredentialsProvider } from './credentials-types.js';
import type { StsCredentials } from './ports.js';

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export interface AssumedRoleProviderOptions {
  /** Makes the AssumeRole call (with the base identity) and returns what STS issued. */
  assume: () => Promise<StsCredentials>;
  /** For logs and status: e.g. the role ARN. */
  description: string;
  clock?: () => Date;
  refreshMarginMs?: number;
}

export class AssumedRoleProvider implements CredentialsProvider {
  readonly description: string;
  private readonly assume: () => Promise<StsCredentials>;
  private readonly clock: () => Date;
  private readonly refreshMarginMs: number;
  private cached: AccessCredentials | undefined;
  private inFlight: Promise<AccessCredentials> | undefined;

  constructor(options: AssumedRoleProviderOptions) {
    this.assume = options.assume;
    this.description = options.description;
    this.clock = options.clock ?? (() => new Date());
    this.refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  async getCredentials(): Promise<AccessCredentials> {
    if (this.cached && !this.isStale(this.cached)) return this.cached;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private isStale(credentials: AccessCredentials): boolean {
    if (!credentials.expiration) return true;
    return this.clock().getTime() >= credentials.expiration.getTime() - this.refreshMarginMs;
  }

  private async refresh(): Promise<AccessCredentials> {
    const issued = await this.assume();
    const expiration = new Date(issued.expiration);
    const fresh: AccessCredentials = {
      accessKeyId: issued.accessKeyId,
      accessKeySecret: issued.accessKeySecret,
      securityToken: issued.securityToken,
      // An unparseable Expiration is treated as already due: use once, refresh next time.
      ...(Number.isNaN(expiration.getTime()) ? {} : { expiration }),
    };
    this.cached = fresh;
    return fresh;
  }
}
