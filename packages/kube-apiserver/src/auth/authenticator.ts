/**
 * Bearer-token authentication: the admin token of the kubeconfig (cluster-admin through system:masters)
 * or a ServiceAccount token this server issued, which authenticates as
 * `system:serviceaccount:<ns>:<sa>` with groups system:serviceaccounts, system:serviceaccounts:<ns> and
 * system:authenticated while it is unexpired, meant for this API server's audience, and its
 * ServiceAccount (same uid) and bound Secret still exist. Anything else is 401 Unauthorized.
 */
import { timingSafeEqual } from 'node:crypto';
import { secretType } from '../builtin/core-kinds.js';
import { serviceAccountType } from '../builtin/install-kinds.js';
import { unauthorized } from '../errors.js';
import type { ObjectStore } from '../store.js';
import { API_AUDIENCE, type ServiceAccountTokens, type TokenClaims } from './service-account-tokens.js';
import {
  ADMIN_USER,
  ALL_AUTHENTICATED,
  serviceAccountGroups,
  serviceAccountUsername,
  type UserInfo,
} from './user.js';

export class Authenticator {
  private readonly adminToken: Buffer;

  constructor(
    adminToken: string,
    private readonly tokens: ServiceAccountTokens,
    private readonly store: ObjectStore,
    private readonly now: () => Date,
  ) {
    this.adminToken = Buffer.from(adminToken);
  }

  /** The user an `Authorization` header authenticates, or a thrown 401. */
  authenticate(authorization: string | undefined): UserInfo {
    const match = /^bearer\s+(\S+)\s*$/i.exec((authorization ?? '').trim());
    if (!match?.[1]) throw unauthorized();
    const token = match[1];
    const given = Buffer.from(token);
    if (given.length === this.adminToken.length && timingSafeEqual(given, this.adminToken)) {
      return { ...ADMIN_USER, groups: [...ADMIN_USER.groups] };
    }
    const claims = this.tokens.verify(token);
    if (!claims || !this.stillValid(claims)) throw unauthorized();
    return {
      username: serviceAccountUsername(claims.namespace, claims.serviceAccount.name),
      uid: claims.serviceAccount.uid,
      groups: [...serviceAccountGroups(claims.namespace), ALL_AUTHENTICATED],
    };
  }

  private stillValid(claims: TokenClaims): boolean {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    if (claims.expiresAt <= nowSeconds || claims.issuedAt > nowSeconds + 60) return false;
    if (!claims.audiences.includes(API_AUDIENCE)) return false;
    const account = this.store.get(
      serviceAccountType.storageKey,
      claims.namespace,
      claims.serviceAccount.name,
    );
    if (!account || account.metadata.uid !== claims.serviceAccount.uid || account.metadata.deletionTimestamp)
      return false;
    if (claims.secret) {
      const secret = this.store.get(secretType.storageKey, claims.namespace, claims.secret.name);
      if (!secret || secret.metadata.uid !== claims.secret.uid || secret.metadata.deletionTimestamp)
        return false;
    }
    return true;
  }
}
