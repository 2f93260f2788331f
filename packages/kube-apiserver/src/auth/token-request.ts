/**
 * TokenRequest, the `token` subresource of a ServiceAccount (`kubectl create token <sa>`): validates
 * the request as the real server does (expirationSeconds defaults to 3600 and must lie between 10
 * minutes and 2^32 seconds; audiences default to the API server's; a bound object must be a Secret that
 * exists), and answers with a signed token and its expiry. The ServiceAccount must exist (404).
 */
import { randomUUID } from 'node:crypto';
import { secretType } from '../builtin/core-kinds.js';
import { serviceAccountType } from '../builtin/install-kinds.js';
import type { ServerContext } from '../context.js';
import { ApiError, badRequest, fieldError, invalid, notFound } from '../errors.js';
import { formatTime } from '../time-format.js';
import { isJsonObject, str, type JsonObject, type KubeObject } from '../types.js';
import { API_AUDIENCE, type ObjectBinding, type ServiceAccountTokens } from './service-account-tokens.js';

const GROUP = 'authentication.k8s.io';
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

/** The Secret a token is bound to, or the real server's refusal for anything it cannot bind to. */
function boundSecret(ctx: ServerContext, namespace: string, ref: JsonObject): ObjectBinding {
  const kind = str(ref.kind);
  const apiVersion = str(ref.apiVersion);
  const name = str(ref.name);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group !== '' || kind !== 'Secret') {
    const resource = kind === 'Pod' ? 'pods' : kind === 'Node' ? 'nodes' : undefined;
    if (group === '' && resource) {
      const where = resource === 'pods' ? `${namespace}/${name}` : name;
      throw badRequest(`cannot find ${kind.toLowerCase()} ${where}: ${resource} "${name}" not found`);
    }
    throw badRequest(`cannot bind token to object of type ${group}/${version ?? ''}, Kind=${kind}`);
  }
  const secret = ctx.store.get(secretType.storageKey, namespace, name);
  if (!secret) throw badRequest(`cannot find secret ${namespace}/${name}: secrets "${name}" not found`);
  const uid = secret.metadata.uid ?? '';
  if (str(ref.uid) && str(ref.uid) !== uid) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on Secret "${name}": the UID in the bound object reference (${str(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`,
      { name, kind: 'Secret' },
    );
  }
  return { name, uid };
}

function expirationOf(spec: JsonObject, name: string): number {
  const given = spec.expirationSeconds;
  if (given === undefined || given === null) return DEFAULT_EXPIRATION_SECONDS;
  const seconds = typeof given === 'number' && Number.isInteger(given) ? given : Number.NaN;
  let detail: string | undefined;
  if (Number.isNaN(seconds)) detail = 'must be an integer number of seconds';
  else if (seconds < MIN_EXPIRATION_SECONDS) detail = 'may not specify a duration less than 10 minutes';
  else if (seconds > MAX_EXPIRATION_SECONDS) detail = 'may not specify a duration larger than 2^32 seconds';
  if (detail) {
    throw invalid(GROUP, 'TokenRequest', name, [
      fieldError('FieldValueInvalid', 'spec.expirationSeconds', detail, JSON.stringify(given)),
    ]);
  }
  return seconds;
}

/** Answers `POST .../serviceaccounts/{name}/token` with the TokenRequest and its status. */
export function createToken(
  ctx: ServerContext,
  tokens: ServiceAccountTokens,
  namespace: string,
  name: string,
  body: unknown,
): KubeObject {
  const request = isJsonObject(body) ? body : {};
  if (request.kind !== undefined && request.kind !== 'TokenRequest') {
    throw badRequest(
      `TokenRequest in version "v1" cannot be handled as a TokenRequest: the kind in the data (${str(request.kind)}) does not match the expected kind`,
    );
  }
  const account = ctx.store.get(serviceAccountType.storageKey, namespace, name);
  if (!account || account.metadata.deletionTimestamp) throw notFound(serviceAccountType, name);
  const spec = isJsonObject(request.spec) ? request.spec : {};
  const expirationSeconds = expirationOf(spec, name);
  const audiences =
    Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences.map(String) : [API_AUDIENCE];
  const secret = isJsonObject(spec.boundObjectRef)
    ? boundSecret(ctx, namespace, spec.boundObjectRef)
    : undefined;
  const now = ctx.now();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const token = tokens.sign({
    namespace,
    serviceAccount: { name, uid: account.metadata.uid ?? '' },
    audiences,
    issuedAt,
    expiresAt: issuedAt + expirationSeconds,
    secret,
  });
  const metadata = isJsonObject(request.metadata) ? request.metadata : {};
  return {
    kind: 'TokenRequest',
    apiVersion: `${GROUP}/v1`,
    metadata: { ...metadata, name, namespace, uid: randomUUID(), creationTimestamp: formatTime(now) },
    spec: { ...spec, audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: formatTime(new Date((issuedAt + expirationSeconds) * 1000)) },
  };
}
