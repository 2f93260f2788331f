/**
 * ServiceAccount tokens: JWTs with the claims the real server puts in them (iss, sub, aud, iat, nbf,
 * exp, jti and the `kubernetes.io` claim naming the namespace, the ServiceAccount and its uid, and the
 * bound Secret if any), signed with HMAC-SHA256 under a key made at start. Real clusters sign with
 * RS256; clients never verify the signature, so the difference does not show on the wire. Verification
 * here checks the signature and shape only: expiry, audience and whether the ServiceAccount still exists
 * are the authenticator's business.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { isJsonObject } from '../types.js';
import { serviceAccountUsername } from './user.js';

/** The issuer and the one audience the API server accepts, as in a default cluster. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

export interface ObjectBinding {
  name: string;
  uid: string;
}

export interface TokenClaims {
  namespace: string;
  serviceAccount: ObjectBinding;
  audiences: string[];
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** The Secret the token is bound to (it stops working when that Secret is gone). */
  secret?: ObjectBinding;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function isBinding(value: unknown): value is ObjectBinding {
  return isJsonObject(value) && typeof value.name === 'string' && typeof value.uid === 'string';
}

export class ServiceAccountTokens {
  constructor(private readonly key: Buffer) {}

  private signature(signingInput: string): Buffer {
    return createHmac('sha256', this.key).update(signingInput).digest();
  }

  sign(claims: TokenClaims): string {
    const kubernetes: Record<string, unknown> = {
      namespace: claims.namespace,
      serviceaccount: claims.serviceAccount,
    };
    if (claims.secret) kubernetes.secret = claims.secret;
    const payload = {
      aud: claims.audiences,
      exp: claims.expiresAt,
      iat: claims.issuedAt,
      iss: API_AUDIENCE,
      jti: randomUUID(),
      'kubernetes.io': kubernetes,
      nbf: claims.issuedAt,
      sub: serviceAccountUsername(claims.namespace, claims.serviceAccount.name),
    };
    const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${signingInput}.${this.signature(signingInput).toString('base64url')}`;
  }

  /** The claims of a token this server signed, or undefined for anything else. */
  verify(token: string): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const given = Buffer.from(parts[2] ?? '', 'base64url');
    const expected = this.signature(`${parts[0]}.${parts[1]}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isJsonObject(payload) || !isJsonObject(payload['kubernetes.io'])) return undefined;
    const k8s = payload['kubernetes.io'];
    const { aud, exp, iat } = payload;
    if (typeof k8s.namespace !== 'string' || !isBinding(k8s.serviceaccount)) return undefined;
    if (typeof exp !== 'number' || typeof iat !== 'number' || !Array.isArray(aud)) return undefined;
    return {
      namespace: k8s.namespace,
      serviceAccount: k8s.serviceaccount,
      audiences: aud.filter((a): a is string => typeof a === 'string'),
      issuedAt: iat,
      expiresAt: exp,
      secret: isBinding(k8s.secret) ? k8s.secret : undefined,
    };
  }
}
