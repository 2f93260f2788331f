import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { Reason } from '../api/constants.js';
import type { AccountRef } from '../api/spec.js';
import {
  createAccountPorts,
  resolveCredentials,
  staticCredentials,
  type AccountRateLimiters,
  type CallObserver,
  type CloudEndpoints,
  type CredentialSource,
} from '../alicloud/index.js';
import type { AccountPorts } from '../delegation/context.js';
import { CredentialsError } from './errors.js';
import { isNotFound } from './kube-clients.js';
import { readWithRetry } from './kube-retry.js';

/** Keys a credentials Secret holds (the same keys the operator writes for Programmatic users). */
export const CREDENTIAL_KEYS = {
  accessKeyId: 'accessKeyId',
  accessKeySecret: 'accessKeySecret',
  securityToken: 'securityToken',
} as const;

export interface AccountAccessOptions {
  core: CoreV1Api;
  endpoints: CloudEndpoints;
  limiters: AccountRateLimiters;
  observer?: CallObserver;
  /** Namespaces whose delegations may omit `credentials` and use the operator's own chain; `*` for all. */
  defaultChainNamespaces: ReadonlySet<string>;
  /** The environment the default chain reads (AccessKey variables, RRSA). Passed in by config. */
  env: Readonly<Record<string, string | undefined>>;
  /** How many distinct identities to keep ports for (each holds cached STS credentials). */
  maxCachedIdentities?: number;
  /** Once aborted (leadership lost), no new cloud call starts. */
  signal?: AbortSignal;
}

/** Reads a Secret value the API server returns base64-encoded in `data`. */
export function secretValue(secret: V1Secret, key: string): string | undefined {
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

/**
 * Turns an account reference of a delegation into RAM and STS ports: the referenced Secret (in the
 * delegation's namespace) or the operator's own credential chain, then the optional AssumeRole hop.
 * Ports are cached per identity and Secret resourceVersion, so editing a Secret takes effect on the next
 * pass without a restart, and STS credentials from the hop are reused until they near expiry.
 */
export class AccountAccess {
  private readonly cache = new Map<string, AccountPorts>();

  constructor(private readonly options: AccountAccessOptions) {}

  /** The credentials Secret a reference uses, or undefined for the operator's own chain. */
  static secretName(account: AccountRef): string | undefined {
    return account.credentials?.secretRef?.name;
  }

  async portsFor(namespace: string, account: AccountRef): Promise<AccountPorts> {
    const hop = account.credentials?.assumeRoleArn;
    const secretName = AccountAccess.secretName(account);
    let source: CredentialSource;
    let cacheKey: string;
    if (secretName) {
      const secret = await this.readSecret(namespace, secretName);
      const accessKeyId = secretValue(secret, CREDENTIAL_KEYS.accessKeyId);
      const accessKeySecret = secretValue(secret, CREDENTIAL_KEYS.accessKeySecret);
      const securityToken = secretValue(secret, CREDENTIAL_KEYS.securityToken);
      for (const [key, value] of [
        [CREDENTIAL_KEYS.accessKeyId, accessKeyId],
        [CREDENTIAL_KEYS.accessKeySecret, accessKeySecret],
      ] as const) {
        if (!value)
          throw new CredentialsError(
            Reason.CredentialsNotFound,
            `Secret ${namespace}/${secretName} has no key "${key}"`,
          );
      }
      source = {
        kind: 'accessKey',
        accessKeyId: accessKeyId!,
        accessKeySecret: accessKeySecret!,
        ...(securityToken ? { securityToken } : {}),
      };
      cacheKey = `secret:${namespace}/${secretName}@${secret.metadata?.resourceVersion ?? ''}`;
    } else {
      const allowed = this.options.defaultChainNamespaces;
      if (!allowed.has('*') && !allowed.has(namespace)) {
        throw new CredentialsError(
          Reason.CredentialsNotAllowed,
          `account ${account.accountId}: no credentials.secretRef, and the operator's own credentials are not allowed in namespace ${namespace}`,
        );
      }
      source = { kind: 'defaultChain', env: this.options.env };
      cacheKey = 'chain';
    }
    cacheKey += `|${account.accountId}|${hop ?? ''}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const limiter = this.options.limiters.forAccount(account.accountId);
    const call = {
      accountId: account.accountId,
      limiter,
      ...(this.options.observer ? { observer: this.options.observer } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    };
    const credentials = resolveCredentials({
      source,
      endpoints: this.options.endpoints,
      call,
      ...(hop ? { assumeRole: { roleArn: hop } } : {}),
    });
    const ports = createAccountPorts({
      accountId: account.accountId,
      credentials,
      endpoints: this.options.endpoints,
      limiter,
      ...(this.options.observer ? { observer: this.options.observer } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    const remembered = withRememberedIdentity(ports);
    this.remember(cacheKey, remembered);
    return remembered;
  }

  /** Ports for a user's own AccessKey (verification acts as a B user). Cached by AccessKey id. */
  portsForKey(accountId: string, key: { accessKeyId: string; accessKeySecret: string }): AccountPorts {
    const cacheKey = `key:${key.accessKeyId}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const ports = createAccountPorts({
      accountId,
      credentials: staticCredentials(key),
      endpoints: this.options.endpoints,
      limiter: this.options.limiters.forAccount(accountId),
      ...(this.options.observer ? { observer: this.options.observer } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    this.remember(cacheKey, ports);
    return ports;
  }

  private remember(key: string, ports: AccountPorts): void {
    this.cache.set(key, ports);
    const max = this.options.maxCachedIdentities ?? 1000;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(oldest);
    }
  }

  private async readSecret(namespace: string, name: string): Promise<V1Secret> {
    try {
      return await readWithRetry(() => this.options.core.readNamespacedSecret({ namespace, name }));
    } catch (error) {
      if (isNotFound(error))
        throw new CredentialsError(Reason.CredentialsNotFound, `Secret ${namespace}/${name} not found`, true);
      throw error;
    }
  }
}

/**
 * The same ports, with GetCallerIdentity answered once per identity: who a Secret's key (or the role it
 * assumes) belongs to cannot change while the Secret's resourceVersion does not, so every pass after the
 * first saves a round trip per account, and revocation starts detaching one round trip sooner.
 * A failed lookup is not remembered.
 */
function withRememberedIdentity(ports: AccountPorts): AccountPorts {
  let identity: ReturnType<AccountPorts['sts']['getCallerIdentity']> | undefined;
  return {
    ram: ports.ram,
    sts: {
      assumeRole: (input) => ports.sts.assumeRole(input),
      getCallerIdentity: () => {
        identity ??= ports.sts.getCallerIdentity().catch((error: unknown) => {
          identity = undefined;
          throw error;
        });
        return identity;
      },
    },
  };
}
