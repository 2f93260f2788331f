/**
 * STS credentials without server-side storage: the security token carries the session's claims (who,
 * which role, until when, the session policy) and an HMAC-SHA256 over them with a key private to this
 * backend, and the AccessKeySecret is derived from the same key. Verification re-derives both, so a
 * token can be checked after any amount of other traffic, and nothing but the key is needed.
 * Token layout: `CAIS` + base64url(JSON claims) + `.` + base64url(HMAC).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError, type PolicyDocument, type SigningIdentity } from '../../contract.js';

export interface SessionClaims {
  /** The STS AccessKeyId the token was issued with. */
  ak: string;
  /** Account that owns the role. */
  acct: string;
  role: string;
  roleId: string;
  session: string;
  /** Issued at / expires at, epoch milliseconds. */
  iat: number;
  exp: number;
  policy?: PolicyDocument;
}

export interface IssuedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}

const PREFIX = 'CAIS';

const malformed = () =>
  new ApiError('InvalidSecurityToken.Malformed', 400, 'The security token you provided is malformed.');

export class TokenAuthority {
  constructor(private readonly key: Buffer) {}

  issue(claims: SessionClaims): IssuedCredentials {
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return {
      accessKeyId: claims.ak,
      accessKeySecret: this.secretFor(claims),
      securityToken: `${PREFIX}${payload}.${this.sign(payload)}`,
    };
  }

  /**
   * Verifies `token` for `accessKeyId` at `now`; throws InvalidSecurityToken.Malformed (absent, garbled or
   * forged), .MismatchWithAccessKey (issued with another key) or .Expired.
   */
  verify(
    accessKeyId: string,
    token: string | undefined,
    now: Date,
  ): { claims: SessionClaims; identity: Omit<SigningIdentity, 'principal'> } {
    if (!token?.startsWith(PREFIX)) throw malformed();
    const [payload, signature, ...rest] = token.slice(PREFIX.length).split('.');
    if (!payload || !signature || rest.length > 0) throw malformed();
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw malformed();
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
    } catch {
      throw malformed();
    }
    if (claims.ak !== accessKeyId) {
      throw new ApiError(
        'InvalidSecurityToken.MismatchWithAccessKey',
        400,
        'The security token does not match the AccessKeyId.',
      );
    }
    if (now.getTime() >= claims.exp)
      throw new ApiError('InvalidSecurityToken.Expired', 400, 'The security token you provided has expired.');
    return { claims, identity: { accessKeySecret: this.secretFor(claims) } };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(`token\n${payload}`).digest('base64url');
  }

  private secretFor(claims: SessionClaims): string {
    const raw = createHmac('sha256', this.key).update(`secret\n${claims.ak}\n${claims.iat}`).digest('base64');
    return raw.replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
  }
}
