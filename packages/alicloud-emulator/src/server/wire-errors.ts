import { ApiError } from '../contract.js';

/**
 * The errors the gateway in front of RAM, STS and EventBridge answers before a request reaches the
 * service: malformed or unsigned requests, bad signatures, clock skew, replays, throttling, outages.
 * Codes and statuses follow the real services; messages follow their wording where it is known.
 */
export const wireErrors = {
  missingParameter(name: string): ApiError {
    return new ApiError(`Missing${name}`, 400, `${name} is mandatory for this action.`);
  },
  invalidVersion(version: string): ApiError {
    return new ApiError('InvalidVersion', 400, `Specified parameter Version "${version}" is not valid.`);
  },
  incompleteSignature(detail: string): ApiError {
    return new ApiError(
      'IncompleteSignature',
      400,
      `The request signature does not conform to Aliyun standards. ${detail}`,
    );
  },
  signatureMethodNotSupported(method: string): ApiError {
    return new ApiError(
      'InvalidSignatureMethod',
      400,
      `Specified signature method "${method}" is not supported.`,
    );
  },
  /**
   * The message ends with the server's string to sign, as the real services do: clients (among them
   * @alicloud/credentials) compare it with their own to tell a wrong secret from a canonicalisation bug.
   */
  signatureDoesNotMatch(stringToSign: string): ApiError {
    return new ApiError(
      'SignatureDoesNotMatch',
      400,
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    );
  },
  contentHashDoesNotMatch(): ApiError {
    return new ApiError(
      'SignatureDoesNotMatch',
      400,
      'Specified x-acs-content-sha256 is not matched with the SHA-256 of the request body.',
    );
  },
  timestampFormat(value: string): ApiError {
    return new ApiError(
      'InvalidTimeStamp.Format',
      400,
      `Specified time stamp or date value "${value}" is not well formatted.`,
    );
  },
  timestampExpired(): ApiError {
    return new ApiError('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.');
  },
  nonceUsed(): ApiError {
    return new ApiError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.');
  },
  throttled(retryAfterMs: number): ApiError {
    return new ApiError('Throttling.User', 400, 'Request was denied due to user flow control.', {
      retryAfterMs,
    });
  },
  internalError(): ApiError {
    return new ApiError('InternalError', 500, 'The request processing has failed due to some unknown error.');
  },
  serviceUnavailable(): ApiError {
    return new ApiError(
      'ServiceUnavailable',
      503,
      'The request has failed due to a temporary failure of the server.',
    );
  },
  notFound(path: string): ApiError {
    return new ApiError('InvalidPath.NotFound', 404, `Specified path "${path}" is not found.`);
  },
  methodNotAllowed(method: string, path: string): ApiError {
    return new ApiError('MethodNotAllowed', 405, `Method ${method} is not allowed on ${path}.`);
  },
  bodyTooLarge(limit: number): ApiError {
    return new ApiError('RequestEntityTooLarge', 413, `The request body exceeds ${limit} bytes.`);
  },
};
