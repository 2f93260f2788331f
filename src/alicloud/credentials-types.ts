/**
 * The credentials an SDK client signs with, and where they come from. Kept apart from the resolution
 * logic so the client factory and the ports depend on the shape only.
 *
 * Secrets: `accessKeySecret` and `securityToken` must never reach a log line or an error message.
 */

export interface AccessCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** Present for temporary (STS) credentials. */
  securityToken?: string;
  /** When temporary credentials stop working; undefined for long-lived AccessKeys. */
  expiration?: Date;
}

/** Hands out valid credentials for one identity, refreshing temporary ones before they expire. */
export interface CredentialsProvider {
  getCredentials(): Promise<AccessCredentials>;
  /** What the identity is, for logs and status messages (never a secret): e.g. `AccessKey LTAI…(Secret)`. */
  readonly description: string;
}

/** Where the base identity comes from. */
export type CredentialSource =
  /** An AccessKey pair (optionally with an STS token), e.g. read from a Kubernetes Secret by the caller. */
  | { kind: 'accessKey'; accessKeyId: string; accessKeySecret: string; securityToken?: string }
  /**
   * The default chain of `@alicloud/credentials`, fed from `env` (the caller passes the process
   * environment; nothing here reads `process.env`): AccessKey variables
   * (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`[, `ALIBABA_CLOUD_SECURITY_TOKEN`]),
   * then RRSA (`ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`),
   * then the ECS instance RAM role (`ALIBABA_CLOUD_ECS_METADATA` names it; discovered otherwise).
   */
  | { kind: 'defaultChain'; env?: Readonly<Record<string, string | undefined>> };

/** An optional STS AssumeRole hop made with the base identity. */
export interface AssumeRoleHop {
  roleArn: string;
  /** Default `ram-delegation-operator`. */
  roleSessionName?: string;
  /** Default 3600 (900..the role's MaxSessionDuration). */
  durationSeconds?: number;
}
