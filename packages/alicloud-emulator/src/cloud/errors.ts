/**
 * Constructors for the RAM/STS error codes the emulator answers with. HTTP statuses follow the real
 * services' error centre: missing entities 404, duplicates / conflicts / limits 409, bad input 400,
 * denials 403.
 */
import { ApiError } from '../contract.js';

/** `EntityNotExist.<what>` (404), e.g. `entityNotExist('Role', 'The role not exists: x.')`. */
export function entityNotExist(what: string, message: string): ApiError {
  return new ApiError(`EntityNotExist.${what}`, 404, message);
}

/** `EntityAlreadyExists.<what>` (409). */
export function entityAlreadyExists(what: string, message: string): ApiError {
  return new ApiError(`EntityAlreadyExists.${what}`, 409, message);
}

/** `DeleteConflict.<what>` (409): the entity still has dependants that must go first. */
export function deleteConflict(what: string, message: string): ApiError {
  return new ApiError(`DeleteConflict.${what}`, 409, message);
}

/** `LimitExceeded.<what>` (409). */
export function limitExceeded(what: string, message: string): ApiError {
  return new ApiError(`LimitExceeded.${what}`, 409, message);
}

/** `InvalidParameter[.<what>]` (400). */
export function invalidParameter(what: string | undefined, message: string): ApiError {
  return new ApiError(what ? `InvalidParameter.${what}` : 'InvalidParameter', 400, message);
}

/** `Missing<Param>` (400): a required request parameter is absent or empty. */
export function missingParameter(name: string): ApiError {
  return new ApiError(`Missing${name}`, 400, `${name} is mandatory for this action.`);
}

/** `MalformedPolicyDocument` (400). */
export function malformedPolicyDocument(detail: string): ApiError {
  return new ApiError('MalformedPolicyDocument', 400, `The policy document is malformed: ${detail}`);
}
